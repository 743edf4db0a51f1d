// The AWS permissions the configured features need: what `policy` prints and what `check` probes, from one
// table, so that the two can never disagree. Each entry says which configuration makes the collector call the
// action; test/permissions/required-permissions.test.ts checks the table against the SDK commands
// src/collector actually sends.
import { roleArnFor } from '../collector/index.js';
import type { Config } from '../config/config.js';
import { sinkPolicyStatements } from './sink-permissions.js';

export interface PermissionRule {
  /** IAM action ("iam:ListUsers"). */
  action: string;
  /** Whether the configuration makes the collector call it. */
  needed: (config: Config) => boolean;
  /** Why it is needed (shown by `check`). */
  why: string;
}

const always = (_config: Config): boolean => true;

/**
 * Per-user reads are needed by every strategy: auto falls back to them when GAAD is denied, and bulk reads
 * per user (and per role) what GAAD did not see (identities created between GAAD and ListUsers).
 */
const perUser = always;
const bulk = (c: Config): boolean => c.collector.strategy !== 'per-user';
const roles = (c: Config): boolean => c.collector.include_roles;
const adminAnalysis = (c: Config): boolean => c.collector.admin_analysis;
const credentialReport = (c: Config): boolean => c.collector.mfa_source === 'credential_report';
const identityCenter = (c: Config): boolean => c.identity_center.enabled;
const identityCenterAccess = (c: Config): boolean => c.identity_center.enabled && c.identity_center.access;

/** sso-admin reads of Identity Center access: permission sets and account assignments. */
const SSO_ACCESS_ACTIONS: readonly [string, string][] = [
  ['ListPermissionSets', 'permission sets'],
  ['DescribePermissionSet', 'permission set names'],
  ['ListManagedPoliciesInPermissionSet', 'AWS managed policies of permission sets'],
  ['GetInlinePolicyForPermissionSet', 'inline policies of permission sets'],
  ['ListCustomerManagedPolicyReferencesInPermissionSet', 'customer managed policies of permission sets'],
  ['GetPermissionsBoundaryForPermissionSet', 'permissions boundaries of permission sets'],
  ['ListAccountsForProvisionedPermissionSet', 'accounts of each permission set (assignments per account)'],
  ['ListAccountAssignments', 'assignments per account and permission set'],
  ['ListAccountAssignmentsForPrincipal', 'assignments per user and group'],
];
const organization = (c: Config): boolean => c.aws.organization?.enabled === true;
const changes = (c: Config): boolean => c.changes.queue_url !== undefined;

/** The OUs and roots that aws.organization.include and exclude name (the other entries are accounts). */
export function organizationParents(config: Config): string[] {
  const org = config.aws.organization;
  return [...(org?.include ?? []), ...(org?.exclude ?? [])].filter((id) => !/^\d{12}$/.test(id));
}
const parents = (c: Config): boolean => organization(c) && organizationParents(c).length > 0;

/** IAM read actions, needed in every collected account (the caller's own, or each member role). */
export const IAM_PERMISSION_RULES: readonly PermissionRule[] = [
  { action: 'iam:ListAccountAliases', needed: always, why: 'account alias' },
  { action: 'iam:GetAccountSummary', needed: always, why: 'identity totals for progress' },
  { action: 'iam:ListUsers', needed: always, why: 'list users' },
  {
    action: 'iam:GetAccountAuthorizationDetails',
    needed: bulk,
    why: 'bulk strategy (users, groups, policies)',
  },
  { action: 'iam:ListGroupsForUser', needed: perUser, why: 'group memberships' },
  {
    action: 'iam:ListGroups',
    needed: perUser,
    why: 'group memberships group by group (without it: ListGroupsForUser for every user)',
  },
  {
    action: 'iam:GetGroup',
    needed: perUser,
    why: 'group memberships group by group (without it: ListGroupsForUser for every user)',
  },
  { action: 'iam:ListAttachedGroupPolicies', needed: perUser, why: 'group managed policies' },
  { action: 'iam:ListGroupPolicies', needed: perUser, why: 'group inline policies' },
  { action: 'iam:ListAttachedUserPolicies', needed: perUser, why: 'user managed policies' },
  { action: 'iam:ListUserPolicies', needed: perUser, why: 'user inline policies' },
  {
    action: 'iam:ListMFADevices',
    needed: always,
    why: 'MFA devices (also for users missing from the credential report)',
  },
  {
    action: 'iam:GenerateCredentialReport',
    needed: credentialReport,
    why: 'MFA, console access and key last use from the credential report',
  },
  {
    action: 'iam:GetCredentialReport',
    needed: credentialReport,
    why: 'MFA, console access and key last use from the credential report',
  },
  {
    action: 'iam:ListVirtualMFADevices',
    needed: credentialReport,
    why: 'virtual MFA devices account-wide (without it: ListMFADevices for every user with MFA)',
  },
  {
    action: 'iam:GetPolicy',
    needed: (c) => adminAnalysis(c) || identityCenterAccess(c),
    why: 'admin analysis: managed policy versions (and permission sets: customer managed policies)',
  },
  {
    action: 'iam:GetPolicyVersion',
    needed: (c) => adminAnalysis(c) || identityCenterAccess(c),
    why: 'admin analysis: managed policy documents (and permission sets: customer managed policies)',
  },
  {
    action: 'iam:GetUserPolicy',
    needed: (c) => perUser(c) && adminAnalysis(c),
    why: 'admin analysis: user inline policies',
  },
  {
    action: 'iam:GetGroupPolicy',
    needed: (c) => perUser(c) && adminAnalysis(c),
    why: 'admin analysis: group inline policies',
  },
  { action: 'iam:ListAccessKeys', needed: (c) => c.collector.access_keys, why: 'access keys' },
  { action: 'iam:GetAccessKeyLastUsed', needed: (c) => c.collector.access_keys, why: 'access key last use' },
  { action: 'iam:GetLoginProfile', needed: (c) => c.collector.login_profile, why: 'console access' },
  {
    action: 'iam:GetUser',
    // Also for admin analysis: the boundary of a user its policies make Admin is read even with tags off.
    needed: (c) => (perUser(c) && (c.collector.tags || c.collector.admin_analysis)) || changes(c),
    why: 'tags and permissions boundary; the change feed reads each changed user again',
  },
  {
    action: 'iam:ListEntitiesForPolicy',
    needed: changes,
    why: 'change feed: the users, groups and roles of a changed managed policy',
  },
  { action: 'iam:ListRoles', needed: roles, why: 'roles (collector.include_roles)' },
  {
    action: 'iam:ListAttachedRolePolicies',
    needed: (c) => roles(c) && perUser(c),
    why: 'role managed policies',
  },
  { action: 'iam:ListRolePolicies', needed: (c) => roles(c) && perUser(c), why: 'role inline policies' },
  {
    action: 'iam:GetRolePolicy',
    needed: (c) => roles(c) && perUser(c) && adminAnalysis(c),
    why: 'admin analysis: role inline policies',
  },
  {
    action: 'iam:GetRole',
    needed: (c) => roles(c) && perUser(c) && (c.collector.tags || c.collector.admin_analysis),
    why: 'role tags, last use and permissions boundary',
  },
];

/** Actions of the caller's own account: organization discovery and Identity Center. */
export const CALLER_PERMISSION_RULES: readonly PermissionRule[] = [
  { action: 'organizations:ListAccounts', needed: organization, why: 'organization accounts' },
  {
    action: 'organizations:ListAccountsForParent',
    needed: parents,
    why: 'accounts of the OUs in include/exclude',
  },
  {
    action: 'organizations:ListOrganizationalUnitsForParent',
    needed: parents,
    why: 'nested OUs of include/exclude',
  },
  {
    action: 'sso:ListInstances',
    needed: (c) =>
      identityCenter(c) &&
      (c.identity_center.identity_store_id === undefined ||
        (c.identity_center.access && c.identity_center.instance_arn === undefined)),
    why: 'discover the identity store id and instance ARN',
  },
  ...SSO_ACCESS_ACTIONS.map(([action, why]) => ({
    action: `sso:${action}`,
    needed: identityCenterAccess,
    why: `Identity Center access: ${why}`,
  })),
  { action: 'identitystore:ListUsers', needed: identityCenter, why: 'Identity Center users' },
  { action: 'identitystore:ListGroups', needed: identityCenter, why: 'Identity Center groups' },
  {
    action: 'identitystore:ListGroupMemberships',
    needed: identityCenter,
    why: 'Identity Center group members',
  },
  {
    action: 'identitystore:ListGroupMembershipsForMember',
    needed: identityCenter,
    why: 'Identity Center memberships of a user',
  },
];

function sortedUnique(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

/** IAM read actions needed in each collected account. */
export function requiredIamPermissions(config: Config): string[] {
  return sortedUnique(IAM_PERMISSION_RULES.filter((r) => r.needed(config)).map((r) => r.action));
}

/** Every read action the configuration needs (sorted); sts:AssumeRole is separate (see assumeRoleResources). */
export function requiredPermissions(config: Config): string[] {
  return sortedUnique(
    [...IAM_PERMISSION_RULES, ...CALLER_PERMISSION_RULES]
      .filter((r) => r.needed(config))
      .map((r) => r.action),
  );
}

/** The role ARNs the caller assumes (ARN patterns for organizations: every account's role of that name). */
export function assumeRoleResources(config: Config, partition = 'aws'): string[] {
  const out: string[] = [];
  for (const a of config.aws.accounts ?? []) {
    if (a.role_arn !== undefined) out.push(a.role_arn);
    else if (a.role_name !== undefined) out.push(roleArnFor(partition, a.id, a.role_name));
  }
  const org = config.aws.organization;
  if (org?.enabled === true) out.push(roleArnFor(partition, '*', org.role_name));
  return sortedUnique(out);
}

export interface IamPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamPolicyStatement[];
}

/** What the change-feed consumer does on its queue (changes.queue_url). */
export const CHANGE_QUEUE_ACTIONS: readonly string[] = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
];

/** arn:aws:sqs:<region>:<account>:<name> of a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
export function queueArnOf(queueUrl: string, region: string, partition = 'aws'): string {
  const [, account = '*', name = '*'] = /\/([0-9]{12})\/([^/]+)$/.exec(queueUrl) ?? [];
  return `arn:${partition}:sqs:${region}:${account}:${name}`;
}

/** The least-privilege policy for the configuration (only read actions, plus sts:AssumeRole on the roles). */
export function leastPrivilegePolicy(config: Config): IamPolicyDocument {
  const statements: IamPolicyStatement[] = [
    { Sid: 'IamInventoryRead', Effect: 'Allow', Action: requiredPermissions(config), Resource: '*' },
  ];
  const roles = assumeRoleResources(config);
  if (roles.length > 0) {
    statements.push({
      Sid: 'IamInventoryAssumeRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: roles,
    });
  }
  const queueUrl = config.changes.queue_url;
  if (queueUrl !== undefined) {
    statements.push({
      Sid: 'IamInventoryChangeQueue',
      Effect: 'Allow',
      Action: [...CHANGE_QUEUE_ACTIONS],
      Resource: queueArnOf(queueUrl, config.changes.region ?? config.aws.region),
    });
  }
  statements.push(...sinkPolicyStatements(config));
  return { Version: '2012-10-17', Statement: statements };
}
