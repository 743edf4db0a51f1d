// The whole file at once: what `state show` prints, and what `state reset` forgets.
import type Database from 'better-sqlite3';
import { countDeadLetters } from './dead-letters.js';
import { schemaVersionOf } from './open-database.js';
import { lastRun, type LiveWriter } from './runs.js';
import type { ResetResult, ScopeSummary, StateSummary } from './types.js';
import { getWatermark } from './watermarks.js';

export function summarize(db: Database.Database, path: string, live: LiveWriter): StateSummary {
  const scopes = (
    db
      .prepare(
        `SELECT scope FROM watermarks UNION SELECT scope FROM identities UNION SELECT scope FROM runs
         UNION SELECT scope FROM dead_letters ORDER BY scope`,
      )
      .all() as { scope: string }[]
  ).map((r) => r.scope);
  const counts = db.prepare(
    `SELECT coalesce(sum(deleted = 0), 0) AS known, coalesce(sum(deleted = 1), 0) AS deleted
     FROM identities WHERE scope = ?`,
  );
  const result: ScopeSummary[] = scopes.map((scope) => {
    const wm = getWatermark(db, scope);
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
      lastRun: lastRun(db, scope, live) ?? null,
      deadLetters: countDeadLetters(db, scope),
    };
  });
  return { path, schemaVersion: schemaVersionOf(db), scopes: result, deadLetters: countDeadLetters(db) };
}

export function resetState(db: Database.Database, scope?: string): ResetResult {
  const tables = ['identities', 'watermarks', 'runs', 'dead_letters'] as const;
  const counts = db.transaction(() =>
    tables.map((table) =>
      scope === undefined
        ? db.prepare(`DELETE FROM ${table}`).run().changes
        : db.prepare(`DELETE FROM ${table} WHERE scope = ?`).run(scope).changes,
    ),
  )();
  return {
    identities: counts[0] ?? 0,
    watermarks: counts[1] ?? 0,
    runs: counts[2] ?? 0,
    deadLetters: counts[3] ?? 0,
  };
}
