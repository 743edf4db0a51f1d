// IAM user actions: users, the groups a user is in, its attached and inline policies, its console login
// profile and its tags.
import { el, isoTime, members, raw } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryAction, type QueryParams } from '../../service.js';
import { boundaryXml, groupXml, tagsXml, userXml } from './entity-xml.js';
import { accountOf, groupsOfUser, required, userNamed, userOrCaller } from './lookups.js';
import { byPath, paginate, sortByKey } from './paging.js';
import { inlinePolicyXml, listAttached, listInlineNames } from './principal-policies.js';

function listUsers(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const users = byPath(account.users, params.PathPrefix);
  const page = paginate(users, (u) => u.userName, 'ListUsers', params, ctx);
  return members('Users', page.items, userXml) + page.xml;
}

function getUser(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const user = userOrCaller(params, ctx, account);
  if (user === 'root') {
    const arn = `arn:aws:iam::${account.id}:root`;
    return raw('User', el('UserId', account.id) + el('Arn', arn) + el('CreateDate', isoTime(0)));
  }
  return raw(
    'User',
    userXml(user) +
      boundaryXml(user.permissionsBoundaryArn) +
      (user.tags.length > 0 ? tagsXml(user.tags) : ''),
  );
}

function listGroupsForUser(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const user = userNamed(account, required(params, 'UserName'));
  const page = paginate(groupsOfUser(account, user), (g) => g.groupName, 'ListGroupsForUser', params, ctx);
  return members('Groups', page.items, groupXml) + page.xml;
}

function listAttachedUserPolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const user = userNamed(account, required(params, 'UserName'));
  return listAttached(user.attachedPolicyArns, 'ListAttachedUserPolicies', params, ctx, account);
}

function listUserPolicies(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  return listInlineNames(user.inlinePolicies, 'ListUserPolicies', params, ctx);
}

function getUserPolicy(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  return inlinePolicyXml('user', user.userName, user.inlinePolicies, params);
}

function getLoginProfile(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  if (user.loginProfile === undefined) {
    throw new EmuError('NoSuchEntity', `Login Profile for User ${user.userName} cannot be found.`, 404);
  }
  return raw(
    'LoginProfile',
    el('UserName', user.userName) +
      el('CreateDate', isoTime(user.loginProfile.createDate)) +
      el('PasswordResetRequired', user.loginProfile.passwordResetRequired),
  );
}

function listUserTags(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  const page = paginate(
    sortByKey([...user.tags], (t) => t.Key),
    (t) => t.Key,
    'ListUserTags',
    params,
    ctx,
  );
  return members('Tags', page.items, (t) => el('Key', t.Key) + el('Value', t.Value)) + page.xml;
}

export const userActions: Record<string, QueryAction> = {
  ListUsers: listUsers,
  GetUser: getUser,
  ListGroupsForUser: listGroupsForUser,
  ListAttachedUserPolicies: listAttachedUserPolicies,
  ListUserPolicies: listUserPolicies,
  GetUserPolicy: getUserPolicy,
  GetLoginProfile: getLoginProfile,
  ListUserTags: listUserTags,
};
