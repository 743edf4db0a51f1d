// The credential report's life cycle against the emulator: a report still in progress is polled until it
// is ready, LimitExceeded on generation is waited out, a missing or expired report is regenerated, and
// waiting has a bound.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fetchCredentialReport } from '../../src/collector/iam/credential-report.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator, generateWorld, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { openOwnAccount } from '../support/emulator-account.js';
import { testConfig } from './per-user-fixtures.js';

const logger = silentLogger();
const fast = { logger, initialPollDelayMs: 20, maxPollDelayMs: 100 };

describe('fetchCredentialReport', () => {
  let emu: Emulator;
  let handle: AccountHandle;

  beforeAll(async () => {
    const { world, truth } = generateWorld({
      seed: 3,
      accounts: 1,
      usersPerAccount: 40,
      groupsPerAccount: 5,
    });
    emu = await startEmulator({ world, truth });
  });

  // A fresh client per test (throttling-class errors such as LimitExceeded slow a client's adaptive rate
  // limiter), and no SDK retries: the SDK would otherwise absorb LimitExceeded before our loop sees it.
  beforeEach(async () => {
    handle = await openOwnAccount(testConfig(emu.url, { aws: { max_attempts: 1 } }), logger);
  });

  afterEach(() => {
    handle?.iam.destroy();
  });

  afterAll(async () => {
    await emu?.stop();
  });

  function account() {
    return emu.world.accounts.get(handle.accountId)!;
  }

  it('polls while the report is in progress, then parses every user', async () => {
    account().credentialReport = undefined;
    account().credentialReportDelayMs = 300;
    emu.resetStats();
    const before = Date.now();
    const report = await fetchCredentialReport(handle.iam, { ...fast, maxWaitSeconds: 30 });
    const calls = emu.stats().calls[handle.accountId]!;
    expect(calls['iam:GenerateCredentialReport']).toBe(1);
    expect(calls['iam:GetCredentialReport']).toBeGreaterThan(1);
    expect(report.users.size).toBe(40);
    expect(report.generatedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const truth = emu.truth!;
    for (const [arn, entry] of report.users) {
      const expected = truth.users.get(arn)!;
      expect(entry.user).toBe(expected.userName);
      expect(entry.mfaActive).toBe(expected.hasMfa);
      expect(entry.passwordEnabled).toBe(expected.hasLoginProfile);
      expect(entry.userCreationTime).toBe(expected.createDate);
    }
  });

  it('waits out LimitExceeded on GenerateCredentialReport', async () => {
    account().credentialReport = undefined;
    account().credentialReportDelayMs = 0;
    emu.faults.add({
      service: 'iam',
      action: 'GenerateCredentialReport',
      kind: 'error',
      status: 409,
      code: 'LimitExceeded',
      message: 'Report generation limit exceeded',
      times: 2,
    });
    emu.resetStats();
    const report = await fetchCredentialReport(handle.iam, { ...fast, maxWaitSeconds: 30 });
    expect(report.users.size).toBe(40);
    expect(emu.stats().calls[handle.accountId]!['iam:GenerateCredentialReport']).toBe(3);
  });

  it('fails with a clear error when LimitExceeded lasts beyond the wait bound', async () => {
    account().credentialReport = undefined;
    const rule = emu.faults.add({
      service: 'iam',
      action: 'GenerateCredentialReport',
      kind: 'error',
      status: 409,
      code: 'LimitExceeded',
      message: 'Report generation limit exceeded',
    });
    try {
      await expect(fetchCredentialReport(handle.iam, { ...fast, maxWaitSeconds: 1 })).rejects.toMatchObject({
        name: 'CredentialReportError',
        action: 'iam:GenerateCredentialReport',
        message: expect.stringMatching(/not available within 1s/),
      });
    } finally {
      emu.faults.remove(rule);
    }
  });

  it.each(['ReportExpired', 'ReportNotPresent'])('regenerates the report on %s', async (code) => {
    account().credentialReport = undefined;
    emu.faults.add({
      service: 'iam',
      action: 'GetCredentialReport',
      kind: 'error',
      status: 410,
      code,
      times: 1,
    });
    emu.resetStats();
    const report = await fetchCredentialReport(handle.iam, { ...fast, maxWaitSeconds: 30 });
    expect(report.users.size).toBe(40);
    const calls = emu.stats().calls[handle.accountId]!;
    expect(calls['iam:GenerateCredentialReport']).toBe(2);
    expect(calls['iam:GetCredentialReport']).toBe(2);
  });

  it('gives up on a report that stays in progress longer than the wait bound', async () => {
    account().credentialReport = undefined;
    account().credentialReportDelayMs = 60_000;
    try {
      await expect(fetchCredentialReport(handle.iam, { ...fast, maxWaitSeconds: 1 })).rejects.toMatchObject({
        name: 'CredentialReportError',
        action: 'iam:GetCredentialReport',
      });
    } finally {
      account().credentialReportDelayMs = 0;
      account().credentialReport = undefined;
    }
  });
});
