// Opening the state file safely: its folder and mode, recognising our own files (and refusing anything else),
// and bringing the schema up to date.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { packageVersion } from '../package-root.js';
import { StateError } from './errors.js';
import type { Migration } from './migrations.js';
import { currentIds, nearestExisting, ownershipHint } from './permission-hint.js';

/** PRAGMA application_id of every iam-inventory state file ("IAMI"). */
export const APPLICATION_ID = 0x49414d49;

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code !== undefined && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message;
}

function hint(err: unknown, pathToFix: string): string {
  return ownershipHint(err, pathToFix, currentIds());
}

function notOurs(path: string): StateError {
  return new StateError(`${path} is not an iam-inventory state database`, path);
}

/** Makes sure the folder exists (0700 when created) and that the folder and file are writable. */
export function prepareStatePath(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StateError(
      `cannot create state folder ${dir}: ${errorText(err)}${hint(err, nearestExisting(dir))}`,
      path,
    );
  }
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new StateError(`state folder ${dir} is not writable: ${errorText(err)}${hint(err, dir)}`, path);
  }
  if (existsSync(path)) {
    try {
      if (!statSync(path).isFile()) throw new Error('not a regular file');
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new StateError(`state file ${path} is not writable: ${errorText(err)}${hint(err, path)}`, path);
    }
  } else {
    try {
      // Created here rather than by SQLite so that it is never readable by others, not even for an instant.
      closeSync(openSync(path, 'a', 0o600));
    } catch (err) {
      throw new StateError(`cannot create state file ${path}: ${errorText(err)}${hint(err, dir)}`, path);
    }
  }
}

export function openSqlite(path: string, readonly: boolean): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: true, timeout: 5000 });
  } catch (err) {
    throw new StateError(`cannot open state file ${path}: ${errorText(err)}`, path);
  }
}

/** 'ours' for an iam-inventory file, 'empty' for a new file; anything else throws. */
export function identify(db: Database.Database, path: string): 'ours' | 'empty' {
  let appId: number;
  let objects: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    objects = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notOurs(path);
    throw new StateError(`cannot read state file ${path}: ${errorText(err)}`, path);
  }
  if (appId === APPLICATION_ID) return 'ours';
  if (appId === 0 && objects === 0) return 'empty';
  throw notOurs(path);
}

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the missing migrations, each in its own transaction, so a crash leaves a consistent version. */
export function migrate(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[],
  nowMs: number,
): void {
  const current = schemaVersionOf(db);
  if (current > migrations.length) {
    throw new StateError(
      `state file ${path} has schema version ${current}, newer than this iam-inventory (${migrations.length}); upgrade iam-inventory`,
      path,
    );
  }
  for (let version = current; version < migrations.length; version += 1) {
    const migration = migrations[version] as Migration;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      if (version === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        insert.run('created_ms', String(nowMs));
        insert.run('created_by', `iam-inventory ${packageVersion}`);
      }
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_by', ?)").run(
        `iam-inventory ${packageVersion}`,
      );
      db.pragma(`user_version = ${version + 1}`);
    });
    try {
      apply();
    } catch (err) {
      throw new StateError(
        `state file ${path}: migration ${version + 1} (${migration.description}) failed: ${errorText(err)}`,
        path,
      );
    }
  }
}
