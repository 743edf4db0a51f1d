// Failure rules of the per-user strategy: a user whose enrichment fails is a 'failed' item naming the AWS
// action (never a made-up value), a user gone mid-run is 'vanished', and a failed listing throws an
// AccountCollectionError naming the account and the action, after the pages that succeeded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountCollectionError } from '../../src/collector/aws/errors.js';
import type { IamUser } from '../../src/identity/identity.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { addLimitedKey, startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { apiCollectorConfig, drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();
/** Two attempts keep retried faults quick; the rules do not depend on the count. */
const twoAttempts = (endpoint: string) => testConfig(endpoint, { aws: { max_attempts: 2 } });

describe('per-user failure rules', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let accountId: string;
  let userNames: string[];
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 11, accounts: 1, usersPerAccount: 30, groupsPerAccount: 6 },
      config: twoAttempts,
    });
    ({ emu, handle, accountId } = fixture);
    userNames = [...emu.world.accounts.get(accountId)!.users.keys()].sort();
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('reports a user whose ListMFADevices keeps failing as failed, naming the action; the others are ok', async () => {
    const victim = userNames[3]!;
    emu.faults.add({
      service: 'iam',
      action: 'ListMFADevices',
      userName: victim,
      kind: 'error',
      status: 500,
      code: 'InternalFailure',
      times: 1000,
    });
    try {
      const firstTwelve = new Set(userNames.slice(0, 12));
      const out = await drain(perUserSource(handle, apiCollectorConfig({ page_size: 10 }), { logger }), (l) =>
        firstTwelve.has(l.name),
      );
      expect(out.error).toBeUndefined();
      expect(out.listed).toHaveLength(30);
      expect(out.items).toHaveLength(12);
      const failed = out.items.filter((i) => i.status === 'failed');
      expect(failed).toHaveLength(1);
      const f = failed[0]!;
      if (f.status !== 'failed') throw new Error('unreachable');
      expect(f.name).toBe(victim);
      expect(f.key).toBe(emu.world.accounts.get(accountId)!.users.get(victim)!.arn);
      expect(f.action).toBe('iam:ListMFADevices');
      expect(f.error).toMatch(/^InternalFailure: /);
      expect(out.items.filter((i) => i.status === 'ok')).toHaveLength(11);
    } finally {
      emu.faults.clear();
    }
  });

  it('never turns a throttled call into a value: GetLoginProfile throttled out fails the user', async () => {
    const victim = userNames[5]!;
    emu.faults.add({
      service: 'iam',
      action: 'GetLoginProfile',
      userName: victim,
      kind: 'throttle',
      times: 1000,
    });
    try {
      // Its own client: adaptive retry slows a client down after throttling, which would slow later tests.
      const own = await fixture.open(twoAttempts(emu.url));
      const out = await drain(
        perUserSource(own, apiCollectorConfig({ page_size: 100 }), { logger }),
        (l) => l.name === victim,
      );
      own.iam.destroy();
      expect(out.items).toEqual([
        expect.objectContaining({ status: 'failed', name: victim, action: 'iam:GetLoginProfile' }),
      ]);
      const item = out.items[0]!;
      expect(item.status === 'failed' && item.error.startsWith('Throttling: ')).toBe(true);
    } finally {
      emu.faults.clear();
    }
  });

  it('recovers a transient failure through the SDK retries', async () => {
    const victim = userNames[6]!;
    emu.faults.add({
      service: 'iam',
      action: 'ListGroupsForUser',
      userName: victim,
      kind: 'error',
      status: 503,
      code: 'ServiceUnavailable',
      times: 1,
    });
    try {
      const out = await drain(
        perUserSource(handle, apiCollectorConfig(), { logger }),
        (l) => l.name === victim,
      );
      expect(out.items.map((i) => i.status)).toEqual(['ok']);
    } finally {
      emu.faults.clear();
    }
  });

  it('reports a user deleted mid-run (NoSuchEntity) as vanished', async () => {
    const victim = userNames[7]!;
    emu.faults.add({ service: 'iam', action: 'ListAttachedUserPolicies', userName: victim, kind: 'vanish' });
    try {
      const out = await drain(
        perUserSource(handle, apiCollectorConfig(), { logger }),
        (l) => l.name <= victim,
      );
      expect(out.error).toBeUndefined();
      expect(out.items).toHaveLength(8);
      const notOk = out.items.filter((i) => i.status !== 'ok');
      expect(notOk).toEqual([
        { status: 'vanished', key: expect.stringMatching(new RegExp(`/${victim}$`)), name: victim },
      ]);
    } finally {
      emu.faults.clear();
    }
  });

  it('fails (does not vanish) users whose policy is missing: NoSuchEntity on GetPolicy is not about the user', async () => {
    emu.faults.add({
      service: 'iam',
      action: 'GetPolicy',
      kind: 'error',
      status: 404,
      code: 'NoSuchEntity',
      times: 1000,
    });
    try {
      const firstFive = new Set(userNames.slice(0, 5));
      const out = await drain(perUserSource(handle, apiCollectorConfig(), { logger }), (l) =>
        firstFive.has(l.name),
      );
      expect(out.items).toHaveLength(5);
      const failed = out.items.filter((i) => i.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(f).toEqual(expect.objectContaining({ action: 'iam:GetPolicy' }));
      expect(out.items.filter((i) => i.status === 'vanished')).toEqual([]);
    } finally {
      emu.faults.clear();
    }
  });

  it('reports no login profile (NoSuchEntity on GetLoginProfile) as null, not vanished', async () => {
    const account = emu.world.accounts.get(accountId)!;
    const without = [...account.users.values()].find((u) => u.loginProfile === undefined)!;
    const out = await drain(
      perUserSource(handle, apiCollectorConfig(), { logger }),
      (l) => l.name === without.userName,
    );
    expect(out.items).toHaveLength(1);
    const item = out.items[0]!;
    expect(item.status).toBe('ok');
    expect((item as { identity: IamUser }).identity.loginProfile).toBeNull();
  });

  it('throws an AccountCollectionError naming the account and iam:ListUsers when listing is denied', async () => {
    const credentials = addLimitedKey(emu, {
      accessKeyId: 'AKIAEXAMPLELIMITED01',
      secretAccessKey: 'limited-secret-key-for-the-failure-test',
      userName: 'limited',
      allowedActions: ['sts:GetCallerIdentity', 'iam:ListAccountAliases'],
    });
    const limited = await fixture.open(testConfig(emu.url, { aws: { credentials } }));
    try {
      const source = perUserSource(limited, apiCollectorConfig(), { logger });
      expect(await source.estimatedTotal?.()).toBeUndefined();
      const out = await drain(source);
      expect(out.pages).toBe(0);
      const error = out.error as AccountCollectionError;
      expect(error.name).toBe('AccountCollectionError');
      expect(error.accountId).toBe(accountId);
      expect(error.action).toBe('iam:ListUsers');
      expect(error.message).toMatch(
        new RegExp(
          `^account ${accountId}: iam:ListUsers failed: AccessDenied: User: .* is not authorized to perform: iam:ListUsers`,
        ),
      );
      expect(error.message).not.toContain('limited-secret-key');
    } finally {
      limited.iam.destroy();
    }
  });

  it('throws after the pages that succeeded when a later ListUsers page fails', async () => {
    const source = perUserSource(handle, apiCollectorConfig({ page_size: 10 }), { logger });
    const pages: number[] = [];
    let error: unknown;
    try {
      for await (const chunk of source.pages({ shouldEnrich: () => false })) {
        if (chunk.kind !== 'page') continue;
        pages.push(chunk.listed.length);
        if (pages.length === 1) {
          emu.faults.add({
            service: 'iam',
            action: 'ListUsers',
            kind: 'error',
            status: 403,
            code: 'AccessDenied',
            message: 'denied by test',
          });
        }
      }
    } catch (e) {
      error = e;
    } finally {
      emu.faults.clear();
    }
    expect(pages).toEqual([10]);
    expect((error as Error).name).toBe('AccountCollectionError');
    expect((error as Error).message).toBe(
      `account ${accountId}: iam:ListUsers failed: AccessDenied: denied by test`,
    );
  });
});
