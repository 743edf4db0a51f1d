// Schema migrations, applied in order inside one transaction each. PRAGMA user_version holds the number of
// migrations applied. Append new migrations at the end; never edit one that has shipped: files in the field
// were created by it.

export interface Migration {
  /** What the migration does, for the error message when it fails. */
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'initial schema',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Per scope (account): the greatest CreateDate acknowledged by every sink, and the keys delivered at
      -- exactly that second (CreateDate has second precision).
      CREATE TABLE watermarks (
        scope TEXT PRIMARY KEY,
        watermark_ms INTEGER NOT NULL,
        keys_at_watermark TEXT NOT NULL,
        updated_ms INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- The version of each identity last delivered: its fingerprint for change detection, the event itself
      -- so that a deletion event can carry the last known user object.
      CREATE TABLE identities (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT,
        create_date_ms INTEGER,
        fingerprint TEXT NOT NULL,
        last_event TEXT NOT NULL,
        first_delivered_ms INTEGER NOT NULL,
        last_delivered_ms INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        deleted_ms INTEGER,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;

      -- One row per run and scope: a run over several accounts has one row for each, sharing the run id.
      CREATE TABLE runs (
        id TEXT NOT NULL,
        scope TEXT NOT NULL,
        mode TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        users_seen INTEGER NOT NULL DEFAULT 0,
        events_sent INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
        error TEXT,
        PRIMARY KEY (id, scope)
      );
      CREATE INDEX runs_by_scope ON runs (scope, started_ms);
      CREATE INDEX runs_by_start ON runs (started_ms);

      CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        sink TEXT,
        reason TEXT NOT NULL,
        errors TEXT,
        event TEXT,
        created_ms INTEGER NOT NULL
      );
      CREATE INDEX dead_letters_by_scope ON dead_letters (scope);
    `,
  },
  {
    description: 'when the change feed last read each identity from the API',
    sql: `
      -- When a change burst last read the identity from the API (epoch ms). A credential report cached from
      -- before it is older than what was delivered: a full run reads that identity from the API instead.
      ALTER TABLE identities ADD COLUMN api_read_ms INTEGER;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
