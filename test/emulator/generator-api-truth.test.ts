// The generator's ground truth agrees with what the IAM API serves, for every one of 1,000 users,
// read with the unmodified SDK over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetAccessKeyLastUsedCommand,
  paginateGetAccountAuthorizationDetails,
  type UserDetail,
  GetLoginProfileCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  paginateListUsers,
  type User,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import {
  AWS_MANAGED_POLICIES,
  CUSTOMER_POLICY_TEMPLATES,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type Emulator,
  type ExpectedUser,
  generateWorld,
  startEmulator,
} from '../../src/emulator/index.js';
import { isNotFound } from '../../src/collector/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const dataset = generateWorld({ seed: 20250115, accounts: 1, usersPerAccount: 1000, groupsPerAccount: 100 });
let emu: Emulator;
let iam: IAMClient;

const sorted = (xs: string[]): string[] => [...xs].sort();
const time = (d: Date | undefined): number | undefined => d?.getTime();

/** Collects mismatches so that 1,000 users cost one assertion (and one readable failure). */
class Mismatches {
  readonly found: string[] = [];
  same(what: string, actual: unknown, expected: unknown): void {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e && this.found.length < 30) this.found.push(`${what}: got ${a}, truth ${e}`);
  }
}

function mfaTypeOfSerial(serial: string): string {
  if (/^arn:aws:iam::\d{12}:u2f\//.test(serial)) return 'security_key';
  if (/^arn:aws:iam::\d{12}:mfa\//.test(serial)) return 'virtual';
  return 'hardware';
}

beforeAll(async () => {
  emu = await startEmulator({ world: dataset.world, truth: dataset.truth });
  iam = new IAMClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  iam?.destroy();
  await emu?.stop();
});

describe('generator ground truth vs the IAM API (1,000 users)', () => {
  it('agrees for every user', async () => {
    const listed: User[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {}))
      listed.push(...(page.Users ?? []));
    expect(listed).toHaveLength(1000);
    expect(sorted(listed.map((u) => u.Arn as string))).toEqual(sorted([...dataset.truth.users.keys()]));

    // Relationships for everyone in a few bulk calls; the per-user list actions are checked on a sample.
    const details = new Map<string, UserDetail>();
    const groupPrivileges = new Map<string, string[]>();
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client: iam, pageSize: 1000 },
      { Filter: ['User', 'Group'] },
    )) {
      for (const d of page.UserDetailList ?? []) details.set(d.UserName as string, d);
      for (const g of page.GroupDetailList ?? []) {
        groupPrivileges.set(g.GroupName as string, [
          ...sorted((g.AttachedManagedPolicies ?? []).map((p) => p.PolicyName as string)),
          ...sorted((g.GroupPolicyList ?? []).map((p) => p.PolicyName as string)),
        ]);
      }
    }
    expect(details.size).toBe(1000);
    const limit = pLimit(16);
    const byTagKey = (a: { key?: string }, b: { key?: string }): number =>
      (a.key ?? '') < (b.key ?? '') ? -1 : 1;
    const groupsOf = (names: string[], arnOf: (name: string) => string | undefined) =>
      names
        .map((name) => ({ name, arn: arnOf(name), privileges: groupPrivileges.get(name) ?? [] }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    const groupArns = new Map(
      [...(dataset.world.accounts.get(dataset.world.defaultAccountId)?.groups.values() ?? [])].map((g) => [
        g.groupName,
        g.arn,
      ]),
    );

    const m = new Mismatches();
    await Promise.all(
      listed.map((listedUser, index) =>
        limit(async () => {
          const UserName = listedUser.UserName as string;
          const t = dataset.truth.users.get(listedUser.Arn as string) as ExpectedUser;
          const [mfa, keys, login] = await Promise.all([
            iam.send(new ListMFADevicesCommand({ UserName })),
            iam.send(new ListAccessKeysCommand({ UserName })),
            iam.send(new GetLoginProfileCommand({ UserName })).then(
              (r) => r.LoginProfile,
              (err: unknown) => {
                if (isNotFound(err)) return undefined;
                throw err;
              },
            ),
          ]);
          const who = UserName;
          const d = details.get(UserName);
          m.same(`${who} userId`, listedUser.UserId, t.userId);
          m.same(`${who} path`, listedUser.Path, t.path);
          m.same(`${who} createDate`, time(listedUser.CreateDate), t.createDate);
          m.same(`${who} passwordLastUsed`, time(listedUser.PasswordLastUsed), t.passwordLastUsed);
          m.same(`${who} GAAD userId`, d?.UserId, t.userId);
          m.same(
            `${who} GAAD boundary`,
            d?.PermissionsBoundary?.PermissionsBoundaryArn,
            t.permissionsBoundaryArn,
          );
          const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined) =>
            (tags ?? []).map((x) => ({ key: x.Key, value: x.Value })).sort(byTagKey);
          m.same(`${who} GAAD tags`, tagsOf(d?.Tags), t.tags);
          m.same(
            `${who} GAAD groups`,
            groupsOf(d?.GroupList ?? [], (n) => groupArns.get(n)),
            t.groups,
          );
          m.same(
            `${who} GAAD attached`,
            sorted((d?.AttachedManagedPolicies ?? []).map((p) => p.PolicyName as string)),
            t.attachedPolicyNames,
          );
          m.same(
            `${who} GAAD inline`,
            sorted((d?.UserPolicyList ?? []).map((p) => p.PolicyName as string)),
            t.inlinePolicyNames,
          );
          if (index % 10 === 0) {
            const [user, groups, attached, inline, tags] = await Promise.all([
              iam.send(new GetUserCommand({ UserName })),
              iam.send(new ListGroupsForUserCommand({ UserName })),
              iam.send(new ListAttachedUserPoliciesCommand({ UserName })),
              iam.send(new ListUserPoliciesCommand({ UserName })),
              iam.send(new ListUserTagsCommand({ UserName })),
            ]);
            const u = user.User;
            m.same(`${who} GetUser createDate`, time(u?.CreateDate), t.createDate);
            m.same(`${who} GetUser passwordLastUsed`, time(u?.PasswordLastUsed), t.passwordLastUsed);
            m.same(
              `${who} GetUser boundary`,
              u?.PermissionsBoundary?.PermissionsBoundaryArn,
              t.permissionsBoundaryArn,
            );
            m.same(`${who} GetUser tags`, tagsOf(u?.Tags), t.tags);
            const arns = new Map((groups.Groups ?? []).map((g) => [g.GroupName as string, g.Arn as string]));
            m.same(
              `${who} groups`,
              groupsOf([...arns.keys()], (n) => arns.get(n)),
              t.groups,
            );
            m.same(
              `${who} attached`,
              sorted((attached.AttachedPolicies ?? []).map((p) => p.PolicyName as string)),
              t.attachedPolicyNames,
            );
            m.same(`${who} inline`, sorted(inline.PolicyNames ?? []), t.inlinePolicyNames);
            m.same(`${who} tags`, tagsOf(tags.Tags), t.tags);
          }
          const serials = (mfa.MFADevices ?? []).map((d) => d.SerialNumber as string);
          m.same(`${who} mfa serials`, sorted(serials), t.mfaSerials);
          m.same(`${who} mfa types`, sorted(serials.map(mfaTypeOfSerial)), t.mfaTypes);
          m.same(`${who} hasMfa`, serials.length > 0, t.hasMfa);
          const apiKeys = await Promise.all(
            (keys.AccessKeyMetadata ?? []).map(async (k) => {
              const last = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId }));
              const key: { id: string; status: string; createDate: number; lastUsedTime?: number } = {
                id: k.AccessKeyId as string,
                status: k.Status as string,
                createDate: time(k.CreateDate) as number,
              };
              const used = time(last.AccessKeyLastUsed?.LastUsedDate);
              if (used !== undefined) key.lastUsedTime = used;
              return key;
            }),
          );
          m.same(
            `${who} keys`,
            apiKeys.sort((a, b) => (a.id < b.id ? -1 : 1)),
            t.accessKeys,
          );
          m.same(`${who} login profile`, login !== undefined, t.hasLoginProfile);
          m.same(
            `${who} disabled`,
            login === undefined && !apiKeys.some((k) => k.status === 'Active'),
            t.isDisabled,
          );
        }),
      ),
    );
    expect(m.found).toEqual([]);
  });

  it('serves, for every admin reason, the catalog document the label was written for', async () => {
    const documents = new Map(
      [...AWS_MANAGED_POLICIES, ...CUSTOMER_POLICY_TEMPLATES].map((p) => [p.name, p.document]),
    );
    const account = dataset.world.accounts.get(dataset.world.defaultAccountId);
    const arnByName = new Map<string, string>();
    for (const p of [...dataset.world.awsManagedPolicies.values(), ...(account?.policies.values() ?? [])]) {
      arnByName.set(p.name, p.arn);
    }
    const reasons = new Set<string>();
    for (const u of dataset.truth.users.values()) {
      for (const r of u.adminVia) if (!r.startsWith('inline:')) reasons.add(r.slice(r.lastIndexOf('/') + 1));
    }
    expect(reasons.size).toBeGreaterThan(3);
    for (const name of reasons) {
      const arn = arnByName.get(name) as string;
      const versionId = [
        ...dataset.world.awsManagedPolicies.values(),
        ...(account?.policies.values() ?? []),
      ].find((p) => p.arn === arn)?.defaultVersionId;
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
      expect(JSON.parse(decodeURIComponent(version.PolicyVersion?.Document ?? ''))).toEqual(
        JSON.parse(documents.get(name) as string),
      );
    }
  });
});
