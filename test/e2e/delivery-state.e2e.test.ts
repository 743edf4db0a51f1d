// At-least-once delivery and the state file end to end: ack-gated state, resume, lock, state show/reset.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createUser, type Emulator } from '../../src/emulator/index.js';
import {
  collect,
  LEAN_COLLECTOR,
  readEvents,
  runCli,
  spawnCli,
  stateShow,
  tempDir,
  userOf,
  writeConfig,
} from './cli.js';
import { freshEmulator } from './single-account-emulator.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const fastRetry = { max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 20 };

describe('at-least-once delivery and the state file', () => {
  let emu: Emulator;
  let sink: SinkServer;
  beforeAll(async () => {
    emu = await freshEmulator(600, 100);
    sink = await startSinkServer();
  });
  afterAll(async () => {
    await sink.close();
    await emu.stop();
  });

  it('a sink failing every batch leaves state untouched; the next run delivers every user', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 50 } }],
    });
    sink.status = 500;
    const failed = await runCli(['run', '--config', config]);
    expect(failed.code).toBe(1);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.watermark).toBeNull();
    expect(scope.identitiesKnown).toBe(0);

    sink.status = 200;
    sink.events.length = 0;
    const ok = await runCli(['run', '--config', config]);
    expect(ok.code).toBe(0);
    const total = emu.world.accounts.get(emu.world.defaultAccountId)!.users.size;
    expect(new Set(sink.events.map((e) => userOf(e).uid)).size).toBe(total);
  });

  it('a rerun after the intake went down mid-run repeats at most the unacknowledged batch', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 20 } }],
      extra: { delivery: { batch_max_events: 20 } },
    });
    sink.events.length = 0;
    sink.requests = 0;
    sink.acceptLimit = 3;
    const broken = await runCli(['run', '--config', config]);
    sink.acceptLimit = undefined;
    expect(broken.code).toBe(1);
    expect(sink.events).toHaveLength(60);

    const healed = await runCli(['run', '--config', config]);
    expect(healed.code).toBe(0);
    const uids = sink.events.map((e) => userOf(e).uid as string);
    const total = emu.world.accounts.get(emu.world.defaultAccountId)!.users.size;
    expect(new Set(uids).size).toBe(total);
    expect(uids.length - total).toBeLessThanOrEqual(20);
  });

  it('two sinks, one failing: exit 1 and the state does not advance', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      sinks: [
        { type: 'file', path: join(dir, 'events.ndjson') },
        { type: 'http', url: sink.url, retry: fastRetry },
      ],
    });
    sink.status = 503;
    const r = await runCli(['run', '--config', config]);
    sink.status = 200;
    expect(r.code).toBe(1);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.watermark).toBeNull();
    expect(scope.identitiesKnown).toBe(0);
  });

  it('a second process on the same state file exits 2 naming the holder pid', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 5 } }],
    });
    // Each batch is held long enough that the first run is still holding the lock when the second process
    // has started, however slow the machine; the delay is lifted as soon as the second one has answered.
    sink.delayMs = 3_000;
    const first = spawnCli(['run', '--mode', 'full', '--config', config]);
    const firstDone = collect(first);
    try {
      // Wait until the first run holds the lock (it has sent at least one batch).
      const start = Date.now();
      const before = sink.requests;
      while (sink.requests === before && Date.now() - start < 30_000)
        await new Promise((r) => setTimeout(r, 50));
      const second = await runCli(['run', '--config', config]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`is in use by pid ${first.pid}`));
    } finally {
      sink.delayMs = 0;
      await firstDone;
    }
  });

  it('state show reports per account, state reset clears it (with --yes)', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector: LEAN_COLLECTOR });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const shown = await stateShow(config);
    const scope = shown.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.identitiesKnown).toBe(emu.world.accounts.get(emu.world.defaultAccountId)!.users.size);
    expect(scope.lastRun.status).toBe('succeeded');
    expect(typeof scope.watermark.ms).toBe('number');

    const human = await runCli(['state', 'show', '--config', config]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(emu.world.defaultAccountId);

    const refused = await runCli(['state', 'reset', '--config', config]);
    expect(refused.code).toBe(2);
    const reset = await runCli(['state', 'reset', '--yes', '--config', config]);
    expect(reset.code).toBe(0);
    const after = await stateShow(config);
    expect(after.scopes.filter((s: any) => s.identitiesKnown > 0)).toHaveLength(0);

    // After a reset everything is delivered again.
    createUser(emu.world, emu.world.defaultAccountId, { userName: 'after-reset' });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect(readEvents(join(dir, 'events.ndjson')).length).toBeGreaterThan(
      emu.world.accounts.get(emu.world.defaultAccountId)!.users.size,
    );
  });
});
