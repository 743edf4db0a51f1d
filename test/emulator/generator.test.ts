import { describe, expect, it } from '@jest/globals';
import {
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  DEFAULT_ACCESS_KEY_ID,
  type EmuAccount,
  type EmuWorld,
  type ExpectedUser,
  generateWorld,
  GENERATOR_REFERENCE_TIME,
  INLINE_POLICY_TEMPLATES,
} from '../../src/emulator/index.js';

const OPTIONS = { seed: 7, accounts: 3, usersPerAccount: 300, groupsPerAccount: 20 };
const { world, truth } = generateWorld(OPTIONS);
const users = [...truth.users.values()];

/** An independent reading of the documented rule, only to check the catalog's hand-written labels. */
function allowsStarOnStar(document: string): boolean {
  const parsed = JSON.parse(document) as { Statement: unknown };
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) as Record<
    string,
    unknown
  >[];
  const list = (v: unknown): string[] =>
    v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Condition === undefined &&
      list(s.Action).some((a) => a === '*' || a === '*:*') &&
      list(s.Resource).includes('*'),
  );
}

function policyName(w: EmuWorld, account: EmuAccount, arn: string): string {
  const p = w.awsManagedPolicies.get(arn) ?? account.policies.get(arn);
  if (!p) throw new Error(`missing policy ${arn}`);
  return p.name;
}

/** JSON with Maps and Sets spelled out, to compare whole worlds cheaply. */
function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Map ? { map: [...v.entries()] } : v instanceof Set ? { set: [...v] } : v,
  );
}

/** Collects mismatches so that a loop over hundreds of users costs one assertion. */
class Mismatches {
  readonly found: string[] = [];
  same(what: string, actual: unknown, expected: unknown): void {
    const a = serialize(actual);
    const e = serialize(expected);
    if (a !== e && this.found.length < 20) this.found.push(`${what}: ${a} !== ${e}`);
  }
  check(what: string, ok: boolean): void {
    if (!ok && this.found.length < 20) this.found.push(what);
  }
}

describe('policy catalog', () => {
  it('labels every document as the documented admin rule reads it', () => {
    for (const p of [...AWS_MANAGED_POLICIES, ...CUSTOMER_POLICY_TEMPLATES, ...INLINE_POLICY_TEMPLATES]) {
      expect([p.name, allowsStarOnStar(p.document)]).toEqual([p.name, p.adminEquivalent]);
    }
    for (const b of BOUNDARY_TEMPLATES)
      expect([b.name, allowsStarOnStar(b.document)]).toEqual([b.name, b.allowsAdmin]);
  });

  it('has admin forms and decoys of every documented kind', () => {
    const docs = CUSTOMER_POLICY_TEMPLATES.map((p) => JSON.parse(p.document) as { Statement: unknown });
    expect(docs.some((d) => !Array.isArray(d.Statement))).toBe(true);
    const texts = CUSTOMER_POLICY_TEMPLATES.map((p) => p.document);
    expect(texts.some((t) => t.includes('"*:*"'))).toBe(true);
    expect(texts.some((t) => t.includes('"NotResource"'))).toBe(true);
    expect(texts.some((t) => t.includes('"Condition"'))).toBe(true);
    expect(texts.some((t) => t.includes('"Deny"'))).toBe(true);
    const power = AWS_MANAGED_POLICIES.find((p) => p.name === 'PowerUserAccess');
    expect(JSON.parse(power?.document ?? '{}').Statement[0].NotAction).toEqual([
      'iam:*',
      'organizations:*',
      'account:*',
    ]);
  });
});

describe('generateWorld', () => {
  it('is deterministic from the seed', () => {
    const again = generateWorld(OPTIONS);
    expect(serialize(again.world)).toBe(serialize(world));
    expect(serialize(again.truth)).toBe(serialize(truth));
    const other = generateWorld({ ...OPTIONS, seed: 8 });
    expect([...other.truth.users.keys()]).not.toEqual([...truth.users.keys()]);
  });

  it('builds accounts, the default credential and the assumable role', () => {
    expect(world.accounts.size).toBe(3);
    const ids = [...world.accounts.keys()];
    expect(ids[0]).toBe(world.defaultAccountId);
    for (const id of ids) expect(id).toMatch(/^\d{12}$/);
    expect(world.credentials.get(DEFAULT_ACCESS_KEY_ID)?.accountId).toBe(world.defaultAccountId);
    expect([...world.accounts.values()].some((a) => a.alias !== undefined)).toBe(true);
    for (const account of world.accounts.values()) {
      expect(account.users.size).toBe(300);
      expect(account.groups.size).toBe(20);
      const reader = account.roles.get('IamInventoryReader');
      expect(reader).toBeDefined();
      const trust = JSON.parse(reader?.assumeRolePolicyDocument ?? '{}');
      expect(trust.Statement[0].Principal.AWS).toBe(`arn:aws:iam::${world.defaultAccountId}:root`);
      expect(trust.Statement[0].Condition).toBeUndefined();
      expect(truth.roles.get(reader?.arn ?? '')?.trustPrincipals).toEqual([
        `AWS:arn:aws:iam::${world.defaultAccountId}:root`,
      ]);
    }
    const withExternalId = generateWorld({
      ...OPTIONS,
      accounts: 2,
      usersPerAccount: 5,
      externalId: 'xid-1',
    });
    for (const account of withExternalId.world.accounts.values()) {
      const trust = JSON.parse(account.roles.get('IamInventoryReader')?.assumeRolePolicyDocument ?? '{}');
      expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'xid-1' } });
    }
    const roles = [...truth.roles.values()];
    expect(roles.some((r) => r.trustPrincipals.some((p) => p.startsWith('Service:')))).toBe(true);
    expect(roles.some((r) => r.trustPrincipals.some((p) => p.startsWith('Federated:')))).toBe(true);
  });

  it('uses realistic ids and whole-second dates, with shared CreateDate seconds', () => {
    const dates = new Map<number, number>();
    const m = new Mismatches();
    for (const account of world.accounts.values()) {
      for (const u of account.users.values()) {
        m.check(`userId ${u.userId}`, /^AIDA[A-Z2-7]{17}$/.test(u.userId));
        m.same('arn', u.arn, `arn:aws:iam::${account.id}:user${u.path}${u.userName}`);
        m.check(
          `createDate ${u.createDate}`,
          u.createDate % 1000 === 0 && u.createDate < GENERATOR_REFERENCE_TIME,
        );
        dates.set(u.createDate, (dates.get(u.createDate) ?? 0) + 1);
        for (const k of u.accessKeys) {
          m.check(
            `key ${k.accessKeyId}`,
            /^AKIA[A-Z2-7]{16}$/.test(k.accessKeyId) && k.createDate % 1000 === 0,
          );
          if (k.lastUsed)
            m.check(`key used before created ${k.accessKeyId}`, k.lastUsed.date >= k.createDate);
        }
        for (const d of u.mfaDevices) {
          const pattern = {
            virtual: new RegExp(`^arn:aws:iam::${account.id}:mfa/`),
            hardware: /^GAHT\d{8}$/,
            u2f: new RegExp(`^arn:aws:iam::${account.id}:u2f/user/${u.userName}/`),
          }[d.kind];
          m.check(`serial ${d.serial}`, pattern.test(d.serial));
        }
      }
    }
    expect(m.found).toEqual([]);
    expect([...dates.values()].filter((n) => n > 1).length).toBeGreaterThan(5);
    const paths = new Set(users.map((u) => u.path));
    expect(paths.size).toBeGreaterThanOrEqual(5);
  });

  it('covers every case the collector must get right, in every account', () => {
    for (const accountId of world.accounts.keys()) {
      const mine = users.filter((u) => u.accountId === accountId);
      const has = (pred: (u: ExpectedUser) => boolean): boolean => mine.some(pred);
      expect(has((u) => u.adminVia.includes('group:admins/AdministratorAccess'))).toBe(true);
      expect(has((u) => u.adminVia.includes('user/AdministratorAccess'))).toBe(true);
      for (const p of CUSTOMER_POLICY_TEMPLATES.filter((t) => t.adminEquivalent)) {
        expect([p.name, has((u) => u.adminVia.includes(`user/${p.name}`))]).toEqual([p.name, true]);
      }
      expect(has((u) => u.adminVia.includes('group:platform-admins/PlatformFullAccess'))).toBe(true);
      expect(has((u) => u.adminVia.includes('inline:user/breakglass'))).toBe(true);
      expect(has((u) => u.adminVia.includes('inline:user/emergency-full-access'))).toBe(true);
      expect(has((u) => u.adminVia.includes('inline:group:break-glass/breakglass'))).toBe(true);
      expect(has((u) => u.adminVia.length >= 3)).toBe(true);
      // Decoy holders are not admin.
      for (const name of [
        'PowerUserAccess',
        'IAMFullAccess',
        'AmazonS3FullAccess',
        'DataLakeBucketFullAccess',
        'IamWildcardManager',
        'S3Everything',
        'AllButIam',
        'MfaConditionalAdmin',
        'AllExceptSecrets',
        'QuarantineDenyAll',
        'DemotedOpsAccess',
      ]) {
        expect([name, has((u) => u.attachedPolicyNames.includes(name) && u.adminVia.length === 0)]).toEqual([
          name,
          true,
        ]);
      }
      for (const name of [
        'bucket-owner',
        'iam-self-service',
        'everything-but-iam',
        'office-hours-admin',
        'deny-all',
      ]) {
        expect([name, has((u) => u.inlinePolicyNames.includes(name) && !u.isAdmin)]).toEqual([name, true]);
      }
      // Boundaries: blocking ones neutralise, allowing ones do not.
      expect(has((u) => u.isAdminByName && !u.isAdmin && u.permissionsBoundaryArn !== undefined)).toBe(true);
      expect(has((u) => u.isAdmin && u.permissionsBoundaryArn?.endsWith('/BoundaryAllowAll') === true)).toBe(
        true,
      );
      expect(
        has((u) => u.isAdmin && u.permissionsBoundaryArn === 'arn:aws:iam::aws:policy/AdministratorAccess'),
      ).toBe(true);
      expect(
        has((u) => !u.isAdmin && u.permissionsBoundaryArn === 'arn:aws:iam::aws:policy/PowerUserAccess'),
      ).toBe(true);
      expect(has((u) => u.groups.length === 0)).toBe(true);
      expect(has((u) => u.groups.length >= 4)).toBe(true);
      for (const t of ['virtual', 'hardware', 'security_key'] as const) {
        expect([t, has((u) => u.mfaTypes.length === 1 && u.mfaTypes[0] === t)]).toEqual([t, true]);
      }
      expect(has((u) => u.mfaTypes.length === 2)).toBe(true);
      expect(has((u) => !u.hasMfa)).toBe(true);
      expect(has((u) => u.accessKeys.length === 2)).toBe(true);
      expect(has((u) => u.accessKeys.some((k) => k.status === 'Inactive'))).toBe(true);
      expect(has((u) => u.accessKeys.some((k) => k.lastUsedTime === undefined))).toBe(true);
      expect(has((u) => u.isDisabled && u.accessKeys.length === 0)).toBe(true);
      expect(has((u) => u.isDisabled && u.accessKeys.length > 0)).toBe(true);
      expect(has((u) => u.hasLoginProfile && u.passwordLastUsed === undefined)).toBe(true);
      expect(has((u) => u.hasLoginProfile && u.passwordLastUsed !== undefined)).toBe(true);
      expect(has((u) => u.tags.length >= 3)).toBe(true);
      expect(has((u) => u.tags.length === 0)).toBe(true);
    }
  });

  it('fills the truth consistently with the raw world data', () => {
    const adminLabels = new Map(
      [...AWS_MANAGED_POLICIES, ...CUSTOMER_POLICY_TEMPLATES].map((p) => [p.name, p.adminEquivalent]),
    );
    const inlineLabels = new Map(INLINE_POLICY_TEMPLATES.map((t) => [t.name, t.adminEquivalent]));
    const m = new Mismatches();
    const sorted = (xs: string[]): string[] => [...xs].sort();
    for (const account of world.accounts.values()) {
      for (const u of account.users.values()) {
        const e = truth.users.get(u.arn);
        if (!e) {
          m.check(`${u.arn} missing from the truth`, false);
          continue;
        }
        const who = u.arn;
        m.same(`${who} alias`, e.accountAlias, account.alias);
        m.same(
          `${who} groups`,
          e.groups.map((g) => g.name),
          sorted(u.groups),
        );
        for (const g of e.groups) {
          const group = account.groups.get(g.name);
          m.same(`${who} group arn`, g.arn, group?.arn);
          m.same(
            `${who} ${g.name} privileges`,
            sorted(g.privileges),
            sorted([
              ...(group?.attachedPolicyArns ?? []).map((arn) => policyName(world, account, arn)),
              ...Object.keys(group?.inlinePolicies ?? {}),
            ]),
          );
        }
        m.same(
          `${who} attached`,
          e.attachedPolicyNames,
          sorted(u.attachedPolicyArns.map((a) => policyName(world, account, a))),
        );
        m.same(`${who} inline`, e.inlinePolicyNames, sorted(Object.keys(u.inlinePolicies)));
        // Every reason names a policy actually reachable, and labelled admin.
        for (const reason of e.adminVia) {
          const match = /^(inline:)?(user|group:([^/]+))\/(.+)$/.exec(reason);
          if (!match) {
            m.check(`${who} malformed reason ${reason}`, false);
            continue;
          }
          const [, inline, , groupName, policy = ''] = match;
          let reachable: boolean;
          if (groupName !== undefined) {
            const group = account.groups.get(groupName);
            reachable =
              u.groups.includes(groupName) &&
              (inline
                ? Object.keys(group?.inlinePolicies ?? {}).includes(policy)
                : (group?.attachedPolicyArns ?? [])
                    .map((a) => policyName(world, account, a))
                    .includes(policy));
          } else {
            reachable = inline ? policy in u.inlinePolicies : e.attachedPolicyNames.includes(policy);
          }
          m.check(`${who} reason ${reason} not reachable`, reachable);
          m.check(
            `${who} reason ${reason} not labelled admin`,
            (inline ? inlineLabels : adminLabels).get(policy) === true,
          );
        }
        m.same(`${who} isAdmin`, e.isAdmin, e.adminVia.length > 0);
        if (e.isAdmin && e.permissionsBoundaryArn) {
          m.check(
            `${who} admin through a blocking boundary`,
            /BoundaryAllowAll$|policy\/AdministratorAccess$/.test(e.permissionsBoundaryArn),
          );
        }
        m.same(
          `${who} isAdminByName`,
          e.isAdminByName,
          e.attachedPolicyNames.includes('AdministratorAccess') ||
            e.groups.some((g) => g.privileges.includes('AdministratorAccess')),
        );
        // Nobody holds both a deny-all and an admin route (the rule would be ambiguous).
        if (e.attachedPolicyNames.includes('QuarantineDenyAll') || e.inlinePolicyNames.includes('deny-all')) {
          m.same(`${who} deny-all holder with admin route`, e.adminVia, []);
        }
        m.same(`${who} hasMfa`, e.hasMfa, u.mfaDevices.length > 0);
        m.same(`${who} serials`, e.mfaSerials, sorted(u.mfaDevices.map((d) => d.serial)));
        m.same(
          `${who} keys`,
          e.accessKeys.map((k) => k.id),
          sorted(u.accessKeys.map((k) => k.accessKeyId)),
        );
        m.same(`${who} login`, e.hasLoginProfile, u.loginProfile !== undefined);
        m.same(`${who} passwordLastUsed`, e.passwordLastUsed, u.passwordLastUsed);
        m.same(
          `${who} disabled`,
          e.isDisabled,
          !u.loginProfile && !u.accessKeys.some((k) => k.status === 'Active'),
        );
        m.same(
          `${who} tags`,
          e.tags,
          u.tags.map((t) => ({ key: t.Key, value: t.Value })).sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
        m.same(`${who} boundary`, e.permissionsBoundaryArn, u.permissionsBoundaryArn);
        if (u.permissionsBoundaryArn) {
          m.check(
            `${who} boundary policy missing`,
            world.awsManagedPolicies.has(u.permissionsBoundaryArn) ||
              account.policies.has(u.permissionsBoundaryArn),
          );
        }
      }
    }
    expect(m.found).toEqual([]);
    expect(truth.users.size).toBe(900);
  });

  it('keeps policy versions: the default version is what counts', () => {
    const account = world.accounts.get(world.defaultAccountId) as EmuAccount;
    const promoted = [...account.policies.values()].find((p) => p.name === 'PromotedOpsAccess');
    expect(promoted?.defaultVersionId).toBe('v2');
    expect(promoted?.versions.map((v) => [v.versionId, v.isDefault])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    expect(
      world.awsManagedPolicies.get('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')?.awsManaged,
    ).toBe(true);
  });

  it('builds an organization with nested OUs and one suspended account', () => {
    const org = world.organization;
    expect(org).toBeDefined();
    if (!org) return;
    expect(org.id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(org.rootId).toMatch(/^r-[a-z0-9]{4}$/);
    expect(org.managementAccountId).toBe(world.defaultAccountId);
    const parents = new Set([org.rootId, ...org.ous.keys()]);
    for (const ou of org.ous.values()) {
      expect(ou.id).toMatch(/^ou-[a-z0-9]{4}-[a-z0-9]{8}$/);
      expect(parents.has(ou.parentId)).toBe(true);
    }
    expect([...org.ous.values()].some((ou) => ou.parentId !== org.rootId)).toBe(true);
    for (const a of org.accounts.values()) expect(parents.has(a.parentId)).toBe(true);
    for (const id of world.accounts.keys()) expect(org.accounts.get(id)?.status).toBe('ACTIVE');
    const suspended = [...org.accounts.values()].filter((a) => a.status === 'SUSPENDED');
    expect(suspended).toHaveLength(1);
    expect(world.accounts.has(suspended[0]?.id ?? '')).toBe(false);
    expect(generateWorld({ ...OPTIONS, accounts: 1, usersPerAccount: 5 }).world.organization).toBeUndefined();
  });

  it('builds an Identity Center store with primary emails and memberships', () => {
    const withIc = generateWorld({
      ...OPTIONS,
      accounts: 2,
      usersPerAccount: 5,
      identityCenter: { users: 120, groups: 6 },
    });
    expect(withIc.world.identityStores.size).toBe(1);
    const store = [...withIc.world.identityStores.values()][0];
    if (!store) throw new Error('no store');
    expect(store.identityStoreId).toMatch(/^d-[0-9a-f]{10}$/);
    expect(store.instanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    expect(store.accountId).toBe(withIc.world.defaultAccountId);
    expect(store.region).toBe('us-east-1');
    expect(store.users.size).toBe(120);
    expect(store.groups.size).toBe(6);
    const expected = [...withIc.truth.identityCenterUsers.values()];
    expect(expected).toHaveLength(120);
    for (const u of store.users.values()) {
      expect(u.emails.filter((e) => e.primary).length).toBeLessThanOrEqual(1);
      const e = withIc.truth.identityCenterUsers.get(u.userId);
      expect(e?.email).toBe(u.emails.find((m) => m.primary)?.value);
      expect(e?.fullName).toBe(u.name?.formatted);
      const groups = [...store.memberships.values()]
        .filter((m) => m.userId === u.userId)
        .map((m) => store.groups.get(m.groupId)?.displayName)
        .sort();
      expect(e?.groups).toEqual(groups);
    }
    expect(expected.some((u) => u.groups.length === 0)).toBe(true);
    expect(expected.some((u) => u.groups.length >= 2)).toBe(true);
    expect(
      [...store.users.values()].some((u) => u.emails.length === 2 && u.emails[0]?.primary === false),
    ).toBe(true);
    expect(
      generateWorld({ ...OPTIONS, accounts: 1, usersPerAccount: 5, identityCenter: false }).world
        .identityStores.size,
    ).toBe(0);
  });

  it('generates 20 accounts x 5,000 users', () => {
    // Without the truth, as the benchmark runs it (the truth is covered above at a smaller scale).
    const big = generateWorld({
      seed: 3,
      accounts: 20,
      usersPerAccount: 5000,
      groupsPerAccount: 100,
      groundTruth: false,
    });
    expect(big.world.accounts.size).toBe(20);
    let users = 0;
    for (const a of big.world.accounts.values()) users += a.users.size;
    expect(users).toBe(100_000);
    expect(big.truth.users.size).toBe(0);
  });
});
