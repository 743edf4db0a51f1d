// The per-user strategy against the emulator: what it collects equals the generator's ground truth, groups
// and policy documents are read once per run, and pagination with short pages loses nobody.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IamRole, IamUser } from '../../src/identity/identity.js';
import { isThrottlingError } from '../../src/collector/aws/aws-error.js';
import { mfaTypeOfSerial } from '../../src/collector/iam/user-credentials.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import { needsBoundaryForAdmin } from '../../src/collector/iam/holder-policies.js';
import { analyzeAdmin } from '../../src/identity/admin-analysis.js';
import { decodePolicyDocument, PolicyDocumentCache } from '../../src/collector/iam/policy-documents.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { CountingObserver } from '../support/call-observers.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import {
  apiCollectorConfig,
  drain,
  expectedProjection,
  projectUser,
  testConfig,
} from './per-user-fixtures.js';

const logger = silentLogger();
// Small enough to keep the file fast (each user costs about ten SDK calls), large enough for several pages.
const USERS = 120;

describe('per-user strategy', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let observer: CountingObserver;
  let accountId: string;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    observer = new CountingObserver();
    // Fails unless the configuration resolves to exactly the caller's own account, without failures.
    fixture = await startEmulatorAccount({
      world: { seed: 7, accounts: 1, usersPerAccount: USERS, groupsPerAccount: 20 },
      config: testConfig,
      observer,
    });
    ({ emu, handle, accountId } = fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('with tags off, still reads the boundary of admin candidates (and only theirs) so no boundary-blocked user is Admin', async () => {
    emu.resetStats();
    const config = apiCollectorConfig({ tags: false, access_keys: false, login_profile: false });
    const out = await drain(perUserSource(handle, config, { logger }));
    expect(out.error).toBeUndefined();
    let candidates = 0;
    let blocked = 0;
    for (const item of out.items) {
      expect(item.status).toBe('ok');
      if (item.status !== 'ok' || item.identity.kind !== 'iam_user') continue;
      const truth = emu.truth!.users.get(item.identity.arn)!;
      const verdict = analyzeAdmin(item.identity);
      expect({ user: truth.userName, admin: verdict.isAdmin }).toEqual({
        user: truth.userName,
        admin: truth.isAdmin,
      });
      if (item.identity.permissionsBoundary !== undefined) candidates++;
      if (
        truth.permissionsBoundaryArn !== undefined &&
        !truth.isAdmin &&
        needsBoundaryForAdmin(config, { ...item.identity, permissionsBoundary: undefined })
      )
        blocked++;
    }
    expect(blocked).toBeGreaterThan(0);
    const getUserCalls = emu.stats().calls[accountId]?.['iam:GetUser'] ?? 0;
    expect(getUserCalls).toBeGreaterThanOrEqual(candidates);
    expect(getUserCalls).toBeLessThan(USERS / 2);
  });

  it('collects every user of a seeded account exactly as the ground truth says, once per group', async () => {
    emu.resetStats();
    const source = perUserSource(handle, apiCollectorConfig({ page_size: 100 }), { logger, observer });
    expect(source.scope).toBe(accountId);
    expect(source.kind).toBe('aws_account');
    expect(source.hasCreationCheckpoint).toBe(true);
    expect(await source.estimatedTotal?.()).toBe(USERS);

    const out = await drain(source);
    expect(out.error).toBeUndefined();
    expect(out.pages).toBe(2);
    expect(out.listed).toHaveLength(USERS);
    expect(out.items).toHaveLength(USERS);
    // Items come in listing order.
    expect(
      out.items.map((i) => (i.status === 'ok' ? i.identity : undefined)).map((u) => (u as IamUser).arn),
    ).toEqual(out.listed.map((l) => l.key));
    const truth = emu.truth!;
    expect(new Set(out.listed.map((l) => l.key))).toEqual(new Set(truth.users.keys()));
    for (const item of out.items) {
      expect(item.status).toBe('ok');
      if (item.status !== 'ok') continue;
      const user = item.identity as IamUser;
      expect(projectUser(user)).toEqual(expectedProjection(truth.users.get(user.arn)!));
      expect(user.mfaProvenance).toEqual({ source: 'api' });
      // Admin analysis needs every reachable document.
      for (const p of [
        ...user.attachedPolicies,
        ...user.inlinePolicies,
        ...user.groups.flatMap((g) => [...g.attachedPolicies, ...g.inlinePolicies]),
      ]) {
        expect(p.document).toBeDefined();
      }
      if (user.permissionsBoundary !== undefined) expect(user.permissionsBoundary.document).toBeDefined();
    }
    const listedByKey = new Map(out.listed.map((l) => [l.key, l]));
    for (const e of truth.users.values()) expect(listedByKey.get(e.arn)?.createDate).toBe(e.createDate);

    const calls = emu.stats().calls[accountId]!;
    const groupsWithMembers = new Set([...truth.users.values()].flatMap((u) => u.groups.map((g) => g.name)));
    expect(calls['iam:ListAttachedGroupPolicies']).toBe(groupsWithMembers.size);
    expect(calls['iam:ListGroupPolicies']).toBe(groupsWithMembers.size);
    // Memberships group by group from the first page on (more users than groups); the second page's users
    // that the index does not know (no group) are asked per user (group-membership.test.ts).
    expect(calls['iam:ListGroups']).toBe(1);
    expect(calls['iam:GetGroup']).toBe(emu.world.accounts.get(accountId)!.groups.size);
    const groupless = out.listed.slice(100).filter((l) => truth.users.get(l.key)!.groups.length === 0);
    expect(calls['iam:ListGroupsForUser']).toBe(groupless.length);
    expect(calls['iam:ListMFADevices']).toBe(USERS);
    // One GetPolicy + GetPolicyVersion per distinct managed policy (boundaries included), despite concurrency.
    expect(calls['iam:GetPolicyVersion']).toBe(calls['iam:GetPolicy']);
    const distinctManaged = new Set<string>();
    for (const item of out.items) {
      if (item.status !== 'ok') continue;
      const u = item.identity as IamUser;
      for (const p of [...u.attachedPolicies, ...u.groups.flatMap((g) => g.attachedPolicies)])
        distinctManaged.add(p.arn);
      if (u.permissionsBoundary) distinctManaged.add(u.permissionsBoundary.arn);
    }
    expect(calls['iam:GetPolicy']).toBe(distinctManaged.size);
    // The observer saw the same calls the emulator counted.
    expect(observer.calls.get(`${accountId}/iam:ListMFADevices`)).toBeGreaterThanOrEqual(USERS);
  });

  it('skips enrichment of users shouldEnrich rejects, yet lists them', async () => {
    const source = perUserSource(handle, apiCollectorConfig({ page_size: 1000 }), { logger });
    const chosen = (name: string): boolean => name < 'c';
    const out = await drain(source, (l) => chosen(l.name));
    expect(out.listed).toHaveLength(USERS);
    const expectedNames = out.listed.filter((l) => chosen(l.name)).map((l) => l.name);
    expect(expectedNames.length).toBeGreaterThan(0);
    expect(expectedNames.length).toBeLessThan(USERS);
    expect(out.items.map((i) => (i.status === 'ok' ? (i.identity as IamUser).userName : i.name))).toEqual(
      expectedNames,
    );
  });

  it('loses nobody at page_size 100 with short pages', async () => {
    emu.faults.add({ service: 'iam', action: 'ListUsers', kind: 'short_page' });
    emu.faults.add({ service: 'iam', action: 'ListGroupsForUser', kind: 'short_page' });
    emu.faults.add({ service: 'iam', action: 'ListAttachedGroupPolicies', kind: 'short_page' });
    try {
      const source = perUserSource(handle, apiCollectorConfig({ page_size: 100, admin_analysis: false }), {
        logger,
        policies: new PolicyDocumentCache(),
      });
      // Listing every user, enriching every fourth (enough to page ListGroupsForUser short as well).
      let n = 0;
      const out = await drain(source, () => n++ % 4 === 0);
      expect(out.error).toBeUndefined();
      expect(out.pages).toBeGreaterThan(2);
      expect(out.listed.map((l) => l.key).sort()).toEqual([...emu.truth!.users.keys()].sort());
      expect(new Set(out.listed.map((l) => l.key)).size).toBe(USERS);
      expect(out.items).toHaveLength(USERS / 4);
      for (const item of out.items) {
        expect(item.status).toBe('ok');
        if (item.status !== 'ok') continue;
        const u = item.identity as IamUser;
        expect(u.groups.map((g) => g.name).sort()).toEqual(
          emu.truth!.users.get(u.arn)!.groups.map((g) => g.name),
        );
        expect(projectUser(u).groups).toEqual(emu.truth!.users.get(u.arn)!.groups);
      }
    } finally {
      emu.faults.clear();
    }
  });

  it('leaves optional features uncollected when they are off', async () => {
    const source = perUserSource(
      handle,
      apiCollectorConfig({
        page_size: 1000,
        access_keys: false,
        login_profile: false,
        tags: false,
        admin_analysis: false,
      }),
      { logger },
    );
    emu.resetStats();
    const out = await drain(source, (l) => l.name < 'd');
    const first = out.items[0];
    expect(first?.status).toBe('ok');
    const u = (first as { identity: IamUser }).identity;
    expect(u.accessKeys).toBeUndefined();
    expect(u.loginProfile).toBeUndefined();
    expect(u.tags).toBeUndefined();
    const calls = emu.stats().calls[accountId]!;
    for (const action of [
      'GetUser',
      'GetLoginProfile',
      'ListAccessKeys',
      'GetPolicy',
      'GetUserPolicy',
      'GetGroupPolicy',
    ]) {
      expect(calls[`iam:${action}`]).toBeUndefined();
    }
  });

  it('collects roles after users when include_roles is on', async () => {
    const source = perUserSource(handle, apiCollectorConfig({ page_size: 100, include_roles: true }), {
      logger,
    });
    expect(await source.estimatedTotal?.()).toBe(USERS + emu.world.accounts.get(accountId)!.roles.size);
    const out = await drain(source, (l) => l.key.includes(':role/') || l.name < 'b');
    expect(out.error).toBeUndefined();
    const enrichedUsers = out.listed.filter((l) => l.key.includes(':user/') && l.name < 'b').length;
    const roleItems = out.items.filter((i) => i.status === 'ok' && i.identity.kind === 'iam_role');
    const truthRoles = [...emu.truth!.roles.values()].filter((r) => r.accountId === accountId);
    expect(roleItems).toHaveLength(truthRoles.length);
    // Users first, then roles.
    const firstRole = out.items.findIndex((i) => i.status === 'ok' && i.identity.kind === 'iam_role');
    expect(firstRole).toBe(enrichedUsers);
    for (const item of roleItems) {
      const role = (item as { identity: IamRole }).identity;
      const expected = emu.truth!.roles.get(role.arn)!;
      expect(role.roleName).toBe(expected.roleName);
      expect(role.roleId).toBe(expected.roleId);
      expect(role.createDate).toBe(expected.createDate);
      expect(role.trustPolicy).toBeDefined();
      const principals = trustPrincipals(role);
      expect(principals).toEqual(expected.trustPrincipals);
      expect(role.tags).toBeDefined();
    }
    expect(
      out.listed
        .slice(USERS)
        .map((l) => l.key)
        .sort(),
    ).toEqual(truthRoles.map((r) => r.arn).sort());
  });
});

describe('per-user building blocks', () => {
  it('tells MFA device types apart by the serial form', () => {
    expect(mfaTypeOfSerial('arn:aws:iam::123456789012:mfa/alice')).toBe('virtual');
    expect(mfaTypeOfSerial('arn:aws:iam::123456789012:u2f/user/alice/yubi-ABCDEF')).toBe('security_key');
    expect(mfaTypeOfSerial('GAHT12345678')).toBe('hardware');
    expect(mfaTypeOfSerial('arn:aws-cn:iam::123456789012:mfa/bob')).toBe('virtual');
  });

  it('decodes URL-encoded policy documents', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::a b/%' }],
    };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(decodePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(() => decodePolicyDocument('%5B%5D')).toThrow();
  });

  it('recognises throttling errors by code and by HTTP 429', () => {
    expect(isThrottlingError({ name: 'Throttling' })).toBe(true);
    expect(isThrottlingError({ name: 'TooManyRequestsException' })).toBe(true);
    expect(isThrottlingError({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottlingError({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
  });
});

function trustPrincipals(role: IamRole): string[] {
  const out: string[] = [];
  const statements = role.trustPolicy?.Statement;
  for (const st of Array.isArray(statements) ? statements : statements ? [statements] : []) {
    const p = st.Principal;
    if (p === '*') {
      out.push('*');
      continue;
    }
    if (typeof p !== 'object' || p === null) continue;
    for (const [kind, value] of Object.entries(p as Record<string, string | string[]>)) {
      for (const v of Array.isArray(value) ? value : [value]) out.push(`${kind}:${v}`);
    }
  }
  return out.sort();
}
