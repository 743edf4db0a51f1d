// Organizations, Identity Store and SSO Admin driven by the unmodified AWS SDK clients over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from '@aws-sdk/client-organizations';
import {
  DescribeUserCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListUsersCommand,
  paginateListGroups,
  paginateListUsers,
  type User,
} from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  addCredential,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type EmuIdentityStore,
  type Emulator,
  generateWorld,
  setIdentityStoreUserEmail,
  startEmulator,
} from '../../src/emulator/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const DEFAULT_KEYS = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const MEMBER_KEYS = {
  accessKeyId: 'AKIAMEMBERACCOUNT001',
  secretAccessKey: 'member-secret-key-for-tests-0000000000',
};

async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const dataset = generateWorld({
  seed: 11,
  accounts: 7,
  usersPerAccount: 3,
  groupsPerAccount: 3,
  identityCenter: { users: 45, groups: 5 },
});
const { world } = dataset;
const org = world.organization;
const store = [...world.identityStores.values()][0] as EmuIdentityStore;
const memberId = [...world.accounts.keys()][1] as string;
let emu: Emulator;

const orgs = (keys = DEFAULT_KEYS): OrganizationsClient =>
  new OrganizationsClient({ endpoint: emu.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
const identityStore = (region = 'us-east-1'): IdentitystoreClient =>
  new IdentitystoreClient({ endpoint: emu.url, region, credentials: DEFAULT_KEYS, maxAttempts: 1 });
const ssoAdmin = (region = 'us-east-1', keys = DEFAULT_KEYS): SSOAdminClient =>
  new SSOAdminClient({ endpoint: emu.url, region, credentials: keys, maxAttempts: 1 });

beforeAll(async () => {
  addCredential(world, {
    ...MEMBER_KEYS,
    accountId: memberId,
    arn: `arn:aws:iam::${memberId}:user/member-admin`,
    userId: 'AIDAMEMBERADMIN000001',
  });
  emu = await startEmulator({ world, truth: dataset.truth });
});

afterAll(async () => {
  await emu?.stop();
});

describe('Organizations', () => {
  it('lists every account across pages of 2', async () => {
    if (!org) throw new Error('no organization');
    const accounts: Account[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: orgs(), pageSize: 2 }, {})) {
      pages++;
      expect((page.Accounts ?? []).length).toBeLessThanOrEqual(2);
      accounts.push(...(page.Accounts ?? []));
    }
    expect(pages).toBe(4);
    expect(accounts.map((a) => a.Id)).toEqual([...org.accounts.keys()]);
    const suspended = accounts.filter((a) => a.Status === 'SUSPENDED');
    expect(suspended).toHaveLength(1);
    expect(suspended[0]?.State).toBe('SUSPENDED');
    const mgmt = accounts[0] as Account;
    expect(mgmt.Arn).toBe(
      `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
    );
    expect(mgmt.JoinedTimestamp).toBeInstanceOf(Date);
    expect(mgmt.JoinedTimestamp?.getTime()).toBe(org.accounts.get(org.managementAccountId)?.joinedTimestamp);
    expect(mgmt.Email).toMatch(/@/);
  });

  it('walks the tree: root, OUs (nested) and accounts per parent', async () => {
    if (!org) throw new Error('no organization');
    const client = orgs();
    const roots = await client.send(new ListRootsCommand({}));
    expect(roots.Roots?.map((r) => r.Id)).toEqual([org.rootId]);
    const found: string[] = [];
    const walk = async (parentId: string): Promise<void> => {
      let token: string | undefined;
      do {
        const accts = await client.send(
          new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: 1 }),
        );
        found.push(...(accts.Accounts ?? []).map((a) => a.Id as string));
        token = accts.NextToken;
      } while (token);
      const ous = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId }));
      for (const ou of ous.OrganizationalUnits ?? []) {
        expect(ou.Id).toMatch(/^ou-/);
        expect(ou.Path?.endsWith(`${ou.Id}/`)).toBe(true);
        await walk(ou.Id as string);
      }
    };
    await walk(org.rootId);
    expect(found.sort()).toEqual([...org.accounts.keys()].sort());
    expect(
      await failure(client.send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' }))),
    ).toEqual({
      name: 'ParentNotFoundException',
      status: 400,
    });
    expect(await failure(client.send(new ListRootsCommand({ NextToken: 'bogus' })))).toMatchObject({
      name: 'InvalidInputException',
    });
  });

  it('describes the organization to members but lists only for the management account', async () => {
    if (!org) throw new Error('no organization');
    const described = await orgs(MEMBER_KEYS).send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.Id).toBe(org.id);
    expect(described.Organization?.MasterAccountId).toBe(org.managementAccountId);
    expect(await failure(orgs(MEMBER_KEYS).send(new ListRootsCommand({})))).toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('answers AWSOrganizationsNotInUseException outside an organization', async () => {
    const lone = generateWorld({
      seed: 2,
      accounts: 1,
      usersPerAccount: 2,
      groupsPerAccount: 2,
      identityCenter: false,
    });
    const other = await startEmulator({ world: lone.world });
    try {
      const client = new OrganizationsClient({
        endpoint: other.url,
        region: 'us-east-1',
        credentials: DEFAULT_KEYS,
        maxAttempts: 1,
      });
      expect(await failure(client.send(new DescribeOrganizationCommand({})))).toMatchObject({
        name: 'AWSOrganizationsNotInUseException',
      });
    } finally {
      await other.stop();
    }
  });
});

describe('Identity Center', () => {
  it('discovers the instance with sso-admin ListInstances, in its region only', async () => {
    const listed = await ssoAdmin().send(new ListInstancesCommand({}));
    expect(listed.Instances).toEqual([
      {
        InstanceArn: store.instanceArn,
        IdentityStoreId: store.identityStoreId,
        OwnerAccountId: store.accountId,
        Status: 'ACTIVE',
      },
    ]);
    expect((await ssoAdmin('eu-west-1').send(new ListInstancesCommand({}))).Instances).toEqual([]);
    expect((await ssoAdmin('us-east-1', MEMBER_KEYS).send(new ListInstancesCommand({}))).Instances).toEqual(
      [],
    );
  });

  it('pages users and groups with the shapes the SDK models', async () => {
    const users: User[] = [];
    let pages = 0;
    for await (const page of paginateListUsers(
      { client: identityStore(), pageSize: 10 },
      { IdentityStoreId: store.identityStoreId },
    )) {
      pages++;
      users.push(...(page.Users ?? []));
    }
    expect(pages).toBe(5);
    expect(users.map((u) => u.UserId)).toEqual([...store.users.keys()]);
    for (const u of users) {
      const expected = dataset.truth.identityCenterUsers.get(u.UserId as string);
      expect(u.IdentityStoreId).toBe(store.identityStoreId);
      expect(u.UserName).toBe(expected?.userName);
      expect(u.DisplayName).toBe(expected?.displayName);
      expect(u.Name?.Formatted).toBe(expected?.fullName);
      expect(u.Emails?.find((e) => e.Primary)?.Value).toBe(expected?.email);
    }
    const groups = [];
    for await (const page of paginateListGroups(
      { client: identityStore(), pageSize: 2 },
      { IdentityStoreId: store.identityStoreId },
    )) {
      groups.push(...(page.Groups ?? []));
    }
    expect(groups.map((g) => g.DisplayName)).toEqual([...store.groups.values()].map((g) => g.displayName));
    const filtered = await identityStore().send(
      new ListUsersCommand({
        IdentityStoreId: store.identityStoreId,
        Filters: [{ AttributePath: 'UserName', AttributeValue: users[3]?.UserName }],
      }),
    );
    expect(filtered.Users?.map((u) => u.UserId)).toEqual([users[3]?.UserId]);
  });

  it('lists memberships by group and by member, agreeing with the truth', async () => {
    const client = identityStore();
    const byUser = new Map<string, string[]>();
    for (const group of store.groups.values()) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListGroupMembershipsCommand({
            IdentityStoreId: store.identityStoreId,
            GroupId: group.groupId,
            MaxResults: 3,
            NextToken: token,
          }),
        );
        for (const m of page.GroupMemberships ?? []) {
          expect(m.GroupId).toBe(group.groupId);
          const userId = m.MemberId?.UserId as string;
          byUser.set(userId, [...(byUser.get(userId) ?? []), group.displayName]);
        }
        token = page.NextToken;
      } while (token);
    }
    for (const expected of dataset.truth.identityCenterUsers.values()) {
      expect([...(byUser.get(expected.userId) ?? [])].sort()).toEqual(expected.groups);
    }
    const someone = [...dataset.truth.identityCenterUsers.values()].find((u) => u.groups.length >= 2);
    const forMember = await client.send(
      new ListGroupMembershipsForMemberCommand({
        IdentityStoreId: store.identityStoreId,
        MemberId: { UserId: someone?.userId as string },
      }),
    );
    expect(
      (forMember.GroupMemberships ?? [])
        .map((m) => store.groups.get(m.GroupId as string)?.displayName)
        .sort(),
    ).toEqual(someone?.groups);
  });

  it('describes a user, reflects a changed email, and reports unknown ids', async () => {
    const client = identityStore();
    const userId = [...store.users.keys()][0] as string;
    const before = await client.send(
      new DescribeUserCommand({ IdentityStoreId: store.identityStoreId, UserId: userId }),
    );
    expect(before.UserId).toBe(userId);
    setIdentityStoreUserEmail(world, store.identityStoreId, userId, 'renamed@acme.example');
    const after = await client.send(
      new DescribeUserCommand({ IdentityStoreId: store.identityStoreId, UserId: userId }),
    );
    expect(after.Emails?.find((e) => e.Primary)?.Value).toBe('renamed@acme.example');
    expect(
      await failure(
        client.send(
          new DescribeUserCommand({ IdentityStoreId: store.identityStoreId, UserId: `${userId}x` }),
        ),
      ),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(client.send(new ListUsersCommand({ IdentityStoreId: 'd-0000000000' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
    });
    expect(
      await failure(
        identityStore('eu-west-1').send(new ListUsersCommand({ IdentityStoreId: store.identityStoreId })),
      ),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404 });
    expect(
      await failure(
        client.send(new ListUsersCommand({ IdentityStoreId: store.identityStoreId, MaxResults: 101 })),
      ),
    ).toEqual({ name: 'ValidationException', status: 400 });
  });
});
