// npm test's first step: the type-check and the build run at once, and either failing fails the step. Run
// here on a package of its own with real npm, scripts that pass, print and fail.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SCRIPT = resolve('scripts/run-in-parallel.mjs');

function runInParallel(names: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'run-in-parallel-'));
  const node = (code: string) => `node -e "${code}"`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'run-in-parallel-test',
      private: true,
      scripts: {
        slow: node("setTimeout(() => console.log('slow done'), 300)"),
        fast: node("console.log('fast done')"),
        broken: node("console.error('broken: type error'); process.exit(3)"),
      },
    }),
  );
  return new Promise((done) => {
    execFile(process.execPath, [SCRIPT, ...names], { cwd: dir }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('scripts/run-in-parallel.mjs', () => {
  it('runs every script, prints each one whole in the order given, and exits 0', async () => {
    const ran = await runInParallel(['slow', 'fast']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe('slow done\nfast done\n');
  });

  it('exits 1 when one fails, naming it, after the others finished', async () => {
    const ran = await runInParallel(['broken', 'slow']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('broken: type error\n');
    expect(ran.stdout).toContain('slow done\n');
    expect(ran.stderr).toBe('npm run broken failed (exit code 3)\n');
  });

  it('exits 2 with its usage when given no script', async () => {
    const ran = await runInParallel([]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^usage: node scripts\/run-in-parallel\.mjs SCRIPT/);
  });
});
