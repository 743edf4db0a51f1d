// IAM role actions: roles, one role in full (boundary, tags, last use), and its attached and inline
// policies.
import { members, raw } from '../../protocols/query.js';
import type { EmuRequestContext, QueryAction, QueryParams } from '../../service.js';
import { roleXml } from './entity-xml.js';
import { accountOf, required, roleNamed } from './lookups.js';
import { byPath, paginate } from './paging.js';
import { inlinePolicyXml, listAttached, listInlineNames } from './principal-policies.js';

function listRoles(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const roles = byPath(account.roles, params.PathPrefix);
  const page = paginate(roles, (r) => r.roleName, 'ListRoles', params, ctx);
  return members('Roles', page.items, (r) => roleXml(r, false)) + page.xml;
}

function getRole(params: QueryParams, ctx: EmuRequestContext): string {
  return raw('Role', roleXml(roleNamed(accountOf(ctx), required(params, 'RoleName')), true));
}

function listAttachedRolePolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const role = roleNamed(account, required(params, 'RoleName'));
  return listAttached(role.attachedPolicyArns, 'ListAttachedRolePolicies', params, ctx, account);
}

function listRolePolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const role = roleNamed(accountOf(ctx), required(params, 'RoleName'));
  return listInlineNames(role.inlinePolicies, 'ListRolePolicies', params, ctx);
}

function getRolePolicy(params: QueryParams, ctx: EmuRequestContext): string {
  const role = roleNamed(accountOf(ctx), required(params, 'RoleName'));
  return inlinePolicyXml('role', role.roleName, role.inlinePolicies, params);
}

export const roleActions: Record<string, QueryAction> = {
  ListRoles: listRoles,
  GetRole: getRole,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  ListRolePolicies: listRolePolicies,
  GetRolePolicy: getRolePolicy,
};
