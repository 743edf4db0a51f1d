// IAM managed policy actions: one policy with its usage counts, one version's document, and the policy
// listing with its scope, path and attachment filters.
import type { EmuPolicy } from '../../model.js';
import { el, members, raw } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryAction, type QueryParams } from '../../service.js';
import { policyVersionXml, policyXml } from './entity-xml.js';
import { accountOf, enumParam, policyNamed, policyUsage, required } from './lookups.js';
import { paginate, sortByKey } from './paging.js';

function getPolicy(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const policy = policyNamed(ctx, account, required(params, 'PolicyArn'));
  return raw('Policy', policyXml(policy, policyUsage(account).get(policy.arn), true));
}

function getPolicyVersion(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const policy = policyNamed(ctx, account, required(params, 'PolicyArn'));
  const versionId = required(params, 'VersionId');
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (version === undefined) {
    throw new EmuError(
      'NoSuchEntity',
      `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
      404,
    );
  }
  return raw('PolicyVersion', policyVersionXml(version));
}

function listPolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const scope = enumParam(params, 'Scope', ['All', 'AWS', 'Local'], 'All');
  const onlyAttached = params.OnlyAttached === 'true';
  const prefix = params.PathPrefix ?? '/';
  const usageFilter = params.PolicyUsageFilter;
  const usage = policyUsage(account);
  const candidates: EmuPolicy[] = [];
  if (scope !== 'Local') candidates.push(...ctx.world.awsManagedPolicies.values());
  if (scope !== 'AWS') candidates.push(...account.policies.values());
  const policies = candidates.filter((p) => {
    if (!p.path.startsWith(prefix)) return false;
    const u = usage.get(p.arn);
    if (onlyAttached && (u === undefined || u.attachments + u.boundaries === 0)) return false;
    if (usageFilter === 'PermissionsPolicy' && onlyAttached && (u?.attachments ?? 0) === 0) return false;
    if (usageFilter === 'PermissionsBoundary' && onlyAttached && (u?.boundaries ?? 0) === 0) return false;
    return true;
  });
  const key = (p: EmuPolicy): string => `${p.name}\u0000${p.arn}`;
  const page = paginate(sortByKey(policies, key), key, 'ListPolicies', params, ctx);
  return members('Policies', page.items, (p) => policyXml(p, usage.get(p.arn), false)) + page.xml;
}

/** Every user, group and role the policy is attached to (one page: the emulator's accounts are small). */
function listEntitiesForPolicy(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const arn = policyNamed(ctx, account, required(params, 'PolicyArn')).arn;
  const holding = <T extends { attachedPolicyArns: string[] }>(xs: Iterable<T>): T[] =>
    [...xs].filter((x) => x.attachedPolicyArns.includes(arn));
  const users = holding(account.users.values());
  const groups = holding(account.groups.values());
  const roles = holding(account.roles.values());
  return (
    members('PolicyUsers', users, (u) => el('UserName', u.userName) + el('UserId', u.userId)) +
    members('PolicyGroups', groups, (g) => el('GroupName', g.groupName) + el('GroupId', g.groupId)) +
    members('PolicyRoles', roles, (r) => el('RoleName', r.roleName) + el('RoleId', r.roleId)) +
    el('IsTruncated', false)
  );
}

export const policyActions: Record<string, QueryAction> = {
  ListEntitiesForPolicy: listEntitiesForPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  ListPolicies: listPolicies,
};
