import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, fixtureWorld } from './fixture-world.js';
import { iamClient, stsClient } from './sdk-clients.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(10), throttleRps: 5, throttleBurst: 5 });
});

afterAll(async () => {
  await emu.stop();
});

describe('per-account throttling', () => {
  it('answers a burst beyond the bucket with Throttling "Rate exceeded" when the client does not retry', async () => {
    const iam = iamClient(emu.url, undefined, { maxAttempts: 1 });
    emu.resetStats();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => iam.send(new ListUsersCommand({}))),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(40);
    for (const r of rejected) {
      const e = r.reason as { name: string; message: string; $metadata: { httpStatusCode: number } };
      expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['Throttling', 'Rate exceeded', 400]);
    }
    const stats = emu.stats();
    expect(stats.throttled[ACCOUNT_A]).toBe(rejected.length);
    expect(stats.throttledCalls[ACCOUNT_A]).toEqual({ 'iam:ListUsers': rejected.length });
    expect(stats.calls[ACCOUNT_A]?.['iam:ListUsers']).toBe(50);
    iam.destroy();
  });

  it('throttles each service of an account separately, as AWS does (STS calls do not spend the IAM rate)', async () => {
    const fresh = await startEmulator({ world: fixtureWorld(10), throttleRps: 1, throttleBurst: 3 });
    const sts = stsClient(fresh.url);
    const iam = iamClient(fresh.url);
    try {
      const stsResults = await Promise.allSettled(
        Array.from({ length: 6 }, () => sts.send(new GetCallerIdentityCommand({}))),
      );
      expect(stsResults.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(2);
      // The account's IAM bucket is still full.
      const iamResults = await Promise.allSettled(
        Array.from({ length: 3 }, () => iam.send(new ListUsersCommand({}))),
      );
      expect(iamResults.filter((r) => r.status === 'rejected')).toEqual([]);
      const throttledCalls = fresh.stats().throttledCalls[ACCOUNT_A]!;
      expect(Object.keys(throttledCalls)).toEqual(['sts:GetCallerIdentity']);
    } finally {
      sts.destroy();
      iam.destroy();
      await fresh.stop();
    }
  });

  it('lets adaptive retry complete every call of the same burst', async () => {
    // A fresh emulator: a full bucket, as in the first test.
    const fresh = await startEmulator({ world: fixtureWorld(10), throttleRps: 25, throttleBurst: 5 });
    const iam = iamClient(fresh.url, undefined, { retryMode: 'adaptive', maxAttempts: 50 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => iam.send(new ListUsersCommand({}))),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    expect(fresh.stats().throttled[ACCOUNT_A]).toBeGreaterThan(0);
    iam.destroy();
    await fresh.stop();
  }, 60_000);
});
