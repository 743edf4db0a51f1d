// Delivery as identities are read: with one 400-user listing page (16 batches), the first batch reaches the sink long
// before the page is enriched, a SIGTERM mid-page delivers and commits what was read and exits 130, and the
// next run sends exactly the rest.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { collect, LEAN_COLLECTOR, runCli, spawnCli, tempDir, userOf, writeConfig } from './cli.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const USERS = 400;
const BATCH = 25;
/** Calls every enriched user made (lean per-user reads, MFA from the API). */
const PER_USER_ACTIONS = ['iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:ListMFADevices'];

describe('streaming delivery in listing order', () => {
  let emu: Emulator;
  let sink: SinkServer;
  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 20,
        accounts: 1,
        usersPerAccount: USERS,
        groupsPerAccount: 5,
        identityCenter: false,
      },
    });
    sink = await startSinkServer();
  });
  afterAll(async () => {
    await sink.close();
    await emu.stop();
  });

  it('sends the first batch early, stops on SIGTERM with what was read committed, and resumes', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: { ...LEAN_COLLECTOR, concurrency: 4, page_size: 1000, admin_analysis: false },
      sinks: [{ type: 'http', url: sink.url, batch: { max_events: 500 } }],
      extra: { delivery: { batch_max_events: BATCH } },
    });
    const accountId = emu.world.defaultAccountId;
    // Users whose reads had started when the first batch arrived: at least as many as were enriched.
    let startedAtFirstBatch = Number.POSITIVE_INFINITY;
    const child = spawnCli(['run', '--config', config]);
    sink.delayMs = 100;
    sink.onRequest = (n) => {
      if (n === 1) {
        const calls = emu.stats().calls[accountId] ?? {};
        startedAtFirstBatch = Math.max(...PER_USER_ACTIONS.map((a) => calls[a] ?? 0));
      }
      if (n === 3) child.kill('SIGTERM');
    };
    const stopped = await collect(child);
    sink.onRequest = undefined;
    sink.delayMs = 0;

    expect(startedAtFirstBatch).toBeLessThanOrEqual(2 * BATCH);
    expect(stopped.stderr + stopped.stdout).toContain('stopping after the batch in flight');
    expect(stopped.code).toBe(130);
    const first = sink.events.map((e) => userOf(e).uid as string);
    expect(first.length).toBeGreaterThanOrEqual(3 * BATCH);
    expect(first.length).toBeLessThan(USERS);

    const resumed = await runCli(['run', '--config', config]);
    expect(resumed.code).toBe(0);
    const all = sink.events.map((e) => userOf(e).uid as string);
    // Everything delivered before the stop was committed: the rerun sends exactly the rest, no repeat.
    expect(all).toHaveLength(USERS);
    expect(new Set(all).size).toBe(USERS);
  });
});
