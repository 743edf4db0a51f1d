import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, ADMIN_DOC, READ_DOC, T0, fixtureWorld } from './fixture-world.js';
import { failure, iamClient } from './sdk-clients.js';

let emu: Emulator;
let iam: IAMClient;

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(25) });
  iam = iamClient(emu.url);
});

afterAll(async () => {
  iam.destroy();
  await emu.stop();
});

describe('IAM users', () => {
  it('ListUsers returns users with path, dates and PasswordLastUsed, no tags', async () => {
    const out = await iam.send(new ListUsersCommand({}));
    expect(out.IsTruncated).toBe(false);
    expect(out.Users).toHaveLength(25);
    const u4 = out.Users?.find((u) => u.UserName === 'user0004');
    expect(u4).toEqual({
      UserName: 'user0004',
      UserId: 'AIDA11110000000000004',
      Arn: `arn:aws:iam::${ACCOUNT_A}:user/user0004`,
      Path: '/',
      CreateDate: new Date(T0 + 4 * 86_400_000),
      PasswordLastUsed: new Date(T0 + 14 * 86_400_000),
    });
  });

  it('ListUsers filters by PathPrefix', async () => {
    const out = await iam.send(new ListUsersCommand({ PathPrefix: '/engineering/' }));
    expect(out.Users?.map((u) => u.UserName)).toEqual([
      'user0000',
      'user0003',
      'user0006',
      'user0009',
      'user0012',
      'user0015',
      'user0018',
      'user0021',
      'user0024',
    ]);
  });

  it('GetUser returns Tags and PermissionsBoundary, and the caller without UserName', async () => {
    const out = await iam.send(new GetUserCommand({ UserName: 'user0003' }));
    expect(out.User?.Tags).toEqual([
      { Key: 'team', Value: 'core & <ops>' },
      { Key: 'cost', Value: '42' },
    ]);
    expect(out.User?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT_A}:policy/boundary`,
    });
    const me = await iam.send(new GetUserCommand({}));
    expect(me.User?.Arn).toBe(`arn:aws:iam::${ACCOUNT_A}:root`);
  });

  it('unknown users answer NoSuchEntity (404)', async () => {
    const err = await failure(iam.send(new GetUserCommand({ UserName: 'ghost' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(err.message).toBe('The user with name ghost cannot be found.');
  });

  it('ListGroupsForUser, ListUserPolicies, GetUserPolicy, ListAttachedUserPolicies', async () => {
    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: 'user0007' }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins', 'developers']);
    const names = await iam.send(new ListUserPoliciesCommand({ UserName: 'user0002' }));
    expect(names.PolicyNames).toEqual(['read-bucket']);
    const doc = await iam.send(new GetUserPolicyCommand({ UserName: 'user0002', PolicyName: 'read-bucket' }));
    expect(doc.PolicyDocument).toBe(encodeURIComponent(READ_DOC));
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument ?? ''))).toEqual(JSON.parse(READ_DOC));
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'user0001' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
    const missing = await failure(
      iam.send(new GetUserPolicyCommand({ UserName: 'user0002', PolicyName: 'nope' })),
    );
    expect(missing.name).toBe('NoSuchEntityException');
  });

  it('ListMFADevices, ListVirtualMFADevices, ListAccessKeys, GetAccessKeyLastUsed, GetLoginProfile, ListUserTags', async () => {
    const mfa = await iam.send(new ListMFADevicesCommand({ UserName: 'user0001' }));
    expect(mfa.MFADevices).toEqual([
      {
        UserName: 'user0001',
        SerialNumber: `arn:aws:iam::${ACCOUNT_A}:mfa/user0001`,
        EnableDate: new Date(T0 + 3 * 86_400_000),
      },
    ]);
    const virtual = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(virtual.VirtualMFADevices?.length).toBe(8);
    expect(virtual.VirtualMFADevices?.[0]?.User?.UserName).toBe('user0001');
    const none = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    expect(none.VirtualMFADevices).toEqual([]);

    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'user0001' }));
    expect(keys.AccessKeyMetadata).toEqual([
      {
        UserName: 'user0001',
        AccessKeyId: 'AKIA1111000000000001',
        Status: 'Active',
        CreateDate: new Date(T0 + 4 * 86_400_000),
      },
    ]);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIA1111000000000001' }));
    expect(used.UserName).toBe('user0001');
    expect(used.AccessKeyLastUsed).toEqual({
      LastUsedDate: new Date(T0 + 6 * 86_400_000),
      ServiceName: 'iam',
      Region: 'us-east-1',
    });
    const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIA1111000000000003' }));
    expect(never.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });

    const profile = await iam.send(new GetLoginProfileCommand({ UserName: 'user0002' }));
    expect(profile.LoginProfile).toEqual({
      UserName: 'user0002',
      CreateDate: new Date(T0 + 3 * 86_400_000),
      PasswordResetRequired: false,
    });
    const noProfile = await failure(iam.send(new GetLoginProfileCommand({ UserName: 'user0001' })));
    expect(noProfile).toMatchObject({ name: 'NoSuchEntityException', status: 404 });

    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'user0003' }));
    expect(tags.Tags).toEqual([
      { Key: 'cost', Value: '42' },
      { Key: 'team', Value: 'core & <ops>' },
    ]);
  });
});

describe('IAM groups, policies and roles', () => {
  it('ListGroups, GetGroup with its members, group policies', async () => {
    const groups = await iam.send(new ListGroupsCommand({}));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins', 'developers']);
    const admins = await iam.send(new GetGroupCommand({ GroupName: 'admins' }));
    expect(admins.Group?.Arn).toBe(`arn:aws:iam::${ACCOUNT_A}:group/admins`);
    expect(admins.Users?.map((u) => u.UserName)).toEqual(['user0007', 'user0014', 'user0021']);
    const attached = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'admins' }));
    expect(attached.AttachedPolicies?.[0]?.PolicyName).toBe('AdministratorAccess');
    const inline = await iam.send(new ListGroupPoliciesCommand({ GroupName: 'developers' }));
    expect(inline.PolicyNames).toEqual(['dev-inline']);
    const doc = await iam.send(
      new GetGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'dev-inline' }),
    );
    expect(decodeURIComponent(doc.PolicyDocument ?? '')).toBe(READ_DOC);
    const missing = await failure(iam.send(new GetGroupCommand({ GroupName: 'nope' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('GetPolicy with attachment counts, GetPolicyVersion URL-encoded, ListPolicies scopes', async () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT_A}:policy/boundary`;
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: boundaryArn }));
    expect(p.Policy).toMatchObject({
      PolicyName: 'boundary',
      DefaultVersionId: 'v2',
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 1,
      Description: 'limits',
      IsAttachable: true,
    });
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: boundaryArn, VersionId: 'v2' }));
    expect(v.PolicyVersion?.Document).toBe(encodeURIComponent(ADMIN_DOC));
    expect(v.PolicyVersion?.IsDefaultVersion).toBe(true);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((x) => x.PolicyName)).toEqual(['boundary']);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    expect(aws.Policies?.map((x) => x.PolicyName)).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    const all = await iam.send(new ListPoliciesCommand({}));
    expect(all.Policies).toHaveLength(4);
    const awsPolicy = await iam.send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    expect(awsPolicy.Policy?.AttachmentCount).toBe(2);
    const missing = await failure(
      iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Nope' })),
    );
    expect(missing.name).toBe('NoSuchEntityException');
  });

  it('ListRoles, GetRole, role policies', async () => {
    const roles = await iam.send(new ListRolesCommand({}));
    expect(roles.Roles?.map((r) => r.RoleName)).toEqual(['Ec2Role', 'InventoryRole']);
    expect(JSON.parse(decodeURIComponent(roles.Roles?.[0]?.AssumeRolePolicyDocument ?? ''))).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }],
    });
    const role = await iam.send(new GetRoleCommand({ RoleName: 'InventoryRole' }));
    expect(role.Role?.MaxSessionDuration).toBe(3600);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'InventoryRole' }));
    expect(attached.AttachedPolicies?.[0]?.PolicyName).toBe('ReadOnlyAccess');
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: 'InventoryRole' }));
    expect(names.PolicyNames).toEqual(['inline']);
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: 'InventoryRole', PolicyName: 'inline' }));
    expect(decodeURIComponent(doc.PolicyDocument ?? '')).toBe(READ_DOC);
  });

  it('ListAccountAliases and GetAccountSummary', async () => {
    const aliases = await iam.send(new ListAccountAliasesCommand({}));
    expect(aliases.AccountAliases).toEqual([`alias-${ACCOUNT_A}`]);
    const summary = await iam.send(new GetAccountSummaryCommand({}));
    expect(summary.SummaryMap?.Users).toBe(25);
    expect(summary.SummaryMap?.Groups).toBe(2);
    expect(summary.SummaryMap?.UsersQuota).toBe(5000);
  });
});
