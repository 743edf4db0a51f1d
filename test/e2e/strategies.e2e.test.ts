// Collection strategies end to end through the CLI: per-user and bulk (GetAccountAuthorizationDetails) give
// identical events for the same account, the bulk events agree with the ground truth for every user and
// role, and bulk with the credential report as MFA source says how old the report is.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  CUSTOMER_POLICY_TEMPLATES,
  type Emulator,
  INLINE_POLICY_TEMPLATES,
  startEmulator,
} from '../../src/emulator/index.js';
import { awsOf, readEvents, runCli, tempDir, userOf, writeConfig } from './cli.js';
import { expectEventMatchesTruth } from './truth.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const EVERY_FEATURE = {
  mfa_source: 'api',
  admin_analysis: true,
  access_keys: true,
  login_profile: true,
  tags: true,
  include_roles: true,
};

/** The event without what differs between any two runs: its time, its id and the run's id. */
function comparable(event: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(event);
  delete copy.time;
  const metadata = copy.metadata as Record<string, unknown>;
  delete metadata.uid;
  delete metadata.correlation_uid;
  return copy;
}

const byUid = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
  const x = userOf(a).uid as string;
  const y = userOf(b).uid as string;
  return x < y ? -1 : x > y ? 1 : 0;
};

describe('per-user and bulk strategies through the CLI', () => {
  let emu: Emulator;
  let accountId: string;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 9301,
        accounts: 1,
        usersPerAccount: 150,
        groupsPerAccount: 15,
        rolesPerAccount: 8,
        identityCenter: false,
      },
    });
    accountId = emu.world.defaultAccountId;
  });
  afterAll(async () => emu.stop());

  async function collect(collector: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector });
    const r = await runCli(['run', '--mode', 'full', '--config', config]);
    expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
    return readEvents(join(dir, 'events.ndjson')).sort(byUid);
  }

  it('produce identical events, which agree with the ground truth for every user and role', async () => {
    emu.resetStats();
    const perUser = await collect({ strategy: 'per-user', ...EVERY_FEATURE });
    const perUserCalls = emu.stats().calls[accountId]!;
    emu.resetStats();
    const bulk = await collect({ strategy: 'bulk', ...EVERY_FEATURE });
    const bulkCalls = emu.stats().calls[accountId]!;
    // Each strategy really ran its own way.
    expect(perUserCalls['iam:GetAccountAuthorizationDetails']).toBeUndefined();
    expect(bulkCalls['iam:GetAccountAuthorizationDetails']).toBeGreaterThan(0);
    expect(bulkCalls['iam:ListGroupsForUser']).toBeUndefined();

    const account = emu.world.accounts.get(accountId)!;
    const truth = emu.truth!;
    expect(bulk).toHaveLength(account.users.size + account.roles.size);
    expect(perUser).toHaveLength(bulk.length);
    for (let i = 0; i < bulk.length; i++) {
      const uid = userOf(bulk[i]!).uid as string;
      try {
        expect(comparable(perUser[i]!)).toEqual(comparable(bulk[i]!));
      } catch (error) {
        throw new Error(`per-user and bulk events differ for ${uid}: ${(error as Error).message}`);
      }
    }

    const users = bulk.filter((e) => awsOf(e).source === 'iam_user');
    const roles = bulk.filter((e) => awsOf(e).source === 'iam_role');
    expect(users).toHaveLength(account.users.size);
    expect(roles).toHaveLength(account.roles.size);
    for (const e of users) {
      const t = truth.users.get(userOf(e).uid as string);
      if (!t) throw new Error(`${userOf(e).uid as string} is not in the ground truth`);
      expectEventMatchesTruth(e, t);
    }
    // The dataset exercises what the comparison is about.
    const all = [...truth.users.values()].filter((t) => t.accountId === accountId);
    expect(all.filter((t) => t.isAdmin).length).toBeGreaterThan(0);
    expect(all.filter((t) => t.isAdminByName !== t.isAdmin).length).toBeGreaterThan(0);
    expect(all.filter((t) => t.accessKeys.some((k) => k.lastUsedTime !== undefined)).length).toBeGreaterThan(
      0,
    );
    expect(all.filter((t) => t.permissionsBoundaryArn !== undefined).length).toBeGreaterThan(0);
    expect(new Set(all.flatMap((t) => t.mfaTypes)).size).toBe(3);
    // Every decoy (looks powerful, is not admin) is held directly by a non-admin user, so the event-by-event
    // comparison above covered it.
    const decoys = [
      ...['PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'DatabaseAdministrator'],
      ...CUSTOMER_POLICY_TEMPLATES.filter((p) => p.role === 'decoy').map((p) => p.name),
    ];
    for (const name of decoys) {
      expect({ name, held: all.some((t) => !t.isAdmin && t.attachedPolicyNames.includes(name)) }).toEqual({
        name,
        held: true,
      });
    }
    for (const name of INLINE_POLICY_TEMPLATES.filter((p) => p.role === 'decoy').map((p) => p.name)) {
      expect({ name, held: all.some((t) => !t.isAdmin && t.inlinePolicyNames.includes(name)) }).toEqual({
        name,
        held: true,
      });
    }

    for (const e of roles) {
      const u = userOf(e);
      const t = truth.roles.get(u.uid as string);
      if (!t) throw new Error(`${u.uid as string} is not a role of the ground truth`);
      expect({
        name: u.name,
        uid_alt: u.uid_alt,
        type_id: u.type_id,
        type: u.type,
        account: u.account.uid,
        created: u.ldap_person?.created_time,
        trust: awsOf(e).trust_principals,
      }).toEqual({
        name: t.roleName,
        uid_alt: t.roleId,
        type_id: 4,
        type: 'Service',
        account: t.accountId,
        created: t.createDate,
        trust: t.trustPrincipals,
      });
    }
  });

  it('bulk with the credential report: every user, MFA from the report, and the report age said', async () => {
    const account = emu.world.accounts.get(accountId)!;
    const truth = emu.truth!;
    const collector = { strategy: 'bulk', mfa_source: 'credential_report' };
    emu.resetStats();
    const fresh = await collect(collector);
    const nonVirtualMfa = [...account.users.values()].filter(
      (u) => u.mfaDevices.length > 0 && !u.mfaDevices.some((d) => d.kind === 'virtual'),
    ).length;
    expect(emu.stats().calls[accountId]?.['iam:ListMFADevices']).toBe(nonVirtualMfa || undefined);
    expect(emu.stats().calls[accountId]?.['iam:GetCredentialReport']).toBeGreaterThan(0);
    expect(fresh).toHaveLength(account.users.size);
    const report = account.credentialReport!;
    expect(report.state).toBe('COMPLETE');
    const generated = Math.floor(report.completeAt / 1000) * 1000;
    for (const e of fresh) {
      const t = truth.users.get(userOf(e).uid as string)!;
      expect(t).toBeDefined();
      expect({ arn: t.arn, has_mfa: userOf(e).has_mfa }).toEqual({ arn: t.arn, has_mfa: t.hasMfa });
      const aws = awsOf(e);
      // A virtual device explains the report's MFA, but another device cannot be ruled out: the types are
      // left out rather than listed in part. No MFA, or MFA read with ListMFADevices: the complete list.
      const virtual = t.mfaTypes.includes('virtual');
      expect(aws.mfa_types === undefined).toBe(virtual);
      expectEventMatchesTruth(e, t);
      if (t.hasMfa && !virtual) {
        expect(aws.mfa_source).toBe('api');
        continue;
      }
      expect(aws.mfa_source).toBe('credential_report');
      expect(aws.credential_report_generated_time).toBe(generated);
      expect(aws.credential_report_age_seconds).toBe(
        Math.max(0, Math.round(((e.time as number) - generated) / 1000)),
      );
    }

    // A report generated two hours ago is still current for AWS (under 4 hours): it is used and its age said.
    const twoHours = 2 * 3600_000;
    report.startedAt -= twoHours;
    report.completeAt -= twoHours;
    const stale = await collect(collector);
    expect(stale).toHaveLength(account.users.size);
    for (const e of stale) {
      const aws = awsOf(e);
      if (aws.mfa_source === 'api') continue;
      expect(aws.credential_report_generated_time).toBe(generated - twoHours);
      expect(aws.credential_report_age_seconds).toBeGreaterThanOrEqual(7200);
      expect(aws.credential_report_age_seconds).toBeLessThan(7200 + 600);
      expect(userOf(e).has_mfa).toBe(truth.users.get(userOf(e).uid as string)!.hasMfa);
    }
  });
});
