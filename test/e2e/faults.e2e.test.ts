// The fault mix of issue 20 through the CLI with the shipped strategy and MFA source: 20 % of answers
// Throttling whatever the load, 5 % 5xx, 1 % connection resets, 1 % truncated 200 bodies. With few attempts
// some reads fail: those users are left out (never a guessed value), and a fault-free rerun completes the
// union. Every event sent, in either run, equals the ground truth.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir, userOf, writeConfig } from './cli.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';
import { expectEventMatchesTruth } from './truth.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('collection under the fault mix', () => {
  let faulty: Emulator;
  let clean: Emulator;
  let sink: SinkServer;
  beforeAll(async () => {
    faulty = await startEmulator({
      generator: { seed: 2020, accounts: 1, usersPerAccount: 40, groupsPerAccount: 4, identityCenter: false },
      throttleErrorRate: 0.2,
      errorRate: 0.05,
      resetRate: 0.01,
      malformedRate: 0.01,
      seed: 20,
    });
    // The same world, answered without faults.
    clean = await startEmulator({ world: faulty.world, ...(faulty.truth ? { truth: faulty.truth } : {}) });
    sink = await startSinkServer();
  });
  afterAll(async () => {
    await sink.close();
    await clean.stop();
    await faulty.stop();
  });

  it('sends only true values under faults, and a fault-free rerun completes the union', async () => {
    const dir = tempDir();
    const options = (endpoint: string) => ({
      dir,
      endpoint,
      // Shipped strategy and MFA source; two attempts per call so that some reads do fail.
      collector: { strategy: 'auto', mfa_source: 'credential_report' },
      aws: { max_attempts: 2 },
      sinks: [{ type: 'http', url: sink.url }],
    });
    const first = await runCli(['run', '--config', writeConfig(options(faulty.url))]);
    expect([0, 1]).toContain(first.code);
    const second = await runCli(['run', '--config', writeConfig(options(clean.url))]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    const users = [...faulty.world.accounts.get(faulty.world.defaultAccountId)!.users.values()];
    const byArn = new Map<string, Record<string, unknown>[]>();
    for (const e of sink.events) byArn.set(userOf(e).uid as string, [...(byArn.get(userOf(e).uid) ?? []), e]);
    expect([...byArn.keys()].sort()).toEqual(users.map((u) => u.arn).sort());
    for (const [arn, events] of byArn) {
      // Once each: the rerun sends only what the faulty run left out.
      expect(events).toHaveLength(1);
      expectEventMatchesTruth(events[0]!, faulty.truth!.users.get(arn)!);
    }
    const stats = faulty.stats();
    const id = faulty.world.defaultAccountId;
    expect((stats.throttled[id] ?? 0) + (stats.faults[id] ?? 0)).toBeGreaterThan(0);
  });
});
