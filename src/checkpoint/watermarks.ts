// Watermarks: per scope, the newest change time delivered and the keys seen at exactly that time.
import type Database from 'better-sqlite3';
import type { Watermark } from './types.js';

export function getWatermark(db: Database.Database, scope: string): Watermark | undefined {
  const row = db
    .prepare('SELECT watermark_ms, keys_at_watermark FROM watermarks WHERE scope = ?')
    .get(scope) as { watermark_ms: number; keys_at_watermark: string } | undefined;
  if (row === undefined) return undefined;
  return {
    watermarkMs: row.watermark_ms,
    keysAtWatermark: new Set(JSON.parse(row.keys_at_watermark) as string[]),
  };
}

export function setWatermark(
  db: Database.Database,
  scope: string,
  watermarkMs: number,
  keysAtWatermark: Iterable<string>,
  now: () => number,
): void {
  if (!Number.isSafeInteger(watermarkMs))
    throw new TypeError(`watermark must be integer ms, got ${watermarkMs}`);
  db.prepare(
    `INSERT INTO watermarks (scope, watermark_ms, keys_at_watermark, updated_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET watermark_ms = excluded.watermark_ms,
       keys_at_watermark = excluded.keys_at_watermark, updated_ms = excluded.updated_ms`,
  ).run(scope, watermarkMs, JSON.stringify([...keysAtWatermark].sort()), now());
}
