// Dead letters: what a run could not deliver, and why, kept for an operator to inspect.
import type Database from 'better-sqlite3';
import type { DeadLetterInput, DeadLetterRecord } from './types.js';

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

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

export function addDeadLetter(db: Database.Database, input: DeadLetterInput, now: () => number): number {
  const info = db
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
      input.eventJson ?? (input.event === undefined ? null : JSON.stringify(input.event)),
      input.createdMs ?? now(),
    );
  return Number(info.lastInsertRowid);
}

export function countDeadLetters(db: Database.Database, scope?: string): number {
  const row = (
    scope === undefined
      ? db.prepare('SELECT count(*) AS n FROM dead_letters').get()
      : db.prepare('SELECT count(*) AS n FROM dead_letters WHERE scope = ?').get(scope)
  ) as { n: number };
  return row.n;
}

export function listDeadLetters(db: Database.Database, limit: number): DeadLetterRecord[] {
  const rows = db
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
