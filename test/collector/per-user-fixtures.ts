// Shared by the collector tests: a typed Config pointing at an emulator, draining a source, and the
// comparison of a collected IamUser with the generator's ground truth (the emulator and its account:
// test/support/emulator-account.ts).
import type { Config, CollectorConfig } from '../../src/config/config.js';
import type { IamUser } from '../../src/identity/identity.js';
import type { CollectedItem, IdentitySource, ListedIdentity } from '../../src/collector/source.js';
import type { ExpectedUser } from '../../src/emulator/index.js';
import { buildConfig } from '../support/config-fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export function collectorConfig(overrides: Partial<CollectorConfig> = {}): CollectorConfig {
  return buildConfig(undefined, { collector: overrides }).collector;
}

/** Every credential (MFA, keys, login profile) read per user from the API, as tests of those reads need. */
export function apiCollectorConfig(overrides: Partial<CollectorConfig> = {}): CollectorConfig {
  return collectorConfig({ mfa_source: 'api', ...overrides });
}

export function testConfig(
  endpoint: string,
  overrides: { aws?: Partial<Config['aws']>; collector?: Partial<CollectorConfig> } = {},
): Config {
  return buildConfig(endpoint, overrides);
}

export interface Drained {
  listed: ListedIdentity[];
  items: CollectedItem[];
  pages: number;
  error?: unknown;
}

/** Reads every page of a source; a thrown listing error is captured after the pages that succeeded. */
export async function drain(
  source: IdentitySource,
  shouldEnrich: (l: ListedIdentity) => boolean = () => true,
): Promise<Drained> {
  const out: Drained = { listed: [], items: [], pages: 0 };
  try {
    for await (const chunk of source.pages({ shouldEnrich })) {
      if (chunk.kind === 'page') {
        out.pages += 1;
        out.listed.push(...chunk.listed);
      } else {
        out.items.push(...chunk.items);
      }
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The collected user projected onto the ground truth's shape (admin analysis is the mapper's job). */
export function projectUser(u: IamUser): Omit<ExpectedUser, 'isAdmin' | 'adminVia' | 'isAdminByName'> {
  const hasLoginProfile = u.loginProfile !== null && u.loginProfile !== undefined;
  const out: Omit<ExpectedUser, 'isAdmin' | 'adminVia' | 'isAdminByName'> = {
    accountId: u.accountId,
    arn: u.arn,
    userName: u.userName,
    userId: u.userId,
    path: u.path,
    createDate: u.createDate,
    groups: u.groups
      .map((g) => ({
        name: g.name,
        arn: g.arn,
        privileges: [
          ...g.attachedPolicies.map((p) => p.name).sort(byString),
          ...g.inlinePolicies.map((p) => p.name).sort(byString),
        ],
      }))
      .sort((a, b) => byString(a.name, b.name)),
    attachedPolicyNames: u.attachedPolicies.map((p) => p.name).sort(byString),
    inlinePolicyNames: u.inlinePolicies.map((p) => p.name).sort(byString),
    hasMfa: u.mfaDevices.length > 0,
    mfaTypes: u.mfaDevices.map((d) => d.type).sort(byString),
    mfaSerials: u.mfaDevices.map((d) => d.serial).sort(byString),
    accessKeys: (u.accessKeys ?? [])
      .map((k) => ({
        id: k.id,
        status: k.status,
        createDate: k.createDate ?? -1,
        ...(k.lastUsedTime !== undefined ? { lastUsedTime: k.lastUsedTime } : {}),
      }))
      .sort((a, b) => byString(a.id, b.id)),
    hasLoginProfile,
    isDisabled: !hasLoginProfile && !(u.accessKeys ?? []).some((k) => k.status === 'Active'),
    tags: (u.tags ?? []).map((t) => ({ key: t.key, value: t.value })).sort((a, b) => byString(a.key, b.key)),
  };
  if (u.accountAlias !== undefined) out.accountAlias = u.accountAlias;
  if (hasLoginProfile && u.passwordLastUsed !== undefined) out.passwordLastUsed = u.passwordLastUsed;
  if (u.permissionsBoundary !== undefined) out.permissionsBoundaryArn = u.permissionsBoundary.arn;
  return out;
}

export function expectedProjection(e: ExpectedUser): ReturnType<typeof projectUser> {
  const { isAdmin: _a, adminVia: _v, isAdminByName: _n, ...rest } = e;
  return rest;
}
