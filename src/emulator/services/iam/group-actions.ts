// IAM group actions: groups, a group with its members, and the group's attached and inline policies.
import type { EmuUser } from '../../model.js';
import { members, raw } from '../../protocols/query.js';
import type { EmuRequestContext, QueryAction, QueryParams } from '../../service.js';
import { groupXml, userXml } from './entity-xml.js';
import { accountOf, groupNamed, required } from './lookups.js';
import { byPath, paginate, sortByKey } from './paging.js';
import { inlinePolicyXml, listAttached, listInlineNames } from './principal-policies.js';

function listGroups(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const groups = byPath(account.groups, params.PathPrefix);
  const page = paginate(groups, (g) => g.groupName, 'ListGroups', params, ctx);
  return members('Groups', page.items, groupXml) + page.xml;
}

function getGroup(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const group = groupNamed(account, required(params, 'GroupName'));
  const users: EmuUser[] = [];
  for (const u of account.users.values()) if (u.groups.includes(group.groupName)) users.push(u);
  const page = paginate(
    sortByKey(users, (u) => u.userName),
    (u) => u.userName,
    'GetGroup',
    params,
    ctx,
  );
  return raw('Group', groupXml(group)) + members('Users', page.items, userXml) + page.xml;
}

function listAttachedGroupPolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const group = groupNamed(account, required(params, 'GroupName'));
  return listAttached(group.attachedPolicyArns, 'ListAttachedGroupPolicies', params, ctx, account);
}

function listGroupPolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const group = groupNamed(accountOf(ctx), required(params, 'GroupName'));
  return listInlineNames(group.inlinePolicies, 'ListGroupPolicies', params, ctx);
}

function getGroupPolicy(params: QueryParams, ctx: EmuRequestContext): string {
  const group = groupNamed(accountOf(ctx), required(params, 'GroupName'));
  return inlinePolicyXml('group', group.groupName, group.inlinePolicies, params);
}

export const groupActions: Record<string, QueryAction> = {
  ListGroups: listGroups,
  GetGroup: getGroup,
  ListAttachedGroupPolicies: listAttachedGroupPolicies,
  ListGroupPolicies: listGroupPolicies,
  GetGroupPolicy: getGroupPolicy,
};
