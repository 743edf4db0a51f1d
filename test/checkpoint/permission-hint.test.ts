import { describe, expect, it } from '@jest/globals';
import { nearestExisting, ownershipHint } from '../../src/checkpoint/permission-hint.js';

const errno = (code: string): Error => Object.assign(new Error(`${code}: refused`), { code });

describe('ownershipHint', () => {
  it('names the path and the uid/gid that must own it for a permission error', () => {
    const hint = ownershipHint(errno('EACCES'), '/var/lib/iam-inventory', { uid: 10001, gid: 10001 });
    expect(hint).toBe(
      '; /var/lib/iam-inventory must be owned by (or writable for) uid 10001 (gid 10001), the user ' +
        'iam-inventory runs as; for a bind mount run `chown 10001:10001` on the host folder',
    );
    expect(ownershipHint(errno('EPERM'), '/s', { uid: 5, gid: 6 })).toContain('uid 5 (gid 6)');
  });

  it('says the filesystem is read-only for EROFS, and adds nothing for other errors', () => {
    expect(ownershipHint(errno('EROFS'), '/app/data', { uid: 1, gid: 1 })).toBe(
      '; /app/data is on a read-only filesystem: mount a writable volume for the state',
    );
    expect(ownershipHint(errno('ENOTDIR'), '/x', { uid: 1, gid: 1 })).toBe('');
    expect(ownershipHint(new Error('no code'), '/x', { uid: 1, gid: 1 })).toBe('');
  });

  it('falls back to words where the platform has no uid', () => {
    expect(ownershipHint(errno('EACCES'), '/x', undefined)).toBe(
      '; /x must be writable by the user iam-inventory runs as',
    );
  });
});

describe('nearestExisting', () => {
  it('walks up to the first folder that exists', () => {
    const present = new Set(['/', '/app']);
    expect(nearestExisting('/app/data/deeper', (p) => present.has(p))).toBe('/app');
    expect(nearestExisting('/app', (p) => present.has(p))).toBe('/app');
    expect(nearestExisting('/none/at/all', () => false)).toBe('/');
  });
});
