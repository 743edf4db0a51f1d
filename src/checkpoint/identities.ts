// Delivered identities: their opaque fingerprint, the last event delivered, and whether they were deleted.
import type Database from 'better-sqlite3';
import type {
  DeliveredDeletion,
  DeliveredIdentity,
  IdentityRecord,
  KnownIdentity,
  LastEvent,
} from './types.js';

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

export function getIdentity(db: Database.Database, scope: string, key: string): IdentityRecord | undefined {
  const row = db
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

export function knownKeys(db: Database.Database, scope: string): Map<string, KnownIdentity> {
  const known = new Map<string, KnownIdentity>();
  const rows = db
    .prepare(
      'SELECT key, fingerprint, create_date_ms, api_read_ms FROM identities WHERE scope = ? AND deleted = 0',
    )
    .iterate(scope) as IterableIterator<{
    key: string;
    fingerprint: string;
    create_date_ms: number | null;
    api_read_ms: number | null;
  }>;
  for (const row of rows) {
    known.set(row.key, {
      fingerprint: row.fingerprint,
      createDateMs: row.create_date_ms,
      apiReadMs: row.api_read_ms,
    });
  }
  return known;
}

/**
 * Records that a change burst read these identities from the API at `readMs` (those delivered, the ones it
 * found unchanged included); never moves a later read back. One transaction.
 */
export function recordApiReads(
  db: Database.Database,
  scope: string,
  keys: readonly string[],
  readMs: number,
): void {
  const update = db.prepare(
    `UPDATE identities SET api_read_ms = max(coalesce(api_read_ms, 0), @readMs)
     WHERE scope = @scope AND key = @key AND deleted = 0`,
  );
  db.transaction(() => {
    for (const key of keys) update.run({ scope, key, readMs });
  })();
}

export function countKnown(db: Database.Database, scope: string): number {
  return (
    db.prepare('SELECT count(*) AS n FROM identities WHERE scope = ? AND deleted = 0').get(scope) as {
      n: number;
    }
  ).n;
}

export function getLastEvent(db: Database.Database, scope: string, key: string): unknown {
  const row = db.prepare('SELECT last_event FROM identities WHERE scope = ? AND key = ?').get(scope, key) as
    { last_event: string } | undefined;
  if (row === undefined) return undefined;
  const stored: unknown = JSON.parse(row.last_event);
  return stored;
}

/** One transaction (all or nothing, so a crash never leaves half a batch recorded). */
export function commitDelivered(
  db: Database.Database,
  entries: readonly DeliveredIdentity[],
  deletions: readonly DeliveredDeletion[],
  now: number,
): void {
  const upsert = db.prepare(
    `INSERT INTO identities (scope, key, kind, name, create_date_ms, fingerprint, last_event,
       first_delivered_ms, last_delivered_ms, deleted, deleted_ms)
     VALUES (@scope, @key, @kind, @name, @createDateMs, @fingerprint, @event, @now, @now, 0, NULL)
     ON CONFLICT (scope, key) DO UPDATE SET kind = excluded.kind, name = excluded.name,
       create_date_ms = excluded.create_date_ms, fingerprint = excluded.fingerprint,
       last_event = excluded.last_event, last_delivered_ms = excluded.last_delivered_ms,
       deleted = 0, deleted_ms = NULL`,
  );
  const markDeleted = db.prepare(
    'UPDATE identities SET deleted = 1, deleted_ms = ?, last_delivered_ms = ? WHERE scope = ? AND key = ?',
  );
  db.transaction(() => {
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
  })();
}

/** Every identity not deleted with its last delivered event, parsed but not interpreted. */
export function* lastEvents(db: Database.Database): IterableIterator<LastEvent> {
  const rows = db
    .prepare(
      `SELECT scope, key, kind, last_delivered_ms, last_event FROM identities WHERE deleted = 0
       ORDER BY scope, key`,
    )
    .iterate() as IterableIterator<{
    scope: string;
    key: string;
    kind: string;
    last_delivered_ms: number;
    last_event: string;
  }>;
  for (const row of rows) {
    const event = JSON.parse(row.last_event) as unknown;
    yield { scope: row.scope, key: row.key, kind: row.kind, lastDeliveredMs: row.last_delivered_ms, event };
  }
}
