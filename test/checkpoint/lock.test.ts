import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openCheckpoint, type StateLockedError } from '../../src/checkpoint/index.js';
import { buildCheckpointModule } from './child-module.js';

let modulePath: string;
let dir: string;

beforeAll(() => {
  modulePath = buildCheckpointModule();
  dir = mkdtempSync(join(tmpdir(), 'iam-lock-'));
});

/** Starts a child that opens the state file as a writer, prints "ready <pid>" and waits to be killed. */
function startHolder(statePath: string): Promise<ChildProcessWithoutNullStreams> {
  const script = `
    import { openCheckpoint } from ${JSON.stringify(pathToFileURL(modulePath).href)};
    const cp = openCheckpoint(${JSON.stringify(statePath)});
    cp.startRun({ scope: '111111111111', mode: 'incremental' });
    process.stdout.write('ready ' + process.pid + '\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
  });
}

function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('single-writer lock', () => {
  it('refuses a second writer with the holder pid, and is released when the holder is SIGKILLed', async () => {
    const statePath = join(dir, 'state.db');
    const child = await startHolder(statePath);
    try {
      let error: StateLockedError | undefined;
      try {
        openCheckpoint(statePath).close();
      } catch (e) {
        error = e as StateLockedError;
      }
      expect(error?.name).toBe('StateLockedError');
      expect(error?.message).toBe(`state file ${statePath} is in use by pid ${child.pid}`);
      expect(error?.exitCode).toBe(2);
      expect(readFileSync(`${statePath}-lock.pid`, 'utf8').trim()).toBe(String(child.pid));

      // A reader does not need the lock, and sees the holder's run as live.
      const reader = openCheckpoint(statePath, { readonly: true });
      expect(reader.lastRun('111111111111')?.status).toBe('running');
      reader.close();
    } finally {
      await killed(child);
    }

    // The kernel dropped the dead holder's lock: no stale lock, and its run now reads as interrupted.
    const reader = openCheckpoint(statePath, { readonly: true });
    expect(reader.lastRun('111111111111')?.status).toBe('interrupted');
    reader.close();
    const writer = openCheckpoint(statePath);
    expect(writer.listRuns(5)[0]).toMatchObject({ status: 'interrupted', finishedMs: expect.any(Number) });
    writer.close();
  });

  it('is released by close() in the same process', () => {
    const statePath = join(dir, 'close.db');
    const first = openCheckpoint(statePath);
    expect(() => openCheckpoint(statePath)).toThrow(
      `state file ${statePath} is in use by pid ${process.pid}`,
    );
    first.close();
    const second = openCheckpoint(statePath);
    second.close();
  });
});
