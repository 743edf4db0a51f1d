// The single-writer lock. It is an SQLite EXCLUSIVE lock on a sidecar file, i.e. an fcntl lock the kernel drops
// when the holder dies: a SIGKILLed run never leaves a stale lock behind, unlike a pid file alone. The pid file
// beside it only serves the error message.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StateError, StateLockedError } from './errors.js';

export interface WriterLock {
  release(): void;
}

export function lockPathFor(statePath: string): string {
  return `${statePath}-lock`;
}

function pidPathFor(statePath: string): string {
  return `${statePath}-lock.pid`;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function readHolderPid(statePath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidPathFor(statePath), 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function openLockDb(statePath: string): Database.Database {
  const lockPath = lockPathFor(statePath);
  try {
    closeSync(openSync(lockPath, 'a', 0o600));
    // timeout 0: a held lock fails at once instead of waiting (better-sqlite3 waits 5 s by default).
    const db = new Database(lockPath, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    return db;
  } catch (err) {
    if (isBusy(err)) throw new StateLockedError(statePath, readHolderPid(statePath));
    throw new StateError(`cannot open lock file ${lockPath}: ${(err as Error).message}`, statePath);
  }
}

/** Takes the writer lock of a state file or throws StateLockedError naming the holder's pid. */
export function acquireWriterLock(statePath: string): WriterLock {
  const db = openLockDb(statePath);
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (isBusy(err)) throw new StateLockedError(statePath, readHolderPid(statePath));
    throw new StateError(`cannot lock ${lockPathFor(statePath)}: ${(err as Error).message}`, statePath);
  }
  try {
    writeFileSync(pidPathFor(statePath), `${process.pid}\n`, { mode: 0o600 });
  } catch (err) {
    db.close();
    throw new StateError(`cannot write ${pidPathFor(statePath)}: ${(err as Error).message}`, statePath);
  }
  let released = false;
  return {
    release(): void {
      if (released) return;
      released = true;
      if (readHolderPid(statePath) === process.pid) rmSync(pidPathFor(statePath), { force: true });
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

/**
 * True when some process holds the writer lock. It probes with a shared lock for an instant, so it is only
 * used for display (telling a live run from one whose process died).
 */
export function isWriterLockHeld(statePath: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(lockPathFor(statePath), { timeout: 0, readonly: true, fileMustExist: true });
  } catch (err) {
    return isBusy(err);
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (err) {
    return isBusy(err);
  } finally {
    db.close();
  }
}
