import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  ListUsersCommand,
  paginateListUsers,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, ACCOUNT_B, READ_DOC, fixtureWorld } from './fixture-world.js';
import { failure, iamClient } from './sdk-clients.js';

const USERS = 2100;
let emu: Emulator;
let iam: IAMClient;

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(USERS) });
  iam = iamClient(emu.url);
});

afterAll(async () => {
  iam.destroy();
  await emu.stop();
});

async function allUserNames(pageSize: number): Promise<{ names: string[]; pages: number[] }> {
  const names: string[] = [];
  const pages: number[] = [];
  for await (const page of paginateListUsers({ client: iam, pageSize }, {})) {
    pages.push(page.Users?.length ?? 0);
    names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
  }
  return { names, pages };
}

describe('IAM pagination', () => {
  it('pages ListUsers at MaxItems 1000 and 100 with IsTruncated and Marker', async () => {
    const big = await allUserNames(1000);
    expect(big.pages).toEqual([1000, 1000, 100]);
    expect(new Set(big.names).size).toBe(USERS);
    const small = await allUserNames(100);
    expect(small.pages).toHaveLength(21);
    expect(small.names).toEqual(big.names);
  });

  it('pages at MaxItems 1 (GetGroup members)', async () => {
    const members: string[] = [];
    let marker: string | undefined;
    do {
      const out = await iam.send(new GetGroupCommand({ GroupName: 'admins', MaxItems: 1, Marker: marker }));
      expect(out.Users?.length).toBe(1);
      members.push(out.Users?.[0]?.UserName ?? '');
      marker = out.IsTruncated ? out.Marker : undefined;
      expect(out.IsTruncated ? typeof out.Marker : 'none').toBe(out.IsTruncated ? 'string' : 'none');
    } while (marker !== undefined && members.length < 20);
    expect(members.slice(0, 3)).toEqual(['user0007', 'user0014', 'user0021']);
  });

  it('MaxItems 1 across ListUsers in a 5-user account', async () => {
    const b = iamClient(emu.url, { accessKeyId: 'AKIAB', secretAccessKey: 'secretB' });
    emu.world.credentials.set('AKIAB', {
      accessKeyId: 'AKIAB',
      secretAccessKey: 'secretB',
      accountId: ACCOUNT_B,
      arn: `arn:aws:iam::${ACCOUNT_B}:root`,
      userId: ACCOUNT_B,
    });
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: b, pageSize: 1 }, {})) {
      expect(page.Users?.length).toBe(1);
      names.push(page.Users?.[0]?.UserName ?? '');
    }
    expect(names).toEqual(['user0000', 'user0001', 'user0002', 'user0003', 'user0004']);
    b.destroy();
  });

  it('keeps its place when users are added and removed between pages', async () => {
    const first = await iam.send(new ListUsersCommand({ MaxItems: 10 }));
    expect(first.Users?.at(-1)?.UserName).toBe('user0009');
    const account = emu.world.accounts.get(ACCOUNT_A);
    const removed = account?.users.get('user0003');
    account?.users.delete('user0003');
    try {
      const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));
      expect(second.Users?.map((u) => u.UserName)).toEqual(['user0010', 'user0011']);
    } finally {
      if (removed) account?.users.set('user0003', removed);
    }
  });

  it('rejects MaxItems outside 1..1000 and foreign markers', async () => {
    expect(await failure(iam.send(new ListUsersCommand({ MaxItems: 0 })))).toMatchObject({
      name: 'ValidationError',
      status: 400,
    });
    expect(await failure(iam.send(new ListUsersCommand({ MaxItems: 1001 })))).toMatchObject({
      name: 'ValidationError',
    });
    const groupsPage = await iam.send(new GetGroupCommand({ GroupName: 'developers', MaxItems: 1 }));
    const err = await failure(iam.send(new ListUsersCommand({ Marker: groupsPage.Marker })));
    expect(err.name).toBe('ValidationError');
  });

  it('short_page fault: fewer items than MaxItems with IsTruncated true, still complete', async () => {
    emu.faults.add({ kind: 'short_page', action: 'ListUsers', times: 2 });
    const { names, pages } = await allUserNames(1000);
    expect(pages).toEqual([500, 500, 1000, 100]);
    expect(new Set(names).size).toBe(USERS);
  });
});

describe('GetAccountAuthorizationDetails', () => {
  async function allDetails(
    filter: string[] | undefined,
    maxItems: number,
  ): Promise<GetAccountAuthorizationDetailsCommandOutput[]> {
    const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: filter as never,
          MaxItems: maxItems,
          Marker: marker,
        }),
      );
      pages.push(page);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker !== undefined);
    return pages;
  }

  it('pages across users, groups and policies with relationships and URL-encoded documents', async () => {
    const pages = await allDetails(['User', 'Group', 'LocalManagedPolicy'], 1000);
    expect(pages).toHaveLength(3);
    const users = pages.flatMap((p) => p.UserDetailList ?? []);
    const groups = pages.flatMap((p) => p.GroupDetailList ?? []);
    const policies = pages.flatMap((p) => p.Policies ?? []);
    expect(users).toHaveLength(USERS);
    expect(groups.map((g) => g.GroupName)).toEqual(['admins', 'developers']);
    expect(policies.map((p) => p.PolicyName)).toEqual(['boundary']);
    expect(pages[2]?.UserDetailList).toHaveLength(100);
    expect(pages[2]?.GroupDetailList).toHaveLength(2);
    expect(pages.flatMap((p) => p.RoleDetailList ?? [])).toEqual([]);

    const u2 = users.find((u) => u.UserName === 'user0002');
    expect(u2?.UserPolicyList).toEqual([
      { PolicyName: 'read-bucket', PolicyDocument: encodeURIComponent(READ_DOC) },
    ]);
    expect(u2?.GroupList).toEqual(['developers']);
    const u3 = users.find((u) => u.UserName === 'user0003');
    expect(u3?.Tags).toHaveLength(2);
    expect(u3?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(`arn:aws:iam::${ACCOUNT_A}:policy/boundary`);
    const u1 = users.find((u) => u.UserName === 'user0001');
    expect(u1?.AttachedManagedPolicies).toEqual([
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
    expect(policies[0]?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    expect(groups[1]?.GroupPolicyList?.[0]?.PolicyName).toBe('dev-inline');
  });

  it('filters roles and AWS managed policies in use, small pages span sections', async () => {
    const pages = await allDetails(['Role', 'AWSManagedPolicy'], 1);
    expect(pages.map((p) => (p.RoleDetailList?.length ?? 0) + (p.Policies?.length ?? 0))).toEqual([
      1, 1, 1, 1,
    ]);
    const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
    expect(roles.map((r) => r.RoleName)).toEqual(['Ec2Role', 'InventoryRole']);
    expect(roles[0]?.RolePolicyList?.[0]?.PolicyName).toBe('inline');
    const policies = pages.flatMap((p) => p.Policies ?? []);
    expect(policies.map((p) => p.PolicyName)).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
  });

  it('rejects unknown filters', async () => {
    const err = await failure(
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Users' as never] })),
    );
    expect(err.name).toBe('ValidationError');
  });
});
