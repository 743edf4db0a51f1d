// A 200 answer the SDK cannot parse (the emulator cuts the body) is retried as transient for a read, and the
// user's values are the true ones; one that stays malformed fails the user with an error an operator can
// read: the action and the account, without the SDK's internals.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import { classifyAwsError } from '../../src/collector/aws/aws-error.js';
import { isIdempotentRead } from '../../src/collector/aws/malformed-answer.js';
import { silentLogger } from '../../src/log.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import {
  apiCollectorConfig,
  drain,
  expectedProjection,
  projectUser,
  testConfig,
} from './per-user-fixtures.js';

const logger = silentLogger();

describe('malformed answers', () => {
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 12, accounts: 1, usersPerAccount: 12, groupsPerAccount: 3 },
      config: (endpoint) => testConfig(endpoint, { aws: { max_attempts: 3 } }),
    });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  /** A user with MFA devices: a lost ListMFADevices answer must not read as "no MFA". */
  function victim(): { name: string; arn: string } {
    const truth = [...fixture.emu.truth!.users.values()].find((u) => u.hasMfa)!;
    return { name: truth.userName, arn: truth.arn };
  }

  it('retries a truncated ListMFADevices answer and collects the true values', async () => {
    const { name, arn } = victim();
    fixture.emu.faults.add({
      service: 'iam',
      action: 'ListMFADevices',
      userName: name,
      kind: 'malformed',
      times: 2,
    });
    try {
      const out = await drain(
        perUserSource(fixture.handle, apiCollectorConfig(), { logger }),
        (l) => l.name === name,
      );
      expect(out.items.map((i) => i.status)).toEqual(['ok']);
      const item = out.items[0]!;
      if (item.status !== 'ok' || item.identity.kind !== 'iam_user') throw new Error('expected an IAM user');
      expect(projectUser(item.identity)).toEqual(expectedProjection(fixture.emu.truth!.users.get(arn)!));
      expect(fixture.emu.faults.list()).toEqual([]);
    } finally {
      fixture.emu.faults.clear();
    }
  });

  it('fails the user after aws.max_attempts, naming action and account without SDK internals', async () => {
    const { name } = victim();
    fixture.emu.faults.add({
      service: 'iam',
      action: 'ListMFADevices',
      userName: name,
      kind: 'malformed',
      times: 3,
    });
    try {
      const out = await drain(
        perUserSource(fixture.handle, apiCollectorConfig(), { logger }),
        (l) => l.name === name,
      );
      const item = out.items[0]!;
      expect(item).toMatchObject({ status: 'failed', name, action: 'iam:ListMFADevices' });
      if (item.status !== 'failed') throw new Error('expected a failed item');
      expect(item.error).toMatch(
        new RegExp(`^malformed response from iam:ListMFADevices \\(account ${fixture.accountId}\\): \\S`),
      );
      expect(item.error).not.toMatch(/Deserialization error|\$response|hidden field/);
      // All three attempts were spent on it.
      expect(fixture.emu.faults.list()).toEqual([]);
    } finally {
      fixture.emu.faults.clear();
    }
  });

  it('classifies the SDK parse failure of a 200 as malformed and retryable; only reads are retried', () => {
    const sdkError = Object.assign(
      new Error(
        'XML parse error\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      {
        $metadata: { httpStatusCode: 200 },
      },
    );
    expect(classifyAwsError(sdkError)).toMatchObject({ kind: 'malformed', retryable: true });
    expect(classifyAwsError({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }).kind).toBe(
      'denied',
    );
    expect(isIdempotentRead('ListMFADevices')).toBe(true);
    expect(isIdempotentRead('GetCredentialReport')).toBe(true);
    expect(isIdempotentRead('GenerateCredentialReport')).toBe(false);
  });
});

describe('load-independent faults', () => {
  it('collects every user truly under steady throttling, 5xx, resets and truncated answers', async () => {
    const fixture = await startEmulatorAccount({
      world: { seed: 13, accounts: 1, usersPerAccount: 8, groupsPerAccount: 2 },
      emulator: { throttleErrorRate: 0.2, errorRate: 0.05, resetRate: 0.02, malformedRate: 0.02, seed: 9 },
      config: (endpoint) => testConfig(endpoint),
    });
    try {
      const out = await drain(perUserSource(fixture.handle, apiCollectorConfig(), { logger }));
      expect(out.error).toBeUndefined();
      expect(out.items).toHaveLength(8);
      for (const item of out.items) {
        if (item.status !== 'ok' || item.identity.kind !== 'iam_user') continue;
        expect(projectUser(item.identity)).toEqual(
          expectedProjection(fixture.emu.truth!.users.get(item.identity.arn)!),
        );
      }
      // The default aws.max_attempts (10) outlasts these shares: nobody fails.
      expect(out.items.map((i) => i.status)).toEqual(Array(8).fill('ok'));
    } finally {
      await fixture.stop();
    }
  });
});
