// IAM roles (collector.include_roles): a second phase of an account's source, after its users. ListRoles
// carries the trust policy; attached and inline policies and (with tags) GetRole complete each role.
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type Role,
} from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { IamRole } from '../../identity/identity.js';
import { callAws, failedItem, required } from '../aws/errors.js';
import type { CollectedItem, ListedIdentity } from '../source.js';
import {
  needsBoundaryForAdmin,
  readBoundary,
  readHolderPolicies,
  type HolderPolicies,
} from './holder-policies.js';
import { isNoSuchEntityFrom, toMillis, toTags, type AccountReadContext } from './iam-requests.js';
import { decodeDocumentOf } from './policy-documents.js';
import { withSignal } from '../aws/call-signal.js';

/** Calls about the role itself: NoSuchEntity from them means the role was deleted mid-run. */
const ROLE_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRole',
]);

export function listedRole(r: Role): ListedIdentity {
  return {
    key: required(r.Arn, 'ListRoles: Arn'),
    name: required(r.RoleName, 'ListRoles: RoleName'),
    createDate: required(toMillis(r.CreateDate), 'ListRoles: CreateDate'),
  };
}

export async function enrichRole(
  ctx: AccountReadContext,
  config: CollectorConfig,
  r: Role,
): Promise<CollectedItem> {
  const key = r.Arn ?? '';
  const name = r.RoleName ?? '';
  try {
    return { status: 'ok', identity: await readRole(ctx, config, r) };
  } catch (error) {
    if (isNoSuchEntityFrom(error, ROLE_ACTIONS)) {
      ctx.logger.debug({ accountId: ctx.accountId, role: name }, 'role vanished during collection');
      return { status: 'vanished', key, name };
    }
    return failedItem(key, name, error);
  }
}

/** The role as ListRoles describes it, with its policies; tags, last use and boundary are added after. */
export function roleRecord(ctx: AccountReadContext, r: Role, policies: HolderPolicies): IamRole {
  const role: IamRole = {
    kind: 'iam_role',
    accountId: ctx.accountId,
    roleName: required(r.RoleName, 'ListRoles: RoleName'),
    roleId: required(r.RoleId, 'ListRoles: RoleId'),
    arn: required(r.Arn, 'ListRoles: Arn'),
    path: r.Path ?? '/',
    createDate: required(toMillis(r.CreateDate), 'ListRoles: CreateDate'),
    attachedPolicies: policies.attachedPolicies,
    inlinePolicies: policies.inlinePolicies,
  };
  if (ctx.accountAlias !== undefined) role.accountAlias = ctx.accountAlias;
  if (r.Description !== undefined && r.Description !== '') role.description = r.Description;
  if (r.AssumeRolePolicyDocument !== undefined) {
    role.trustPolicy = decodeDocumentOf('iam:ListRoles', r.AssumeRolePolicyDocument);
  }
  return role;
}

async function readRole(ctx: AccountReadContext, config: CollectorConfig, r: Role): Promise<IamRole> {
  const { iam } = ctx;
  const RoleName = r.RoleName ?? '';
  const policies = await readHolderPolicies(ctx, {
    listAttached: [
      'iam:ListAttachedRolePolicies',
      (Marker) => iam.send(withSignal(new ListAttachedRolePoliciesCommand({ RoleName, Marker }), ctx.signal)),
    ],
    listInline: [
      'iam:ListRolePolicies',
      (Marker) => iam.send(withSignal(new ListRolePoliciesCommand({ RoleName, Marker }), ctx.signal)),
    ],
    getInline: [
      'iam:GetRolePolicy',
      (PolicyName) => iam.send(withSignal(new GetRolePolicyCommand({ RoleName, PolicyName }), ctx.signal)),
    ],
  });
  const role = roleRecord(ctx, r, policies);
  if (config.tags || needsBoundaryForAdmin(config, role)) {
    const got = await callAws('iam:GetRole', () =>
      iam.send(withSignal(new GetRoleCommand({ RoleName }), ctx.signal)),
    );
    if (config.tags) {
      role.tags = toTags(got.Role?.Tags);
      const lastUsed = toMillis(got.Role?.RoleLastUsed?.LastUsedDate);
      if (lastUsed !== undefined) role.lastUsedTime = lastUsed;
    }
    const boundary = await readBoundary(ctx, got.Role?.PermissionsBoundary);
    if (boundary !== undefined) role.permissionsBoundary = boundary;
  }
  return role;
}
