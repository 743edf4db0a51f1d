// The bulk strategy against the emulator: GAAD-based records equal the ground truth, the credential report
// replaces per-user MFA/key/login calls, users GAAD does not know are read per user, a denied GAAD is an
// account-level failure before anything is yielded, and 1,000 users cost at most 20 calls.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bulkSource } from '../../src/collector/strategies/bulk.js';
import type { IamRole, IamUser } from '../../src/identity/identity.js';
import { PolicyDocumentCache } from '../../src/collector/iam/policy-documents.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator, type EmuUser } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { HookObserver } from '../support/call-observers.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { collectorConfig, drain, expectedProjection, projectUser, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

/** Users whose MFA no virtual device explains: the report cannot name their devices. */
function mfaWithoutVirtual(emu: Emulator, accountId: string): number {
  return [...emu.world.accounts.get(accountId)!.users.values()].filter(
    (u) => u.mfaDevices.length > 0 && !u.mfaDevices.some((d) => d.kind === 'virtual'),
  ).length;
}

function okUsers(items: Awaited<ReturnType<typeof drain>>['items']): IamUser[] {
  return items.flatMap((i) => (i.status === 'ok' && i.identity.kind === 'iam_user' ? [i.identity] : []));
}

describe('bulk strategy (300 users)', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let observer: HookObserver;
  let accountId: string;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    observer = new HookObserver();
    fixture = await startEmulatorAccount({
      world: { seed: 7, accounts: 1, usersPerAccount: 300, groupsPerAccount: 25 },
      config: testConfig,
      observer,
    });
    ({ emu, handle, accountId } = fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('collects every user exactly as the ground truth says, in ListUsers order, from a few GAAD calls', async () => {
    emu.resetStats();
    const source = bulkSource(handle, collectorConfig({ page_size: 100, mfa_source: 'api' }), { logger });
    expect(source.scope).toBe(accountId);
    expect(source.kind).toBe('aws_account');
    expect(source.hasCreationCheckpoint).toBe(true);

    const out = await drain(source);
    expect(out.error).toBeUndefined();
    expect(out.pages).toBe(3);
    expect(out.listed).toHaveLength(300);
    const users = okUsers(out.items);
    expect(users).toHaveLength(300);
    expect(users.map((u) => u.arn)).toEqual(out.listed.map((l) => l.key));
    const truth = emu.truth!;
    expect(new Set(users.map((u) => u.arn))).toEqual(new Set(truth.users.keys()));
    for (const user of users) {
      expect(projectUser(user)).toEqual(expectedProjection(truth.users.get(user.arn)!));
      expect(user.mfaProvenance).toEqual({ source: 'api' });
      expect(user.mfaActive).toBeUndefined();
      const policies = [
        ...user.attachedPolicies,
        ...user.inlinePolicies,
        ...user.groups.flatMap((g) => [...g.attachedPolicies, ...g.inlinePolicies]),
      ];
      for (const p of policies) expect(p.document).toBeDefined();
      if (user.permissionsBoundary !== undefined) expect(user.permissionsBoundary.document).toBeDefined();
    }
    // One group object per group, shared by its members.
    const groupByName = new Map<string, unknown>();
    for (const g of users.flatMap((u) => u.groups)) {
      if (!groupByName.has(g.name)) groupByName.set(g.name, g);
      expect(g).toBe(groupByName.get(g.name));
    }
    expect(groupByName.size).toBeGreaterThan(1);

    const calls = emu.stats().calls[accountId]!;
    // Groups and policies in one listing, the users streamed in another (one page for 300 users).
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(2);
    expect(calls['iam:ListUsers']).toBe(3);
    expect(calls['iam:ListMFADevices']).toBe(300);
    // GAAD carried groups, policies, tags, boundaries and every managed policy document in use.
    for (const action of [
      'iam:ListGroupsForUser',
      'iam:ListAttachedUserPolicies',
      'iam:ListUserPolicies',
      'iam:GetUser',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:GetUserPolicy',
      'iam:GetGroupPolicy',
    ]) {
      expect(calls[action]).toBeUndefined();
    }
  });

  it('takes MFA, key last use and console access from the credential report', async () => {
    emu.resetStats();
    const config = collectorConfig({ page_size: 1000, mfa_source: 'credential_report' });
    const out = await drain(bulkSource(handle, config, { logger }));
    expect(out.error).toBeUndefined();
    const users = okUsers(out.items);
    expect(users).toHaveLength(300);
    const truth = emu.truth!;
    for (const user of users) {
      const expected = truth.users.get(user.arn)!;
      expect(user.mfaActive ?? user.mfaDevices.length > 0).toBe(expected.hasMfa);
      // MFA no virtual device explains (hardware, security keys) is read from the API.
      if (user.mfaProvenance.source === 'credential_report') {
        expect(typeof user.mfaProvenance.reportGeneratedAt).toBe('number');
      } else expect(user.mfaDevices.some((d) => d.type === 'virtual')).toBe(false);
      expect(user.loginProfile === null).toBe(!expected.hasLoginProfile);
      const keys = (user.accessKeys ?? []).map((k) => ({
        id: k.id,
        status: k.status,
        createDate: k.createDate,
        ...(k.lastUsedTime !== undefined ? { lastUsedTime: k.lastUsedTime } : {}),
      }));
      expect(keys.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(expected.accessKeys);
    }
    const calls = emu.stats().calls[accountId]!;
    expect(calls['iam:ListMFADevices']).toBe(mfaWithoutVirtual(emu, accountId));
    expect(calls['iam:GetLoginProfile']).toBeUndefined();
    expect(calls['iam:GetAccessKeyLastUsed']).toBeUndefined();
    // Only users the report shows with a key.
    expect(calls['iam:ListAccessKeys']).toBe(users.filter((u) => (u.accessKeys ?? []).length > 0).length);
    expect(calls['iam:GetCredentialReport']).toBeGreaterThanOrEqual(1);
  });

  it('reads per user a listed user GAAD does not list, and ignores one deleted before the listing', async () => {
    const account = emu.world.accounts.get(accountId)!;
    const [template, doomed] = [...account.users.values()].filter((u) => u.groups.length > 0);
    const newcomer: EmuUser = {
      ...structuredClone(template!),
      userName: 'zz-newcomer',
      userId: 'AIDANEWCOMER000000001',
      arn: `arn:aws:iam::${accountId}:user/zz-newcomer`,
      path: '/',
      accessKeys: [],
      mfaDevices: [],
    };
    observer.before('ListUsers', () => {
      account.users.set(newcomer.userName, newcomer);
      account.users.delete(doomed!.userName);
      // GAAD's users (read after ListUsers, page by page) do not show it; its own calls do.
      observer.before('GetAccountAuthorizationDetails', () => {
        account.users.delete(newcomer.userName);
        observer.before('ListGroupsForUser', () => account.users.set(newcomer.userName, newcomer));
      });
    });
    try {
      emu.resetStats();
      const config = collectorConfig({
        page_size: 1000,
        access_keys: false,
        login_profile: false,
        mfa_source: 'credential_report',
      });
      const out = await drain(bulkSource(handle, config, { logger }));
      expect(out.error).toBeUndefined();
      const users = okUsers(out.items);
      expect(users).toHaveLength(300);
      expect(users.some((u) => u.arn === doomed!.arn)).toBe(false);
      const got = users.find((u) => u.arn === newcomer.arn)!;
      expect(got.groups.map((g) => g.name).sort()).toEqual([...newcomer.groups].sort());
      expect(got.attachedPolicies.map((p) => p.arn).sort()).toEqual([...newcomer.attachedPolicyArns].sort());
      // Not in the report either (generated before ListUsers): its MFA comes from the API.
      expect(got.mfaProvenance).toEqual({ source: 'api' });
      expect(got.mfaActive).toBeUndefined();
      const calls = emu.stats().calls[accountId]!;
      expect(calls['iam:ListGroupsForUser']).toBe(1);
      expect(calls['iam:ListMFADevices']).toBe(1 + mfaWithoutVirtual(emu, accountId));
    } finally {
      account.users.delete(newcomer.userName);
      account.users.set(doomed!.userName, doomed!);
    }
  });

  it('collects roles from ListRoles and GAAD when include_roles is on', async () => {
    const out = await drain(
      bulkSource(
        handle,
        collectorConfig({
          page_size: 1000,
          include_roles: true,
          mfa_source: 'credential_report',
          access_keys: false,
        }),
        { logger },
      ),
    );
    expect(out.error).toBeUndefined();
    const roles = out.items.flatMap((i) =>
      i.status === 'ok' && i.identity.kind === 'iam_role' ? [i.identity] : [],
    );
    const account = emu.world.accounts.get(accountId)!;
    expect(roles.map((r: IamRole) => r.roleName).sort()).toEqual([...account.roles.keys()].sort());
    for (const role of roles) expect(role.trustPolicy).toBeDefined();
  });

  it('fails the account before yielding anything when GAAD is denied', async () => {
    emu.faults.add({
      service: 'iam',
      action: 'GetAccountAuthorizationDetails',
      kind: 'error',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform iam:GetAccountAuthorizationDetails',
      times: 1,
    });
    const out = await drain(bulkSource(handle, collectorConfig(), { logger }));
    expect(out.pages).toBe(0);
    const error = out.error as { name: string; action: string; message: string };
    expect(error.name).toBe('AccountCollectionError');
    expect(error.action).toBe('iam:GetAccountAuthorizationDetails');
    expect(error.message).toContain(accountId);
    expect(error.message).toContain('AccessDenied');
  });
});

describe('bulk strategy call budget (1,000 users)', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 11, accounts: 1, usersPerAccount: 1000, groupsPerAccount: 100 },
      config: testConfig,
    });
    ({ emu, handle } = fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('stays within 20 calls (0.02 per user) plus ListMFADevices for non-virtual MFA, keys/console off', async () => {
    emu.resetStats();
    const config = collectorConfig({
      page_size: 1000,
      mfa_source: 'credential_report',
      access_keys: false,
      login_profile: false,
      admin_analysis: true,
      tags: true,
    });
    const out = await drain(bulkSource(handle, config, { logger, policies: new PolicyDocumentCache() }));
    expect(out.error).toBeUndefined();
    expect(okUsers(out.items)).toHaveLength(1000);
    const stats = emu.stats();
    const calls = stats.calls[handle.accountId]!;
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total - (calls['iam:ListMFADevices'] ?? 0)).toBeLessThanOrEqual(20);
    expect(calls['iam:ListMFADevices']).toBe(mfaWithoutVirtual(emu, handle.accountId));
    const truth = emu.truth!;
    for (const user of okUsers(out.items)) {
      expect(user.mfaActive ?? user.mfaDevices.length > 0).toBe(truth.users.get(user.arn)!.hasMfa);
    }
  });
});
