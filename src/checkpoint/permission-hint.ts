// What an operator must change when the state path cannot be written. In a container the process runs as a
// fixed uid (10001 in the image), and a bind-mounted folder owned by root only answers "EACCES": the error has
// to say which uid needs to own which folder.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessIds {
  uid: number;
  gid: number;
}

/** The uid and gid of this process; undefined where the platform has none (Windows). */
export function currentIds(): ProcessIds | undefined {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') return undefined;
  return { uid: process.getuid(), gid: process.getgid() };
}

/** The path itself when it exists, else its nearest existing parent: the folder a mkdir was refused in. */
export function nearestExisting(path: string, exists: (p: string) => boolean = existsSync): string {
  let current = path;
  while (!exists(current)) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return current;
}

/**
 * "; <path> must be ..." for a permission or read-only-filesystem error, so that the message names the path
 * to fix and the uid/gid that must own it; '' for any other error (the error text says enough).
 */
export function ownershipHint(err: unknown, path: string, ids: ProcessIds | undefined): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'EROFS')
    return `; ${path} is on a read-only filesystem: mount a writable volume for the state`;
  if (code !== 'EACCES' && code !== 'EPERM') return '';
  if (ids === undefined) return `; ${path} must be writable by the user iam-inventory runs as`;
  return (
    `; ${path} must be owned by (or writable for) uid ${ids.uid} (gid ${ids.gid}), the user iam-inventory ` +
    `runs as; for a bind mount run \`chown ${ids.uid}:${ids.gid}\` on the host folder`
  );
}
