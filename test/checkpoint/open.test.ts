import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openCheckpoint, SCHEMA_VERSION } from '../../src/checkpoint/index.js';
import { WRITER_CACHE_KIB } from '../../src/checkpoint/checkpoint.js';
import { MIGRATIONS, type Migration } from '../../src/checkpoint/migrations.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-open-'));
});

function thrown(fn: () => unknown): Error & { exitCode?: number; path?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('opening the state file', () => {
  it('creates the folder (0700) and the file (0600), in WAL mode', () => {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    const cp = openCheckpoint(path);
    cp.setWatermark('111111111111', 1_000, ['a']);
    cp.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested', 'deeper')).mode & 0o777).toBe(0o700);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('reports a folder it cannot create (a path under a regular file)', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const err = thrown(() => openCheckpoint(join(file, 'sub', 'state.db')));
    expect(err.name).toBe('StateError');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`cannot create state folder ${join(file, 'sub')}`);
    expect(err.message).toContain('ENOTDIR');
  });

  it('reports a state path that is a directory', () => {
    const err = thrown(() => openCheckpoint(dir));
    expect(err.message).toContain(`state file ${dir} is not writable: not a regular file`);
  });

  it('refuses a file that is not SQLite at all', () => {
    const path = join(dir, 'text.db');
    writeFileSync(
      path,
      'this is a text file and certainly not an SQLite database, not even close.\n'.repeat(20),
    );
    const err = thrown(() => openCheckpoint(path));
    expect(err.message).toBe(`${path} is not an iam-inventory state database`);
    expect(err.exitCode).toBe(2);
    expect(thrown(() => openCheckpoint(path, { readonly: true })).message).toBe(
      `${path} is not an iam-inventory state database`,
    );
  });

  it('refuses another SQLite database, and leaves it untouched', () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(thrown(() => openCheckpoint(path)).message).toBe(`${path} is not an iam-inventory state database`);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(0);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([
      { name: 't' },
    ]);
    again.close();
  });

  it('initialises an existing empty file', () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    chmodSync(path, 0o600);
    const cp = openCheckpoint(path);
    expect(cp.countKnown('x')).toBe(0);
    expect(cp.integrityCheck()).toBe('ok');
    cp.close();
  });

  it('read-only: a missing file is an error, not a new file', () => {
    const path = join(dir, 'missing.db');
    expect(thrown(() => openCheckpoint(path, { readonly: true })).message).toBe(
      `state file ${path} does not exist`,
    );
  });

  it('refuses a file written by a newer version', () => {
    const path = join(dir, 'newer.db');
    openCheckpoint(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(thrown(() => openCheckpoint(path)).message).toContain('newer than this iam-inventory');
  });
});

describe('migrations', () => {
  it('upgrades a version-1 file in place, keeping its data', () => {
    const path = join(dir, 'upgrade.db');
    const v1 = MIGRATIONS.slice(0, 1);
    const old = openCheckpoint(path, { migrations: v1 });
    old.commitDelivered(
      [
        {
          scope: 'acct',
          key: 'arn:a',
          kind: 'iam_user',
          name: 'a',
          createDateMs: 5_000,
          fingerprint: 'f1',
          event: { a: 1 },
        },
      ],
      [],
    );
    old.setWatermark('acct', 5_000, ['arn:a']);
    old.close();

    const v2: Migration = {
      description: 'test: a note per identity',
      sql: "ALTER TABLE identities ADD COLUMN note TEXT NOT NULL DEFAULT 'n/a';",
    };
    const upgraded = [...v1, v2];
    expect(() => openCheckpoint(path, { readonly: true, migrations: upgraded })).toThrow(
      'a writing command (run, state reset) upgrades it to 2',
    );
    const cp = openCheckpoint(path, { migrations: upgraded });
    expect(cp.getIdentity('acct', 'arn:a')?.fingerprint).toBe('f1');
    expect(cp.getWatermark('acct')?.keysAtWatermark).toEqual(new Set(['arn:a']));
    cp.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT note FROM identities').get()).toEqual({ note: 'n/a' });
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const path = join(dir, 'failing.db');
    openCheckpoint(path, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const broken: Migration = {
      description: 'test: half good, half broken',
      sql: 'CREATE TABLE extra (x); INSERT INTO no_such_table VALUES (1);',
    };
    const err = thrown(() => openCheckpoint(path, { migrations: [...MIGRATIONS.slice(0, 1), broken] }));
    expect(err.message).toContain('migration 2 (test: half good, half broken) failed');
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({
      n: 0,
    });
    db.close();
  });
});

describe('the writer connection', () => {
  it("keeps SQLite's 2 MB page cache, not better-sqlite3's 16 MB (resident memory of long runs)", () => {
    const checkpoint = openCheckpoint(join(dir, 'cache.db'));
    try {
      const db = (checkpoint as unknown as { db: Database.Database }).db;
      expect(db.pragma('cache_size', { simple: true })).toBe(-WRITER_CACHE_KIB);
      expect(WRITER_CACHE_KIB).toBeLessThanOrEqual(2000);
    } finally {
      checkpoint.close();
    }
  });
});
