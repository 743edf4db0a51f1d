// The benchmarks read their flags as the CLI does: a figure computed from a flag that was not understood
// would describe nothing, so a bad flag ends the script before any work with exit 2 and the flag's name.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function bench(script: string, args: string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, [resolve('dist/scripts', script), ...args], (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('benchmark flags', () => {
  it('--help prints the usage and exits 0', async () => {
    const ran = await bench('bench.js', ['--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^usage: npm run bench -- .*--throttle-error-rate P/s);
  });

  it.each([
    [['--users', 'many'], /--users takes an integer >= 0, not "many"/],
    [['--features', 'most'], /--features takes all or core, not "most"/],
    [['--shards', '2'], /Unknown option '--shards'/],
    [['--concurrency', '0'], /--concurrency takes an integer >= 1, not "0"/],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const ran = await bench('bench.js', args);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(message);
    expect(ran.stdout).toBe('');
  });

  it('bench:changes refuses a rate of 0 the same way', async () => {
    const ran = await bench('bench-changes.js', ['--rate', '0']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^--rate takes a number >= 0.01, not "0"\nusage: npm run bench:changes/);
  });
});
