// The state file: watermarks, delivered identities, runs and dead letters, in one SQLite database (WAL,
// synchronous FULL so that an acknowledged commit survives a crash or power loss). The Checkpoint class is
// the one surface; each table's queries live in the module named after it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { addDeadLetter, countDeadLetters, listDeadLetters } from './dead-letters.js';
import { StateError } from './errors.js';
import {
  commitDelivered,
  countKnown,
  getIdentity,
  getLastEvent,
  knownKeys,
  lastEvents,
  recordApiReads,
} from './identities.js';
import { acquireWriterLock, isWriterLockHeld, type WriterLock } from './lock.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { identify, migrate, openSqlite, prepareStatePath, schemaVersionOf } from './open-database.js';
import { finishRun, lastRun, listRuns, markInterruptedRuns, startRun } from './runs.js';
import { resetState, summarize } from './state-summary.js';
import type {
  DeadLetterInput,
  DeadLetterRecord,
  DeliveredDeletion,
  DeliveredIdentity,
  FinishRunInput,
  IdentityRecord,
  KnownIdentity,
  LastEvent,
  ResetResult,
  RunRecord,
  StartRunInput,
  StateSummary,
  Watermark,
} from './types.js';
import { getWatermark, setWatermark } from './watermarks.js';

export interface OpenCheckpointOptions {
  /** Read only (state show): no lock, no migration, no write. */
  readonly?: boolean;
  /** Take the single-writer lock (default true for writers). */
  lock?: boolean;
  /** Clock, for tests. */
  now?: () => number;
  /** Migration set, for tests that build an older file. */
  migrations?: readonly Migration[];
}

/** The writer's SQLite page cache (SQLite's own default size; better-sqlite3's is 16 MB). */
export const WRITER_CACHE_KIB = 2000;

export class Checkpoint {
  private readonly now: () => number;
  /** Whether 'running' rows belong to a live process; decided once (see hasLiveWriter). */
  private liveWriter: boolean | undefined;
  private readonly live = (): boolean => this.hasLiveWriter();

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
    private readonly lock: WriterLock | undefined,
    now: () => number,
  ) {
    this.now = now;
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- watermarks ----

  getWatermark(scope: string): Watermark | undefined {
    return getWatermark(this.db, scope);
  }

  setWatermark(scope: string, watermarkMs: number, keysAtWatermark: Iterable<string>): void {
    setWatermark(this.db, scope, watermarkMs, keysAtWatermark, this.now);
  }

  // ---- identities ----

  getIdentity(scope: string, key: string): IdentityRecord | undefined {
    return getIdentity(this.db, scope, key);
  }

  /** The delivered, not deleted identities of a scope (for the full mode's diff). */
  knownKeys(scope: string): Map<string, KnownIdentity> {
    return knownKeys(this.db, scope);
  }

  /** See recordApiReads: what a change burst read from the API, for full runs to trust no older report. */
  recordApiReads(scope: string, keys: readonly string[], readMs: number): void {
    recordApiReads(this.db, scope, keys, readMs);
  }

  countKnown(scope: string): number {
    return countKnown(this.db, scope);
  }

  /**
   * The last event delivered for an identity (the object a deletion event carries), as the JSON it was
   * stored as: the checkpoint does not know what an event is, its reader checks the shape.
   */
  getLastEvent(scope: string, key: string): unknown {
    return getLastEvent(this.db, scope, key);
  }

  /** The last delivered event of every identity not deleted, by scope then key (the posture report). */
  lastEvents(): IterableIterator<LastEvent> {
    return lastEvents(this.db);
  }

  /**
   * Records a batch every sink acknowledged: the delivered identities and the deletions, in one transaction
   * (all or nothing, so a crash never leaves half a batch recorded).
   */
  commitDelivered(entries: readonly DeliveredIdentity[], deletions: readonly DeliveredDeletion[] = []): void {
    commitDelivered(this.db, entries, deletions, this.now());
  }

  // ---- runs ----

  startRun(input: StartRunInput): string {
    return startRun(this.db, input, this.now);
  }

  finishRun(id: string, scope: string, result: FinishRunInput): void {
    finishRun(this.db, this.path, { id, scope }, result, this.now);
  }

  lastRun(scope: string): RunRecord | undefined {
    return lastRun(this.db, scope, this.live);
  }

  /** The most recent runs, newest first. */
  listRuns(limit = 20): RunRecord[] {
    return listRuns(this.db, limit, this.live);
  }

  /** A 'running' row is live only while its writer holds the lock; otherwise its process died. */
  private hasLiveWriter(): boolean {
    if (this.lock !== undefined) return true;
    this.liveWriter ??= isWriterLockHeld(this.path);
    return this.liveWriter;
  }

  /** Called by the writer right after taking the lock: whoever left runs 'running' is gone. */
  markInterruptedRuns(): number {
    return markInterruptedRuns(this.db, this.now);
  }

  // ---- dead letters ----

  addDeadLetter(input: DeadLetterInput): number {
    return addDeadLetter(this.db, input, this.now);
  }

  countDeadLetters(scope?: string): number {
    return countDeadLetters(this.db, scope);
  }

  /** The most recent dead letters, newest first. */
  listDeadLetters(limit = 100): DeadLetterRecord[] {
    return listDeadLetters(this.db, limit);
  }

  // ---- whole file ----

  summary(): StateSummary {
    return summarize(this.db, this.path, this.live);
  }

  /** Forgets everything about one scope, or about every scope. */
  reset(scope?: string): ResetResult {
    return resetState(this.db, scope);
  }

  /** PRAGMA integrity_check: "ok", or the problems found, one per line. */
  integrityCheck(): string {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('\n');
  }

  close(): void {
    try {
      if (this.db.open) this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}

/**
 * Opens (and creates, for writers) the state file. Writers take the single-writer lock first, then apply any
 * pending migration and mark runs left 'running' by a dead process as interrupted.
 */
export function openCheckpoint(path: string, options: OpenCheckpointOptions = {}): Checkpoint {
  const abs = resolve(path);
  const now = options.now ?? Date.now;
  const migrations = options.migrations ?? MIGRATIONS;
  if (options.readonly === true) {
    if (!existsSync(abs)) throw new StateError(`state file ${abs} does not exist`, abs);
    const db = openSqlite(abs, true);
    try {
      if (identify(db, abs) === 'empty')
        throw new StateError(`state file ${abs} has not been initialised`, abs);
      const version = schemaVersionOf(db);
      if (version !== migrations.length) {
        throw new StateError(
          version > migrations.length
            ? `state file ${abs} has schema version ${version}, newer than this iam-inventory (${migrations.length})`
            : `state file ${abs} has schema version ${version}; a writing command (run, state reset) upgrades it to ${migrations.length}`,
          abs,
        );
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return new Checkpoint(db, abs, true, undefined, now);
  }

  prepareStatePath(abs);
  const lock = options.lock === false ? undefined : acquireWriterLock(abs);
  let db: Database.Database | undefined;
  try {
    db = openSqlite(abs, false);
    identify(db, abs);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the writer appends a run's rows
    // and reads a few pages per batch, and a full cache was 16 MB of a 20-account run's resident memory.
    db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
    migrate(db, abs, migrations, now());
    const checkpoint = new Checkpoint(db, abs, false, lock, now);
    if (lock !== undefined) checkpoint.markInterruptedRuns();
    return checkpoint;
  } catch (err) {
    db?.close();
    lock?.release();
    throw err;
  }
}
