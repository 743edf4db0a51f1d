// Bulk at the API-call floor: the credential report and the virtual MFA listing answer MFA, keys and console
// access for the whole account; the per-user calls left are ListAccessKeys for users the report shows with a
// key, ListMFADevices for MFA no virtual device explains, GetAccessKeyLastUsed where a key cannot be matched
// to one report slot, and the full path for users created after the report. The result equals the per-user
// reads of the API, field by field; a report older than the limit is refused and the pass degrades. The
// per-user strategy takes the same account-wide answers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bulkSource } from '../../src/collector/strategies/bulk.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import { PolicyDocumentCache } from '../../src/collector/iam/policy-documents.js';
import type { AccountHandle, CollectOptions } from '../../src/collector/source.js';
import type { CollectorConfig } from '../../src/config/config.js';
import type { IamUser } from '../../src/identity/identity.js';
import {
  buildCredentialReportCsv,
  createAccessKey,
  createUser,
  enableMfaDevice,
  type Emulator,
  type EmuUser,
} from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { collectorConfig, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();
const deps = (): { logger: typeof logger; policies: PolicyDocumentCache } => ({
  logger,
  policies: new PolicyDocumentCache(),
});

async function users(
  source: ReturnType<typeof bulkSource>,
  degraded: string[] = [],
): Promise<Map<string, IamUser>> {
  const out = new Map<string, IamUser>();
  const options: CollectOptions = { shouldEnrich: () => true, onDegraded: (s) => degraded.push(s) };
  for await (const chunk of source.pages(options)) {
    if (chunk.kind !== 'items') continue;
    for (const item of chunk.items) {
      if (item.status !== 'ok') throw new Error(`not collected: ${JSON.stringify(item)}`);
      if (item.identity.kind === 'iam_user') out.set(item.identity.arn, item.identity);
    }
  }
  return out;
}

/** The facts both ways must agree on; login profile: presence (the report has no profile creation date). */
function credentialFacts(u: IamUser): unknown {
  return {
    hasMfa: u.mfaActive ?? u.mfaDevices.length > 0,
    keys: u.accessKeys,
    loginProfile: u.loginProfile === undefined ? undefined : u.loginProfile !== null,
    passwordLastUsed: u.passwordLastUsed,
  };
}

const typesOf = (u: IamUser): string[] => u.mfaDevices.map((d) => d.type).sort();

describe('bulk from the credential report', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let accountId: string;
  let fixture: EmulatorAccount;
  const config: CollectorConfig = collectorConfig({ page_size: 50 });
  const apiConfig: CollectorConfig = { ...config, mfa_source: 'api' };
  let special: Record<'hardware' | 'u2f' | 'both' | 'twoKeys', EmuUser>;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 42, accounts: 1, usersPerAccount: 40, groupsPerAccount: 8 },
      config: testConfig,
    });
    ({ emu, handle, accountId } = fixture);
    const account = emu.world.accounts.get(accountId)!;
    const plain = [...account.users.values()].filter(
      (u) => u.mfaDevices.length === 0 && u.accessKeys.length === 0,
    );
    const [a, b, c, d] = plain;
    enableMfaDevice(emu.world, accountId, a!.userName, 'hardware');
    enableMfaDevice(emu.world, accountId, b!.userName, 'u2f');
    enableMfaDevice(emu.world, accountId, c!.userName, 'virtual');
    enableMfaDevice(emu.world, accountId, c!.userName, 'hardware');
    // Two keys created in the same second: no report slot can be matched to one of them without doubt.
    createAccessKey(emu.world, accountId, d!.userName);
    createAccessKey(emu.world, accountId, d!.userName);
    special = { hardware: a!, u2f: b!, both: c!, twoKeys: d! };
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('equals the per-user reads of the API, field by field, at the exact number of calls', async () => {
    const fromApi = await users(perUserSource(handle, apiConfig, deps()));
    emu.resetStats();
    const degraded: string[] = [];
    const fromReport = await users(bulkSource(handle, config, deps()), degraded);
    expect(degraded).toEqual([]);
    expect([...fromReport.keys()]).toEqual([...fromApi.keys()]);
    for (const [arn, api] of fromApi) {
      const bulk = fromReport.get(arn)!;
      expect(credentialFacts(bulk)).toEqual(credentialFacts(api));
      // Device types are complete or absent (mfaActive set): never a partial list.
      if (bulk.mfaActive === undefined) expect(typesOf(bulk)).toEqual(typesOf(api));
      else for (const d of bulk.mfaDevices) expect(api.mfaDevices).toContainEqual(d);
    }
    const byName = (u: EmuUser): IamUser => fromReport.get(u.arn)!;
    expect(typesOf(byName(special.hardware))).toEqual(['hardware']);
    expect(typesOf(byName(special.u2f))).toEqual(['security_key']);
    expect(byName(special.both).mfaActive).toBe(true);
    expect(byName(special.twoKeys).accessKeys).toHaveLength(2);
    // Every user's keys and password presence came from the report, so each carries the report's time, also
    // the hardware-MFA user whose devices were read from the API.
    const reportTimes = new Set([...fromReport.values()].map((u) => u.credentialReportGeneratedAt));
    expect(reportTimes.size).toBe(1);
    expect([...reportTimes][0]).toEqual(expect.any(Number));
    expect(byName(special.hardware).mfaProvenance).toEqual({ source: 'api' });
    expect(byName(special.hardware).credentialReportGeneratedAt).toBe([...reportTimes][0]);

    const world = [...emu.world.accounts.get(accountId)!.users.values()];
    const withKeys = world.filter((u) => u.accessKeys.length > 0).length;
    const mfaWithoutVirtual = world.filter(
      (u) => u.mfaDevices.length > 0 && !u.mfaDevices.some((d) => d.kind === 'virtual'),
    ).length;
    const calls = { ...emu.stats().calls[accountId] };
    expect(calls['iam:ListAccessKeys']).toBe(withKeys);
    expect(calls['iam:ListMFADevices']).toBe(mfaWithoutVirtual);
    // Only the two keys of the same second are asked about.
    expect(calls['iam:GetAccessKeyLastUsed']).toBe(2);
    expect(calls['iam:ListVirtualMFADevices']).toBe(1);
    expect(calls['iam:GenerateCredentialReport']).toBe(1);
    expect(calls['iam:GetCredentialReport']).toBe(1);
    expect(calls['iam:GetLoginProfile']).toBeUndefined();
    // Groups and policies, then the users streamed.
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(2);
    // The seeded account (seed 42, 40 users): a regression in any action fails here.
    expect(calls).toEqual(SEEDED_CALLS);
  });

  it('per-user takes the same account-wide answers: same facts as the API, at the exact number of calls', async () => {
    const fromApi = await users(perUserSource(handle, apiConfig, deps()));
    emu.resetStats();
    const degraded: string[] = [];
    const fromReport = await users(perUserSource(handle, config, deps()), degraded);
    expect(degraded).toEqual([]);
    expect([...fromReport.keys()]).toEqual([...fromApi.keys()]);
    for (const [arn, api] of fromApi) {
      const perUser = fromReport.get(arn)!;
      expect(credentialFacts(perUser)).toEqual(credentialFacts(api));
      if (perUser.mfaActive === undefined) expect(typesOf(perUser)).toEqual(typesOf(api));
    }
    // ListMFADevices only for the users whose MFA no virtual device explains: no call for a user the
    // virtual listing explains or the report shows without MFA.
    const world = [...emu.world.accounts.get(accountId)!.users.values()];
    const unexplained = world.filter(
      (u) => u.mfaDevices.length > 0 && !u.mfaDevices.some((d) => d.kind === 'virtual'),
    );
    const askedForMfa = [...fromReport.values()].filter((u) => u.mfaProvenance.source === 'api');
    expect(askedForMfa.map((u) => u.arn).sort()).toEqual(unexplained.map((u) => u.arn).sort());
    const calls = { ...emu.stats().calls[accountId] };
    expect(calls['iam:ListMFADevices']).toBe(unexplained.length);
    expect(calls['iam:ListAccessKeys']).toBe(world.filter((u) => u.accessKeys.length > 0).length);
    expect(calls['iam:GetLoginProfile']).toBeUndefined();
    expect(calls['iam:ListGroupsForUser']).toBeUndefined();
    expect(calls).toEqual(SEEDED_PER_USER_CALLS);
  });

  it('reads a user created after the report the per-user way, and agrees with the API', async () => {
    const late = createUser(emu.world, accountId, { userName: 'created-after-report' });
    createAccessKey(emu.world, accountId, late.userName);
    enableMfaDevice(emu.world, accountId, late.userName, 'virtual');
    emu.resetStats();
    const fromReport = await users(bulkSource(handle, config, deps()));
    const fromApi = await users(perUserSource(handle, apiConfig, deps()));
    const bulk = fromReport.get(late.arn)!;
    expect(credentialFacts(bulk)).toEqual(credentialFacts(fromApi.get(late.arn)!));
    expect(typesOf(bulk)).toEqual(['virtual']);
    expect(bulk.mfaProvenance).toEqual({ source: 'api' });
    expect(bulk.credentialReportGeneratedAt).toBeUndefined();
    expect(bulk.loginProfile).toBeNull();
  });

  it('refuses a report older than credential_report_max_age_seconds and reads per user, saying so', async () => {
    const account = emu.world.accounts.get(accountId)!;
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    account.credentialReport = {
      state: 'COMPLETE',
      startedAt: twoHoursAgo,
      completeAt: twoHoursAgo,
      csv: buildCredentialReportCsv(account, twoHoursAgo),
    };
    const degraded: string[] = [];
    const fromReport = await users(
      bulkSource(handle, { ...config, credential_report_max_age_seconds: 3600 }, deps()),
      degraded,
    );
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatch(
      /iam:GetCredentialReport failed: .*older than collector\.credential_report_max_age_seconds \(3600\)/,
    );
    const fromApi = await users(perUserSource(handle, apiConfig, deps()));
    for (const [arn, api] of fromApi) {
      const bulk = fromReport.get(arn)!;
      expect(bulk.mfaProvenance).toEqual({ source: 'api' });
      expect(bulk.credentialReportGeneratedAt).toBeUndefined();
      expect(bulk.mfaDevices).toEqual(api.mfaDevices);
      expect(bulk.accessKeys).toEqual(api.accessKeys);
      expect(bulk.loginProfile).toEqual(api.loginProfile);
    }
  });
});

const SEEDED_CALLS = {
  'iam:GenerateCredentialReport': 1,
  'iam:GetAccessKeyLastUsed': 2,
  'iam:GetAccountAuthorizationDetails': 2,
  'iam:GetCredentialReport': 1,
  'iam:ListAccessKeys': 24,
  'iam:ListMFADevices': 5,
  'iam:ListUsers': 1,
  'iam:ListVirtualMFADevices': 1,
};

/** The same account read per user: three calls per user (user policies, tags) and the floor's calls. */
const SEEDED_PER_USER_CALLS = {
  'iam:GenerateCredentialReport': 1,
  'iam:GetAccessKeyLastUsed': 2,
  'iam:GetCredentialReport': 1,
  'iam:GetGroup': 8,
  'iam:GetGroupPolicy': 3,
  'iam:GetPolicy': 29,
  'iam:GetPolicyVersion': 29,
  'iam:GetUser': 40,
  'iam:GetUserPolicy': 9,
  'iam:ListAccessKeys': 24,
  'iam:ListAttachedGroupPolicies': 8,
  'iam:ListAttachedUserPolicies': 40,
  'iam:ListGroupPolicies': 8,
  'iam:ListGroups': 1,
  'iam:ListMFADevices': 5,
  'iam:ListUserPolicies': 40,
  'iam:ListUsers': 1,
  'iam:ListVirtualMFADevices': 1,
};
