// Crash safety: SIGKILL the CLI at random points of a 2,000-user run with a slow sink; after a final clean
// run every user reached the sink at least once and the state database is intact.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { collect, runCli, spawnCli, tempDir, userOf, writeConfig } from './cli.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Deterministic kill points (mulberry32). */
function killDelays(seed: number, count: number, minMs: number, maxMs: number): number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.round(minMs + next() * (maxMs - minMs)));
}

describe('crash safety', () => {
  let emu: Emulator;
  let sink: SinkServer;
  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 2000,
        accounts: 1,
        usersPerAccount: 2000,
        groupsPerAccount: 50,
        identityCenter: false,
      },
    });
    sink = await startSinkServer();
    sink.delayMs = 25;
  });
  afterAll(async () => {
    await sink.close();
    await emu.stop();
  });

  it('survives 12 SIGKILLs at random points without losing a user or corrupting the state', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: { concurrency: 16, access_keys: false, login_profile: false, tags: false },
      sinks: [
        {
          type: 'http',
          url: sink.url,
          batch: { max_events: 100 },
          retry: { max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 50 },
        },
      ],
    });
    let killed = 0;
    for (const delay of killDelays(20_251_126, 12, 150, 1000)) {
      const child = spawnCli(['run', '--config', config]);
      const done = collect(child);
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      const r = await done;
      // A run that finished before its kill point must have succeeded.
      if (r.signal === null) expect(r.code).toBe(0);
    }
    expect(killed).toBeGreaterThan(6);

    const final = await runCli(['run', '--config', config]);
    expect(final.code).toBe(0);
    const received = new Set(sink.events.map((e) => userOf(e).uid as string));
    const users = [...emu.world.accounts.get(emu.world.defaultAccountId)!.users.values()];
    const missing = users.filter((u) => !received.has(u.arn));
    expect(missing.map((u) => u.userName)).toEqual([]);

    const db = new Database(join(dir, 'state.db'), { readonly: true });
    try {
      expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      db.close();
    }
  }, 180_000); // Twelve killed runs and a last one, one after another: ~20 s on a quiet 2-core machine.
});
