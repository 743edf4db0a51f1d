// The auto strategy: bulk where GetAccountAuthorizationDetails is allowed, per-user (same records) where the
// credentials are denied it, decided once per source.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { autoSource } from '../../src/collector/strategies/auto.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { addLimitedKey, startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { collectorConfig, drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

const PER_USER_ACTIONS = [
  'sts:GetCallerIdentity',
  'iam:ListAccountAliases',
  'iam:GetAccountSummary',
  'iam:ListUsers',
  'iam:ListGroupsForUser',
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  'iam:ListMFADevices',
  'iam:ListAttachedUserPolicies',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:GetLoginProfile',
];

describe('auto strategy', () => {
  let emu: Emulator;
  let full: AccountHandle;
  let restricted: AccountHandle;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 13, accounts: 1, usersPerAccount: 25, groupsPerAccount: 6 },
      config: testConfig,
    });
    ({ emu, handle: full } = fixture);
    const credentials = addLimitedKey(emu, {
      accessKeyId: 'AKIARESTRICTED000001',
      secretAccessKey: 'restricted-secret-key-for-tests-only',
      userName: 'no-gaad',
      allowedActions: PER_USER_ACTIONS,
    });
    restricted = await fixture.open(testConfig(emu.url, { aws: { credentials } }));
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('uses bulk when GetAccountAuthorizationDetails is allowed', async () => {
    emu.resetStats();
    const out = await drain(
      autoSource(full, collectorConfig({ access_keys: false, login_profile: false }), { logger }),
    );
    expect(out.error).toBeUndefined();
    expect(out.items).toHaveLength(25);
    const calls = emu.stats().calls[full.accountId]!;
    // Groups and policies, then the users streamed.
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(2);
    expect(calls['iam:ListGroupsForUser']).toBeUndefined();
  });

  it('falls back to per-user on AccessDenied, with the same records, and asks only once per source', async () => {
    const config = collectorConfig({ page_size: 15 });
    const expected = await drain(perUserSource(restricted, config, { logger }));
    expect(expected.error).toBeUndefined();
    expect(expected.items.every((i) => i.status === 'ok')).toBe(true);

    emu.resetStats();
    const source = autoSource(restricted, config, { logger });
    const first = await drain(source);
    expect(first.error).toBeUndefined();
    expect(first.items).toStrictEqual(expected.items);
    expect(first.listed).toStrictEqual(expected.listed);
    const second = await drain(source);
    expect(second.items).toStrictEqual(expected.items);
    const calls = emu.stats().calls[restricted.accountId]!;
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(1);
    expect(calls['iam:ListGroupsForUser']).toBe(50);
  });

  it('does not fall back on other GAAD failures', async () => {
    emu.faults.add({
      service: 'iam',
      action: 'GetAccountAuthorizationDetails',
      kind: 'error',
      status: 400,
      code: 'ValidationError',
      message: 'bad request',
      times: 1,
    });
    const out = await drain(autoSource(full, collectorConfig(), { logger }));
    expect(out.pages).toBe(0);
    expect(out.error).toMatchObject({
      name: 'AccountCollectionError',
      action: 'iam:GetAccountAuthorizationDetails',
    });
  });
});
