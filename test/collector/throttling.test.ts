// Per-account throttling: each account has its own token bucket in the emulator and its own IAM client (and
// so its own adaptive-retry rate limiter) in the collector. Collecting several throttled accounts at once
// must lose no user, and the throttled attempts must be visible to the observer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSources } from '../../src/collector/open-sources.js';
import { type Emulator, generateWorld, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { CountingObserver } from '../support/call-observers.js';
import { drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();
const USERS = 10;

describe('per-account throttling', () => {
  let emu: Emulator;

  beforeAll(async () => {
    const { world, truth } = generateWorld({
      seed: 31,
      accounts: 3,
      usersPerAccount: USERS,
      groupsPerAccount: 3,
      rolesPerAccount: 1,
    });
    emu = await startEmulator({ world, truth, throttleRps: 20, throttleBurst: 10 });
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('collects 3 accounts at 20 req/s each with concurrency 8: no failed users, throttling observed', async () => {
    const ids = [...emu.world.accounts.keys()].sort();
    const observer = new CountingObserver();
    const config = testConfig(emu.url, {
      aws: { accounts: ids.map((id) => ({ id, role_name: 'IamInventoryReader' })) },
      collector: {
        // Per-user calls: enough of them to meet the throttle (bulk at the floor makes too few).
        strategy: 'per-user',
        mfa_source: 'api',
        concurrency: 8,
        page_size: 10,
        admin_analysis: false,
        access_keys: false,
        login_profile: false,
        tags: false,
      },
    });
    const opened = await openSources(config, { logger, observer });
    expect(opened.failures).toEqual([]);
    const results = await Promise.all(opened.sources.map((s) => drain(s)));
    for (const out of results) {
      expect(out.error).toBeUndefined();
      expect(out.listed).toHaveLength(USERS);
      expect(out.items.map((i) => i.status)).toEqual(Array(USERS).fill('ok'));
    }
    const stats = emu.stats();
    const throttledByEmulator = Object.values(stats.throttled).reduce((a, b) => a + b, 0);
    expect(throttledByEmulator).toBeGreaterThan(0);
    expect(observer.total(observer.throttled)).toBe(throttledByEmulator);
    // Every attempt, throttled ones included, is counted once per HTTP request.
    expect(observer.total(observer.calls)).toBe(stats.total);
    for (const h of opened.handles) h.iam.destroy();
  });
});
