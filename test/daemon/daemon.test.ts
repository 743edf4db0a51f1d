// startDaemon in-process with the real runCollection against the emulator (the CLI-level test is
// daemon-e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../../src/daemon/daemon.js';
import { createBucket, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import type { Config } from '../../src/config/config.js';
import { fixtureConfig } from '../cli/check-config-fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('startDaemon', () => {
  let emu: Emulator;
  let dir: string;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 5, accounts: 1, usersPerAccount: 12, groupsPerAccount: 2, identityCenter: false },
    });
    dir = mkdtempSync(join(tmpdir(), 'iam-inventory-daemon-unit-'));
  });
  afterAll(async () => {
    await emu.stop();
  });

  function config(name: string, schedule: Partial<Config['schedule']> = {}): Config {
    const base = fixtureConfig(emu.url, { sinks: [{ type: 'file', path: join(dir, `${name}.ndjson`) }] });
    return {
      ...base,
      state: { ...base.state, path: join(dir, `${name}.db`) },
      schedule: {
        ...base.schedule,
        incremental: '0 0 1 1 *',
        full: '0 0 1 1 *',
        run_on_start: true,
        ...schedule,
      },
    };
  }

  it('runs at start (full on a fresh state), becomes ready, and stops with exit code 0', async () => {
    const daemon = await startDaemon(config('a'), { logger: silentLogger() });
    expect(daemon.opsAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(daemon.scheduler.currentMode).toBe('full');
    await daemon.scheduler.idle();
    const ready = daemon.readiness.report();
    expect(ready.ready).toBe(true);
    expect((await fetch(`http://${daemon.opsAddress}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`http://${daemon.opsAddress}/metrics`)).text();
    expect(metrics).toContain('iam_inventory_runs_total{mode="full",status="succeeded"} 1');
    expect(metrics).toMatch(/iam_inventory_users_collected_total\{account="\d{12}"\} 12/);
    // A second daemon on the same state file is refused (exit code 2).
    await expect(startDaemon(config('a'), { logger: silentLogger() })).rejects.toMatchObject({ exitCode: 2 });
    expect(await daemon.stop('test')).toBe(0);
    expect(daemon.scheduler.running).toBe(false);
  });

  it('starts incremental when the state already has a successful run, and is ready from the state file', async () => {
    const daemon = await startDaemon(config('a', { run_on_start: false }), { logger: silentLogger() });
    expect(daemon.readiness.report().ready).toBe(true);
    expect(daemon.scheduler.tick('incremental', 'start')).toBe('started');
    await daemon.scheduler.idle();
    expect(await daemon.stop('test')).toBe(0);
  });

  it('writes buffered objects every flush_seconds, and the rest when it stops', async () => {
    const bucket = createBucket(emu.world, 'daemon-objects');
    const withS3 = (name: string, flushSeconds: number): Config => {
      const c = config(name);
      const s3 = {
        type: 's3',
        bucket: bucket.name,
        region: 'us-east-1',
        prefix: name,
        flush_seconds: flushSeconds,
      };
      return { ...c, sinks: [...c.sinks, s3 as unknown as Config['sinks'][number]] };
    };
    const under = (prefix: string) => [...bucket.objects.keys()].filter((k) => k.startsWith(`${prefix}/`));

    const scheduled = await startDaemon(withS3('flush1', 1), { logger: silentLogger() });
    await scheduled.scheduler.idle();
    for (let waited = 0; under('flush1').length === 0 && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(under('flush1')).toHaveLength(1);
    expect(await scheduled.stop('test')).toBe(0);

    const stopping = await startDaemon(withS3('flush300', 300), { logger: silentLogger() });
    await stopping.scheduler.idle();
    expect(under('flush300')).toEqual([]);
    expect(await stopping.stop('SIGTERM')).toBe(0);
    expect(under('flush300')).toHaveLength(1);
  });

  it('refuses a bad cron expression before opening anything', async () => {
    await expect(
      startDaemon(config('b', { incremental: '0 * * *' }), { logger: silentLogger() }),
    ).rejects.toMatchObject({ exitCode: 2, key: 'schedule.incremental' });
  });
});
