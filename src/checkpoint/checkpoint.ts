// The state file: watermarks, delivered identities, runs and dead letters, in one SQLite database (WAL,
// synchronous FULL so that an acknowledged commit survives a crash or power loss).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { StateError } from './errors.js';
import { acquireWriterLock, isWriterLockHeld, type WriterLock } from './lock.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { identify, migrate, openSqlite, prepareStatePath, schemaVersionOf } from './open-database.js';
import type {
  DeadLetterInput,
  DeadLetterRecord,
  DeliveredDeletion,
  DeliveredIdentity,
  FinishRunInput,
  IdentityRecord,
  KnownIdentity,
  ResetResult,
  RunRecord,
  RunStatus,
  ScopeSummary,
  StartRunInput,
  StateSummary,
  Watermark,
} from './types.js';

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

interface RunRow {
  id: string;
  scope: string;
  mode: string;
  started_ms: number;
  finished_ms: number | null;
  users_seen: number;
  events_sent: number;
  status: RunStatus;
  error: string | null;
}

interface IdentityRow {
  scope: string;
  key: string;
  kind: string;
  name: string | null;
  create_date_ms: number | null;
  fingerprint: string;
  first_delivered_ms: number;
  last_delivered_ms: number;
  deleted: number;
  deleted_ms: number | null;
}

interface DeadLetterRow {
  id: number;
  run_id: string | null;
  scope: string;
  key: string;
  sink: string | null;
  reason: string;
  errors: string | null;
  event: string | null;
  created_ms: number;
}

const INTERRUPTED_ERROR = 'the process ended before the run finished';

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

export class Checkpoint {
  private readonly now: () => number;
  /** Whether 'running' rows belong to a live process; decided once (see displayStatus). */
  private liveWriter: boolean | undefined;

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
    const row = this.db
      .prepare('SELECT watermark_ms, keys_at_watermark FROM watermarks WHERE scope = ?')
      .get(scope) as { watermark_ms: number; keys_at_watermark: string } | undefined;
    if (row === undefined) return undefined;
    return {
      watermarkMs: row.watermark_ms,
      keysAtWatermark: new Set(JSON.parse(row.keys_at_watermark) as string[]),
    };
  }

  setWatermark(scope: string, watermarkMs: number, keysAtWatermark: Iterable<string>): void {
    if (!Number.isSafeInteger(watermarkMs))
      throw new TypeError(`watermark must be integer ms, got ${watermarkMs}`);
    this.db
      .prepare(
        `INSERT INTO watermarks (scope, watermark_ms, keys_at_watermark, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET watermark_ms = excluded.watermark_ms,
           keys_at_watermark = excluded.keys_at_watermark, updated_ms = excluded.updated_ms`,
      )
      .run(scope, watermarkMs, JSON.stringify([...keysAtWatermark].sort()), this.now());
  }

  // ---- identities ----

  getIdentity(scope: string, key: string): IdentityRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT scope, key, kind, name, create_date_ms, fingerprint, first_delivered_ms, last_delivered_ms,
           deleted, deleted_ms FROM identities WHERE scope = ? AND key = ?`,
      )
      .get(scope, key) as IdentityRow | undefined;
    if (row === undefined) return undefined;
    return {
      scope: row.scope,
      key: row.key,
      kind: row.kind,
      name: row.name,
      createDateMs: row.create_date_ms,
      fingerprint: row.fingerprint,
      firstDeliveredMs: row.first_delivered_ms,
      lastDeliveredMs: row.last_delivered_ms,
      deleted: row.deleted === 1,
      deletedMs: row.deleted_ms,
    };
  }

  /** The delivered, not deleted identities of a scope (for the full mode's diff). */
  knownKeys(scope: string): Map<string, KnownIdentity> {
    const known = new Map<string, KnownIdentity>();
    const rows = this.db
      .prepare('SELECT key, fingerprint, create_date_ms FROM identities WHERE scope = ? AND deleted = 0')
      .iterate(scope) as IterableIterator<{
      key: string;
      fingerprint: string;
      create_date_ms: number | null;
    }>;
    for (const row of rows)
      known.set(row.key, { fingerprint: row.fingerprint, createDateMs: row.create_date_ms });
    return known;
  }

  countKnown(scope: string): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM identities WHERE scope = ? AND deleted = 0').get(scope) as {
        n: number;
      }
    ).n;
  }

  /**
   * The last event delivered for an identity (the object a deletion event carries), as the JSON it was
   * stored as: the checkpoint does not know what an event is, its reader checks the shape.
   */
  getLastEvent(scope: string, key: string): unknown {
    const row = this.db
      .prepare('SELECT last_event FROM identities WHERE scope = ? AND key = ?')
      .get(scope, key) as { last_event: string } | undefined;
    if (row === undefined) return undefined;
    const stored: unknown = JSON.parse(row.last_event);
    return stored;
  }

  /**
   * Records a batch every sink acknowledged: the delivered identities and the deletions, in one transaction
   * (all or nothing, so a crash never leaves half a batch recorded).
   */
  commitDelivered(entries: readonly DeliveredIdentity[], deletions: readonly DeliveredDeletion[] = []): void {
    const now = this.now();
    const upsert = this.db.prepare(
      `INSERT INTO identities (scope, key, kind, name, create_date_ms, fingerprint, last_event,
         first_delivered_ms, last_delivered_ms, deleted, deleted_ms)
       VALUES (@scope, @key, @kind, @name, @createDateMs, @fingerprint, @event, @now, @now, 0, NULL)
       ON CONFLICT (scope, key) DO UPDATE SET kind = excluded.kind, name = excluded.name,
         create_date_ms = excluded.create_date_ms, fingerprint = excluded.fingerprint,
         last_event = excluded.last_event, last_delivered_ms = excluded.last_delivered_ms,
         deleted = 0, deleted_ms = NULL`,
    );
    const markDeleted = this.db.prepare(
      'UPDATE identities SET deleted = 1, deleted_ms = ?, last_delivered_ms = ? WHERE scope = ? AND key = ?',
    );
    this.transaction(() => {
      for (const e of entries) {
        upsert.run({
          scope: e.scope,
          key: e.key,
          kind: e.kind,
          name: e.name ?? null,
          createDateMs: e.createDateMs ?? null,
          fingerprint: e.fingerprint,
          event: e.eventJson ?? JSON.stringify(e.event),
          now,
        });
      }
      for (const d of deletions) markDeleted.run(now, now, d.scope, d.key);
    });
  }

  // ---- runs ----

  startRun(input: StartRunInput): string {
    const id = input.id ?? randomUUID();
    this.db
      .prepare(`INSERT INTO runs (id, scope, mode, started_ms, status) VALUES (?, ?, ?, ?, 'running')`)
      .run(id, input.scope, input.mode, input.startedMs ?? this.now());
    return id;
  }

  finishRun(id: string, scope: string, result: FinishRunInput): void {
    const info = this.db
      .prepare(
        `UPDATE runs SET status = ?, finished_ms = ?, users_seen = ?, events_sent = ?, error = ?
         WHERE id = ? AND scope = ?`,
      )
      .run(
        result.status,
        result.finishedMs ?? this.now(),
        result.usersSeen,
        result.eventsSent,
        result.error ?? null,
        id,
        scope,
      );
    if (info.changes !== 1) throw new StateError(`no run ${id} for ${scope} in ${this.path}`, this.path);
  }

  lastRun(scope: string): RunRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM runs WHERE scope = ? ORDER BY started_ms DESC, rowid DESC LIMIT 1')
      .get(scope) as RunRow | undefined;
    return row === undefined ? undefined : this.runRecord(row);
  }

  /** The most recent runs, newest first. */
  listRuns(limit = 20): RunRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM runs ORDER BY started_ms DESC, rowid DESC LIMIT ?')
      .all(limit) as RunRow[];
    return rows.map((row) => this.runRecord(row));
  }

  private runRecord(row: RunRow): RunRecord {
    return {
      id: row.id,
      scope: row.scope,
      mode: row.mode,
      startedMs: row.started_ms,
      finishedMs: row.finished_ms,
      usersSeen: row.users_seen,
      eventsSent: row.events_sent,
      status: row.status === 'running' && !this.hasLiveWriter() ? 'interrupted' : row.status,
      error: row.status === 'running' && !this.hasLiveWriter() ? INTERRUPTED_ERROR : row.error,
    };
  }

  /** A 'running' row is live only while its writer holds the lock; otherwise its process died. */
  private hasLiveWriter(): boolean {
    if (this.lock !== undefined) return true;
    this.liveWriter ??= isWriterLockHeld(this.path);
    return this.liveWriter;
  }

  /** Called by the writer right after taking the lock: whoever left runs 'running' is gone. */
  markInterruptedRuns(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_ms = coalesce(finished_ms, ?),
           error = coalesce(error, ?) WHERE status = 'running'`,
      )
      .run(this.now(), INTERRUPTED_ERROR).changes;
  }

  // ---- dead letters ----

  addDeadLetter(input: DeadLetterInput): number {
    const info = this.db
      .prepare(
        `INSERT INTO dead_letters (run_id, scope, key, sink, reason, errors, event, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.runId ?? null,
        input.scope,
        input.key,
        input.sink,
        input.reason,
        input.errors === undefined ? null : JSON.stringify(input.errors),
        input.event === undefined ? null : JSON.stringify(input.event),
        input.createdMs ?? this.now(),
      );
    return Number(info.lastInsertRowid);
  }

  countDeadLetters(scope?: string): number {
    const row = (
      scope === undefined
        ? this.db.prepare('SELECT count(*) AS n FROM dead_letters').get()
        : this.db.prepare('SELECT count(*) AS n FROM dead_letters WHERE scope = ?').get(scope)
    ) as { n: number };
    return row.n;
  }

  /** The most recent dead letters, newest first. */
  listDeadLetters(limit = 100): DeadLetterRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?')
      .all(limit) as DeadLetterRow[];
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      scope: r.scope,
      key: r.key,
      sink: r.sink,
      reason: r.reason,
      errors: parseJson(r.errors),
      event: parseJson(r.event),
      createdMs: r.created_ms,
    }));
  }

  // ---- whole file ----

  summary(): StateSummary {
    const scopes = (
      this.db
        .prepare(
          `SELECT scope FROM watermarks UNION SELECT scope FROM identities UNION SELECT scope FROM runs
           UNION SELECT scope FROM dead_letters ORDER BY scope`,
        )
        .all() as { scope: string }[]
    ).map((r) => r.scope);
    const counts = this.db.prepare(
      `SELECT coalesce(sum(deleted = 0), 0) AS known, coalesce(sum(deleted = 1), 0) AS deleted
       FROM identities WHERE scope = ?`,
    );
    const result: ScopeSummary[] = scopes.map((scope) => {
      const wm = this.getWatermark(scope);
      const c = counts.get(scope) as { known: number; deleted: number };
      return {
        scope,
        watermark:
          wm === undefined
            ? null
            : {
                ms: wm.watermarkMs,
                iso: new Date(wm.watermarkMs).toISOString(),
                keysAtWatermark: wm.keysAtWatermark.size,
              },
        identitiesKnown: c.known,
        identitiesDeleted: c.deleted,
        lastRun: this.lastRun(scope) ?? null,
        deadLetters: this.countDeadLetters(scope),
      };
    });
    return {
      path: this.path,
      schemaVersion: schemaVersionOf(this.db),
      scopes: result,
      deadLetters: this.countDeadLetters(),
    };
  }

  /** Forgets everything about one scope, or about every scope. */
  reset(scope?: string): ResetResult {
    const tables = ['identities', 'watermarks', 'runs', 'dead_letters'] as const;
    const counts = this.transaction(() =>
      tables.map((table) =>
        scope === undefined
          ? this.db.prepare(`DELETE FROM ${table}`).run().changes
          : this.db.prepare(`DELETE FROM ${table} WHERE scope = ?`).run(scope).changes,
      ),
    );
    return {
      identities: counts[0] ?? 0,
      watermarks: counts[1] ?? 0,
      runs: counts[2] ?? 0,
      deadLetters: counts[3] ?? 0,
    };
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
