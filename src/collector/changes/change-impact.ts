// Which identities a write can change: the trigger's targets, to be read again from IAM or the Identity
// Store (a change notification is never a value). Pure: a table from eventName to the targets it names.
import type { ChangeRecord } from './change-record.js';

export type ImpactTarget =
  | { kind: 'user'; accountId: string; userName: string }
  | { kind: 'group_members'; accountId: string; groupName: string }
  | { kind: 'policy_entities'; accountId: string; policyArn: string }
  | { kind: 'role'; accountId: string; roleName: string }
  | { kind: 'identity_center_user'; identityStoreId: string; userId: string }
  | { kind: 'identity_center_group_members'; identityStoreId: string; groupId: string }
  /** An account assignment or permission set changed: Identity Center users are read again (small stores). */
  | { kind: 'identity_center_all'; identityStoreId?: string };

const USER_EVENTS = [
  'CreateUser',
  'DeleteUser',
  'UpdateUser',
  'TagUser',
  'UntagUser',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'AddUserToGroup',
  'RemoveUserFromGroup',
];
const GROUP_EVENTS = [
  'AttachGroupPolicy',
  'DetachGroupPolicy',
  'PutGroupPolicy',
  'DeleteGroupPolicy',
  'UpdateGroup',
  'DeleteGroup',
];
const POLICY_EVENTS = ['CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion'];
const ROLE_EVENTS = [
  'CreateRole',
  'DeleteRole',
  'UpdateRole',
  'TagRole',
  'UntagRole',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'UpdateAssumeRolePolicy',
];
const IDENTITY_STORE_USER_EVENTS = ['CreateUser', 'UpdateUser', 'DeleteUser'];
const IDENTITY_STORE_GROUP_EVENTS = [
  'CreateGroupMembership',
  'DeleteGroupMembership',
  'UpdateGroup',
  'DeleteGroup',
];
const SSO_EVENTS = [
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
  'UpdatePermissionSet',
  'DeletePermissionSet',
  'AttachManagedPolicyToPermissionSet',
  'DetachManagedPolicyFromPermissionSet',
  'PutInlinePolicyToPermissionSet',
  'DeleteInlinePolicyFromPermissionSet',
  'AttachCustomerManagedPolicyReferenceToPermissionSet',
  'DetachCustomerManagedPolicyReferenceFromPermissionSet',
  'PutPermissionsBoundaryToPermissionSet',
  'DeletePermissionsBoundaryFromPermissionSet',
  'ProvisionPermissionSet',
];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function iamTargets(r: ChangeRecord, includeRoles: boolean): ImpactTarget[] {
  const p = r.requestParameters;
  const accountId = r.accountId;
  if (USER_EVENTS.includes(r.eventName)) {
    const names = [str(p.userName), str(p.newUserName)].filter((n): n is string => n !== undefined);
    return names.map((userName) => ({ kind: 'user', accountId, userName }));
  }
  const groupName = str(p.groupName);
  if (GROUP_EVENTS.includes(r.eventName) && groupName !== undefined) {
    // A renamed group's members are found under its new name.
    return [{ kind: 'group_members', accountId, groupName: str(p.newGroupName) ?? groupName }];
  }
  const policyArn = str(p.policyArn);
  if (POLICY_EVENTS.includes(r.eventName) && policyArn !== undefined) {
    return [{ kind: 'policy_entities', accountId, policyArn }];
  }
  const roleName = str(p.roleName);
  if (includeRoles && ROLE_EVENTS.includes(r.eventName) && roleName !== undefined) {
    return [{ kind: 'role', accountId, roleName }];
  }
  return [];
}

function identityStoreTargets(r: ChangeRecord): ImpactTarget[] {
  const p = r.requestParameters;
  const identityStoreId = str(p.identityStoreId);
  if (identityStoreId === undefined) return [];
  const userId =
    str(p.userId) ?? str((r.responseElements.user as Record<string, unknown> | undefined)?.userId);
  if (IDENTITY_STORE_USER_EVENTS.includes(r.eventName) && userId !== undefined) {
    return [{ kind: 'identity_center_user', identityStoreId, userId }];
  }
  const groupId = str(p.groupId);
  if (IDENTITY_STORE_GROUP_EVENTS.includes(r.eventName) && groupId !== undefined) {
    return [{ kind: 'identity_center_group_members', identityStoreId, groupId }];
  }
  return [];
}

/** The identities `record` can change; [] when the write changes no inventoried identity. */
export function changeImpact(record: ChangeRecord, options: { includeRoles: boolean }): ImpactTarget[] {
  switch (record.eventSource) {
    case 'iam.amazonaws.com':
      return iamTargets(record, options.includeRoles);
    case 'identitystore.amazonaws.com':
      return identityStoreTargets(record);
    case 'sso.amazonaws.com':
      return SSO_EVENTS.includes(record.eventName) ? [{ kind: 'identity_center_all' }] : [];
    default:
      return [];
  }
}

/** A stable text of a target, so a burst reads each target once. */
export function impactTargetKey(t: ImpactTarget): string {
  switch (t.kind) {
    case 'user':
      return `user:${t.accountId}:${t.userName}`;
    case 'group_members':
      return `group:${t.accountId}:${t.groupName}`;
    case 'policy_entities':
      return `policy:${t.accountId}:${t.policyArn}`;
    case 'role':
      return `role:${t.accountId}:${t.roleName}`;
    case 'identity_center_user':
      return `ic-user:${t.identityStoreId}:${t.userId}`;
    case 'identity_center_group_members':
      return `ic-group:${t.identityStoreId}:${t.groupId}`;
    case 'identity_center_all':
      return `ic-all:${t.identityStoreId ?? ''}`;
  }
}
