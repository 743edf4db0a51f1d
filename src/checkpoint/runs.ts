// Runs: one row per collection run of a scope, from start to its final status.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StateError } from './errors.js';
import type { FinishRunInput, RunRecord, RunStatus, StartRunInput } from './types.js';

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

const INTERRUPTED_ERROR = 'the process ended before the run finished';

/** Whether 'running' rows belong to a live process (otherwise they read as interrupted). */
export type LiveWriter = () => boolean;

export function startRun(db: Database.Database, input: StartRunInput, now: () => number): string {
  const id = input.id ?? randomUUID();
  db.prepare(`INSERT INTO runs (id, scope, mode, started_ms, status) VALUES (?, ?, ?, ?, 'running')`).run(
    id,
    input.scope,
    input.mode,
    input.startedMs ?? now(),
  );
  return id;
}

export function finishRun(
  db: Database.Database,
  path: string,
  run: { id: string; scope: string },
  result: FinishRunInput,
  now: () => number,
): void {
  const info = db
    .prepare(
      `UPDATE runs SET status = ?, finished_ms = ?, users_seen = ?, events_sent = ?, error = ?
       WHERE id = ? AND scope = ?`,
    )
    .run(
      result.status,
      result.finishedMs ?? now(),
      result.usersSeen,
      result.eventsSent,
      result.error ?? null,
      run.id,
      run.scope,
    );
  if (info.changes !== 1) throw new StateError(`no run ${run.id} for ${run.scope} in ${path}`, path);
}

export function lastRun(db: Database.Database, scope: string, live: LiveWriter): RunRecord | undefined {
  const row = db
    .prepare('SELECT * FROM runs WHERE scope = ? ORDER BY started_ms DESC, rowid DESC LIMIT 1')
    .get(scope) as RunRow | undefined;
  return row === undefined ? undefined : runRecord(row, live);
}

export function listRuns(db: Database.Database, limit: number, live: LiveWriter): RunRecord[] {
  const rows = db
    .prepare('SELECT * FROM runs ORDER BY started_ms DESC, rowid DESC LIMIT ?')
    .all(limit) as RunRow[];
  return rows.map((row) => runRecord(row, live));
}

function runRecord(row: RunRow, live: LiveWriter): RunRecord {
  return {
    id: row.id,
    scope: row.scope,
    mode: row.mode,
    startedMs: row.started_ms,
    finishedMs: row.finished_ms,
    usersSeen: row.users_seen,
    eventsSent: row.events_sent,
    status: row.status === 'running' && !live() ? 'interrupted' : row.status,
    error: row.status === 'running' && !live() ? INTERRUPTED_ERROR : row.error,
  };
}

export function markInterruptedRuns(db: Database.Database, now: () => number): number {
  return db
    .prepare(
      `UPDATE runs SET status = 'interrupted', finished_ms = coalesce(finished_ms, ?),
         error = coalesce(error, ?) WHERE status = 'running'`,
    )
    .run(now(), INTERRUPTED_ERROR).changes;
}
