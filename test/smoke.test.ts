import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { packageVersion } from '../src/package-root.js';

describe('toolchain', () => {
  it('loads ESM TypeScript and native sqlite', () => {
    const db = new Database(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
