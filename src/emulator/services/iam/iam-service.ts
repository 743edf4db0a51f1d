// IAM over the AWS Query protocol: the read actions an inventory needs, with AWS's pagination (MaxItems,
// Marker, IsTruncated), error codes and document encoding.
import { generateCredentialReport, getCredentialReport } from '../../credential-report.js';
import type { EmuAccount, EmuGroup, EmuPolicy, EmuRole, EmuTag, EmuUser } from '../../model.js';
import { el, isoTime, memberList, members, raw, xmlEscape } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryServiceModule } from '../../service.js';

type Params = Record<string, string>;

// ---------------------------------------------------------------------------------------------- pagination

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKey<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => compareKeys(key(a), key(b)));
}

/**
 * The map's keys in ascending order, cached per map. Mutations change the maps directly, so the cache is
 * checked on every use: same size and every cached key still present means the same key set (O(n) lookups,
 * far cheaper than re-sorting 5,000 names per page).
 */
const sortedKeyCache = new WeakMap<Map<string, unknown>, string[]>();

function sortedKeysOf(map: Map<string, unknown>): string[] {
  const cached = sortedKeyCache.get(map);
  if (cached !== undefined && cached.length === map.size && cached.every((k) => map.has(k))) return cached;
  const keys = [...map.keys()].sort();
  sortedKeyCache.set(map, keys);
  return keys;
}

/** Index of the first key greater than `lastKey`. */
function upperBound<T>(sorted: T[], key: (item: T) => string, lastKey: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(key(sorted[mid] as T), lastKey) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function encodeMarker(action: string, lastKey: string): string {
  return Buffer.from(`${action}\n${lastKey}`, 'utf8').toString('base64');
}

function decodeMarker(action: string, marker: string): string {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const nl = text.indexOf('\n');
  if (nl < 0 || text.slice(0, nl) !== action) throw new EmuError('ValidationError', 'Invalid Marker.', 400);
  return text.slice(nl + 1);
}

function readMaxItems(params: Params, defaultValue = 100): number {
  const rawValue = params.MaxItems;
  if (rawValue === undefined) return defaultValue;
  const n = Number(rawValue);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    const bound =
      Number.isInteger(n) && n > 1000 ? 'less than or equal to 1000' : 'greater than or equal to 1';
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${rawValue}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`,
      400,
    );
  }
  return n;
}

function pageSize(maxItems: number, ctx: EmuRequestContext): number {
  return ctx.shortPage === true ? Math.max(1, Math.floor(maxItems / 2)) : maxItems;
}

/** Entities of `map` whose path starts with `prefix`, in key order. */
function byPath<T extends { path: string }>(map: Map<string, T>, prefix: string | undefined): T[] {
  const out: T[] = [];
  for (const k of sortedKeysOf(map)) {
    const item = map.get(k);
    if (item !== undefined && (prefix === undefined || item.path.startsWith(prefix))) out.push(item);
  }
  return out;
}

interface Page<T> {
  items: T[];
  /** `<IsTruncated>` and, when truncated, `<Marker>`. */
  xml: string;
}

/**
 * One page of `sorted` (ascending by key). The marker names the last key returned, so a page boundary stays
 * put when entries are added or removed between calls. A short_page fault halves the page but keeps
 * IsTruncated true while more remain.
 */
function paginate<T>(
  sorted: T[],
  key: (item: T) => string,
  action: string,
  params: Params,
  ctx: EmuRequestContext,
): Page<T> {
  const maxItems = readMaxItems(params);
  let start = 0;
  if (params.Marker !== undefined && params.Marker !== '') {
    start = upperBound(sorted, key, decodeMarker(action, params.Marker));
  }
  const size = pageSize(maxItems, ctx);
  const items = sorted.slice(start, start + size);
  const truncated = start + items.length < sorted.length;
  const last = items[items.length - 1];
  const xml =
    truncated && last !== undefined
      ? `<IsTruncated>true</IsTruncated>${el('Marker', encodeMarker(action, key(last)))}`
      : '<IsTruncated>false</IsTruncated>';
  return { items, xml };
}

// ------------------------------------------------------------------------------------------------- lookups

function accountOf(ctx: EmuRequestContext): EmuAccount {
  const account = ctx.world.accounts.get(ctx.accountId);
  if (account !== undefined) return account;
  // An account known to Organizations but without seeded IAM data is simply empty.
  return {
    id: ctx.accountId,
    users: new Map(),
    groups: new Map(),
    policies: new Map(),
    roles: new Map(),
    credentialReportDelayMs: 0,
  };
}

function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    const field = name.charAt(0).toLowerCase() + name.slice(1);
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  return value;
}

function noSuchUser(userName: string): EmuError {
  return new EmuError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404);
}

function userNamed(account: EmuAccount, userName: string): EmuUser {
  const user = account.users.get(userName);
  if (user === undefined) throw noSuchUser(userName);
  return user;
}

/** The UserName parameter, or the calling IAM user when absent (as AWS does for GetUser, ListAccessKeys...). */
function userOrCaller(params: Params, ctx: EmuRequestContext, account: EmuAccount): EmuUser | 'root' {
  if (params.UserName !== undefined && params.UserName !== '') return userNamed(account, params.UserName);
  const arn = ctx.credential.arn;
  if (/^arn:aws:iam::\d{12}:root$/.test(arn)) return 'root';
  const m = /^arn:aws:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (m?.[1] === undefined) {
    throw new EmuError(
      'ValidationError',
      'Must specify userName when calling with non-User credentials',
      400,
    );
  }
  return userNamed(account, m[1]);
}

function groupNamed(account: EmuAccount, groupName: string): EmuGroup {
  const group = account.groups.get(groupName);
  if (group === undefined)
    throw new EmuError('NoSuchEntity', `The group with name ${groupName} cannot be found.`, 404);
  return group;
}

function roleNamed(account: EmuAccount, roleName: string): EmuRole {
  const role = account.roles.get(roleName);
  if (role === undefined)
    throw new EmuError('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
  return role;
}

function policyByArn(ctx: EmuRequestContext, account: EmuAccount, arn: string): EmuPolicy | undefined {
  return ctx.world.awsManagedPolicies.get(arn) ?? account.policies.get(arn);
}

function policyNamed(ctx: EmuRequestContext, account: EmuAccount, arn: string): EmuPolicy {
  const policy = policyByArn(ctx, account, arn);
  if (policy === undefined)
    throw new EmuError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
  return policy;
}

function inlinePolicy(doc: string | undefined, owner: string, policyName: string): string {
  if (doc === undefined) {
    throw new EmuError('NoSuchEntity', `The ${owner} policy with name ${policyName} cannot be found.`, 404);
  }
  return doc;
}

interface PolicyUsage {
  attachments: number;
  boundaries: number;
}

function policyUsage(account: EmuAccount): Map<string, PolicyUsage> {
  const usage = new Map<string, PolicyUsage>();
  const get = (arn: string): PolicyUsage => {
    let u = usage.get(arn);
    if (u === undefined) {
      u = { attachments: 0, boundaries: 0 };
      usage.set(arn, u);
    }
    return u;
  };
  for (const entity of [...account.users.values(), ...account.groups.values(), ...account.roles.values()]) {
    for (const arn of entity.attachedPolicyArns) get(arn).attachments += 1;
    if ('permissionsBoundaryArn' in entity && entity.permissionsBoundaryArn !== undefined) {
      get(entity.permissionsBoundaryArn).boundaries += 1;
    }
  }
  return usage;
}

function groupsOfUser(account: EmuAccount, user: EmuUser): EmuGroup[] {
  const groups: EmuGroup[] = [];
  for (const name of user.groups) {
    const g = account.groups.get(name);
    if (g !== undefined) groups.push(g);
  }
  return sortByKey(groups, (g) => g.groupName);
}

function attachedPolicies(
  ctx: EmuRequestContext,
  account: EmuAccount,
  arns: string[],
  pathPrefix?: string,
): EmuPolicy[] {
  const out: EmuPolicy[] = [];
  for (const arn of arns) {
    const p = policyByArn(ctx, account, arn);
    if (p !== undefined && (pathPrefix === undefined || p.path.startsWith(pathPrefix))) out.push(p);
  }
  return sortByKey(out, (p) => p.arn);
}

// ---------------------------------------------------------------------------------------------- rendering

/** Policy documents travel URL-encoded, as AWS returns them. */
function encodedDocument(json: string): string {
  return encodeURIComponent(json);
}

function tagsXml(tags: EmuTag[]): string {
  return members('Tags', tags, (t) => el('Key', t.Key) + el('Value', t.Value));
}

function boundaryXml(arn: string | undefined): string {
  if (arn === undefined) return '';
  return raw(
    'PermissionsBoundary',
    el('PermissionsBoundaryType', 'Policy') + el('PermissionsBoundaryArn', arn),
  );
}

function userXml(u: EmuUser): string {
  return (
    el('Path', u.path) +
    el('UserName', u.userName) +
    el('UserId', u.userId) +
    el('Arn', u.arn) +
    el('CreateDate', isoTime(u.createDate)) +
    (u.passwordLastUsed !== undefined ? el('PasswordLastUsed', isoTime(u.passwordLastUsed)) : '')
  );
}

function groupXml(g: EmuGroup): string {
  return (
    el('Path', g.path) +
    el('GroupName', g.groupName) +
    el('GroupId', g.groupId) +
    el('Arn', g.arn) +
    el('CreateDate', isoTime(g.createDate))
  );
}

function roleXml(r: EmuRole, full: boolean): string {
  let xml =
    el('Path', r.path) +
    el('RoleName', r.roleName) +
    el('RoleId', r.roleId) +
    el('Arn', r.arn) +
    el('CreateDate', isoTime(r.createDate)) +
    el('AssumeRolePolicyDocument', encodedDocument(r.assumeRolePolicyDocument)) +
    el('Description', r.description) +
    el('MaxSessionDuration', r.maxSessionDuration);
  if (full) {
    xml += boundaryXml(r.permissionsBoundaryArn);
    if (r.tags.length > 0) xml += tagsXml(r.tags);
    xml += raw(
      'RoleLastUsed',
      r.lastUsed ? el('LastUsedDate', isoTime(r.lastUsed.date)) + el('Region', r.lastUsed.region) : '',
    );
  }
  return xml;
}

function attachedPolicyXml(p: EmuPolicy): string {
  return el('PolicyName', p.name) + el('PolicyArn', p.arn);
}

function policyXml(p: EmuPolicy, usage: PolicyUsage | undefined, withDescription: boolean): string {
  return (
    el('PolicyName', p.name) +
    el('PolicyId', p.policyId) +
    el('Arn', p.arn) +
    el('Path', p.path) +
    el('DefaultVersionId', p.defaultVersionId) +
    el('AttachmentCount', usage?.attachments ?? 0) +
    el('PermissionsBoundaryUsageCount', usage?.boundaries ?? 0) +
    el('IsAttachable', true) +
    (withDescription ? el('Description', p.description) : '') +
    el('CreateDate', isoTime(p.createDate)) +
    el('UpdateDate', isoTime(p.updateDate))
  );
}

function policyVersionXml(v: EmuPolicy['versions'][number]): string {
  return (
    el('Document', encodedDocument(v.document)) +
    el('VersionId', v.versionId) +
    el('IsDefaultVersion', v.isDefault) +
    el('CreateDate', isoTime(v.createDate))
  );
}

function inlineListXml(listName: string, policies: Record<string, string>): string {
  const names = Object.keys(policies).sort(compareKeys);
  return members(
    listName,
    names,
    (n) => el('PolicyName', n) + el('PolicyDocument', encodedDocument(policies[n] ?? '')),
  );
}

// ------------------------------------------------------------------------------------------------ actions

function listUsers(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const users = byPath(account.users, params.PathPrefix);
  const page = paginate(users, (u) => u.userName, 'ListUsers', params, ctx);
  return members('Users', page.items, userXml) + page.xml;
}

function getUser(params: Params, ctx: EmuRequestContext): string {
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

function listGroupsForUser(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const user = userNamed(account, required(params, 'UserName'));
  const page = paginate(groupsOfUser(account, user), (g) => g.groupName, 'ListGroupsForUser', params, ctx);
  return members('Groups', page.items, groupXml) + page.xml;
}

function listGroups(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const groups = byPath(account.groups, params.PathPrefix);
  const page = paginate(groups, (g) => g.groupName, 'ListGroups', params, ctx);
  return members('Groups', page.items, groupXml) + page.xml;
}

function getGroup(params: Params, ctx: EmuRequestContext): string {
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

function listAttached(
  arns: string[],
  action: string,
  params: Params,
  ctx: EmuRequestContext,
  account: EmuAccount,
): string {
  const policies = attachedPolicies(ctx, account, arns, params.PathPrefix);
  const page = paginate(policies, (p) => p.arn, action, params, ctx);
  return members('AttachedPolicies', page.items, attachedPolicyXml) + page.xml;
}

function listInlineNames(
  policies: Record<string, string>,
  action: string,
  params: Params,
  ctx: EmuRequestContext,
): string {
  const names = Object.keys(policies).sort(compareKeys);
  const page = paginate(names, (n) => n, action, params, ctx);
  return members('PolicyNames', page.items, xmlEscape) + page.xml;
}

function listAttachedGroupPolicies(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const group = groupNamed(account, required(params, 'GroupName'));
  return listAttached(group.attachedPolicyArns, 'ListAttachedGroupPolicies', params, ctx, account);
}

function listGroupPolicies(params: Params, ctx: EmuRequestContext): string {
  const group = groupNamed(accountOf(ctx), required(params, 'GroupName'));
  return listInlineNames(group.inlinePolicies, 'ListGroupPolicies', params, ctx);
}

function getGroupPolicy(params: Params, ctx: EmuRequestContext): string {
  const group = groupNamed(accountOf(ctx), required(params, 'GroupName'));
  const policyName = required(params, 'PolicyName');
  const doc = inlinePolicy(group.inlinePolicies[policyName], 'group', policyName);
  return (
    el('GroupName', group.groupName) +
    el('PolicyName', policyName) +
    el('PolicyDocument', encodedDocument(doc))
  );
}

function listAttachedUserPolicies(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const user = userNamed(account, required(params, 'UserName'));
  return listAttached(user.attachedPolicyArns, 'ListAttachedUserPolicies', params, ctx, account);
}

function listUserPolicies(params: Params, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  return listInlineNames(user.inlinePolicies, 'ListUserPolicies', params, ctx);
}

function getUserPolicy(params: Params, ctx: EmuRequestContext): string {
  const user = userNamed(accountOf(ctx), required(params, 'UserName'));
  const policyName = required(params, 'PolicyName');
  const doc = inlinePolicy(user.inlinePolicies[policyName], 'user', policyName);
  return (
    el('UserName', user.userName) + el('PolicyName', policyName) + el('PolicyDocument', encodedDocument(doc))
  );
}

function getPolicy(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const policy = policyNamed(ctx, account, required(params, 'PolicyArn'));
  return raw('Policy', policyXml(policy, policyUsage(account).get(policy.arn), true));
}

function getPolicyVersion(params: Params, ctx: EmuRequestContext): string {
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

function listPolicies(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const scope = params.Scope ?? 'All';
  if (!['All', 'AWS', 'Local'].includes(scope)) {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
      400,
    );
  }
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

function listMfaDevices(params: Params, ctx: EmuRequestContext): string {
  const user = userOrCaller(params, ctx, accountOf(ctx));
  const devices = user === 'root' ? [] : sortByKey([...user.mfaDevices], (d) => d.serial);
  const page = paginate(devices, (d) => d.serial, 'ListMFADevices', params, ctx);
  const userName = user === 'root' ? undefined : user.userName;
  return (
    members(
      'MFADevices',
      page.items,
      (d) =>
        el('UserName', userName) + el('SerialNumber', d.serial) + el('EnableDate', isoTime(d.enableDate)),
    ) + page.xml
  );
}

function listVirtualMfaDevices(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const status = params.AssignmentStatus ?? 'Any';
  if (!['Assigned', 'Unassigned', 'Any'].includes(status)) {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${status}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Unassigned, Any, Assigned]`,
      400,
    );
  }
  // Every modelled virtual device is assigned to its user; unassigned devices do not exist in the world.
  const devices: { user: EmuUser; serial: string; enableDate: number }[] = [];
  if (status !== 'Unassigned') {
    for (const user of account.users.values()) {
      for (const d of user.mfaDevices)
        if (d.kind === 'virtual') devices.push({ user, serial: d.serial, enableDate: d.enableDate });
    }
  }
  const page = paginate(
    sortByKey(devices, (d) => d.serial),
    (d) => d.serial,
    'ListVirtualMFADevices',
    params,
    ctx,
  );
  return (
    members(
      'VirtualMFADevices',
      page.items,
      (d) =>
        el('SerialNumber', d.serial) + raw('User', userXml(d.user)) + el('EnableDate', isoTime(d.enableDate)),
    ) + page.xml
  );
}

function listAccessKeys(params: Params, ctx: EmuRequestContext): string {
  const user = userOrCaller(params, ctx, accountOf(ctx));
  const keys = user === 'root' ? [] : sortByKey([...user.accessKeys], (k) => k.accessKeyId);
  const page = paginate(keys, (k) => k.accessKeyId, 'ListAccessKeys', params, ctx);
  const userName = user === 'root' ? undefined : user.userName;
  return (
    members(
      'AccessKeyMetadata',
      page.items,
      (k) =>
        el('UserName', userName) +
        el('AccessKeyId', k.accessKeyId) +
        el('Status', k.status) +
        el('CreateDate', isoTime(k.createDate)),
    ) + page.xml
  );
}

function getAccessKeyLastUsed(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const keyId = required(params, 'AccessKeyId');
  for (const user of account.users.values()) {
    const key = user.accessKeys.find((k) => k.accessKeyId === keyId);
    if (key === undefined) continue;
    const lastUsed = key.lastUsed
      ? el('LastUsedDate', isoTime(key.lastUsed.date)) +
        el('ServiceName', key.lastUsed.serviceName) +
        el('Region', key.lastUsed.region)
      : el('ServiceName', 'N/A') + el('Region', 'N/A');
    return el('UserName', user.userName) + raw('AccessKeyLastUsed', lastUsed);
  }
  throw new EmuError(
    'AccessDenied',
    `The access key ${keyId} does not belong to this account or does not exist.`,
    403,
  );
}

function getLoginProfile(params: Params, ctx: EmuRequestContext): string {
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

function listUserTags(params: Params, ctx: EmuRequestContext): string {
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

function listRoles(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const roles = byPath(account.roles, params.PathPrefix);
  const page = paginate(roles, (r) => r.roleName, 'ListRoles', params, ctx);
  return members('Roles', page.items, (r) => roleXml(r, false)) + page.xml;
}

function getRole(params: Params, ctx: EmuRequestContext): string {
  return raw('Role', roleXml(roleNamed(accountOf(ctx), required(params, 'RoleName')), true));
}

function listAttachedRolePolicies(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const role = roleNamed(account, required(params, 'RoleName'));
  return listAttached(role.attachedPolicyArns, 'ListAttachedRolePolicies', params, ctx, account);
}

function listRolePolicies(params: Params, ctx: EmuRequestContext): string {
  const role = roleNamed(accountOf(ctx), required(params, 'RoleName'));
  return listInlineNames(role.inlinePolicies, 'ListRolePolicies', params, ctx);
}

function getRolePolicy(params: Params, ctx: EmuRequestContext): string {
  const role = roleNamed(accountOf(ctx), required(params, 'RoleName'));
  const policyName = required(params, 'PolicyName');
  const doc = inlinePolicy(role.inlinePolicies[policyName], 'role', policyName);
  return (
    el('RoleName', role.roleName) + el('PolicyName', policyName) + el('PolicyDocument', encodedDocument(doc))
  );
}

const GAAD_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type GaadFilter = (typeof GAAD_FILTERS)[number];

/** GAAD sections in AWS's order: users, groups, roles, then policies; one page spans their concatenation. */
type GaadEntry =
  | { kind: 'user'; item: EmuUser }
  | { kind: 'group'; item: EmuGroup }
  | { kind: 'role'; item: EmuRole }
  | { kind: 'policy'; item: EmuPolicy };

interface GaadSection {
  /** Sorted keys. */
  keys: string[];
  entry(key: string): GaadEntry | undefined;
}

function mapSection<T>(map: Map<string, T>, wrap: (item: T) => GaadEntry): GaadSection {
  return {
    keys: sortedKeysOf(map),
    entry: (k) => {
      const item = map.get(k);
      return item === undefined ? undefined : wrap(item);
    },
  };
}

const EMPTY_SECTION: GaadSection = { keys: [], entry: () => undefined };

/** One page across the sections; the marker names the section and the last key returned in it. */
function paginateSections(sections: GaadSection[], params: Params, ctx: EmuRequestContext): Page<GaadEntry> {
  const action = 'GetAccountAuthorizationDetails';
  const size = pageSize(readMaxItems(params), ctx);
  let section = 0;
  let index = 0;
  if (params.Marker !== undefined && params.Marker !== '') {
    const decoded = decodeMarker(action, params.Marker);
    const sep = decoded.indexOf('\u0000');
    section = Number(decoded.slice(0, sep));
    if (sep < 0 || !Number.isInteger(section) || section < 0 || section >= sections.length) {
      throw new EmuError('ValidationError', 'Invalid Marker.', 400);
    }
    index = upperBound(sections[section]?.keys ?? [], (k) => k, decoded.slice(sep + 1));
  }
  const items: GaadEntry[] = [];
  let last: { section: number; key: string } | undefined;
  for (; section < sections.length; section++, index = 0) {
    const s = sections[section] ?? EMPTY_SECTION;
    for (; index < s.keys.length && items.length < size; index++) {
      const key = s.keys[index] as string;
      const entry = s.entry(key);
      if (entry === undefined) continue;
      items.push(entry);
      last = { section, key };
    }
    if (items.length >= size) break;
  }
  let more = false;
  for (let sec = section, i = index; sec < sections.length && !more; sec++, i = 0) {
    more = i < (sections[sec]?.keys.length ?? 0);
  }
  const xml =
    more && last !== undefined
      ? `<IsTruncated>true</IsTruncated>${el('Marker', encodeMarker(action, `${last.section}\u0000${last.key}`))}`
      : '<IsTruncated>false</IsTruncated>';
  return { items, xml };
}

function getAccountAuthorizationDetails(params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const requested = memberList(params, 'Filter');
  for (const f of requested) {
    if (!GAAD_FILTERS.includes(f as GaadFilter)) {
      throw new EmuError(
        'ValidationError',
        `1 validation error detected: Value '[${requested.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GAAD_FILTERS.join(', ')}]]`,
        400,
      );
    }
  }
  const filters = new Set<GaadFilter>(requested.length > 0 ? (requested as GaadFilter[]) : GAAD_FILTERS);
  const usage = policyUsage(account);
  const policies = new Map<string, EmuPolicy>();
  if (filters.has('LocalManagedPolicy')) {
    for (const p of account.policies.values()) policies.set(`${p.name}\u0000${p.arn}`, p);
  }
  if (filters.has('AWSManagedPolicy')) {
    // AWS lists the managed policies the account uses, not the whole catalogue.
    for (const p of ctx.world.awsManagedPolicies.values()) {
      const u = usage.get(p.arn);
      if (u !== undefined && u.attachments + u.boundaries > 0) policies.set(`${p.name}\u0000${p.arn}`, p);
    }
  }
  const sections: GaadSection[] = [
    filters.has('User') ? mapSection(account.users, (item) => ({ kind: 'user', item })) : EMPTY_SECTION,
    filters.has('Group') ? mapSection(account.groups, (item) => ({ kind: 'group', item })) : EMPTY_SECTION,
    filters.has('Role') ? mapSection(account.roles, (item) => ({ kind: 'role', item })) : EMPTY_SECTION,
    mapSection(policies, (item) => ({ kind: 'policy', item })),
  ];
  const page = paginateSections(sections, params, ctx);
  let usersXml = '';
  let groupsXml = '';
  let rolesXml = '';
  let policiesXml = '';
  for (const e of page.items) {
    switch (e.kind) {
      case 'user': {
        const u = e.item;
        usersXml += raw(
          'member',
          userXml(u) +
            inlineListXml('UserPolicyList', u.inlinePolicies) +
            members('GroupList', [...u.groups].sort(compareKeys), xmlEscape) +
            members(
              'AttachedManagedPolicies',
              attachedPolicies(ctx, account, u.attachedPolicyArns),
              attachedPolicyXml,
            ) +
            boundaryXml(u.permissionsBoundaryArn) +
            tagsXml(u.tags),
        );
        break;
      }
      case 'group': {
        const g = e.item;
        groupsXml += raw(
          'member',
          groupXml(g) +
            inlineListXml('GroupPolicyList', g.inlinePolicies) +
            members(
              'AttachedManagedPolicies',
              attachedPolicies(ctx, account, g.attachedPolicyArns),
              attachedPolicyXml,
            ),
        );
        break;
      }
      case 'role': {
        const r = e.item;
        rolesXml += raw(
          'member',
          roleXml(r, false) +
            '<InstanceProfileList/>' +
            inlineListXml('RolePolicyList', r.inlinePolicies) +
            members(
              'AttachedManagedPolicies',
              attachedPolicies(ctx, account, r.attachedPolicyArns),
              attachedPolicyXml,
            ) +
            boundaryXml(r.permissionsBoundaryArn) +
            tagsXml(r.tags) +
            raw(
              'RoleLastUsed',
              r.lastUsed
                ? el('LastUsedDate', isoTime(r.lastUsed.date)) + el('Region', r.lastUsed.region)
                : '',
            ),
        );
        break;
      }
      case 'policy': {
        const p = e.item;
        policiesXml += raw(
          'member',
          policyXml(p, usage.get(p.arn), true) + members('PolicyVersionList', p.versions, policyVersionXml),
        );
        break;
      }
    }
  }
  return (
    raw('UserDetailList', usersXml) +
    raw('GroupDetailList', groupsXml) +
    raw('RoleDetailList', rolesXml) +
    raw('Policies', policiesXml) +
    page.xml
  );
}

function generateCredentialReportAction(_params: Params, ctx: EmuRequestContext): string {
  const result = generateCredentialReport(accountOf(ctx), ctx.now);
  return el('State', result.state) + el('Description', result.description);
}

function getCredentialReportAction(_params: Params, ctx: EmuRequestContext): string {
  const report = getCredentialReport(accountOf(ctx), ctx.now);
  return (
    el('Content', Buffer.from(report.csv, 'utf8').toString('base64')) +
    el('ReportFormat', 'text/csv') +
    el('GeneratedTime', isoTime(report.generatedTime))
  );
}

function listAccountAliases(params: Params, ctx: EmuRequestContext): string {
  const alias = accountOf(ctx).alias;
  const page = paginate(alias === undefined ? [] : [alias], (a) => a, 'ListAccountAliases', params, ctx);
  return members('AccountAliases', page.items, xmlEscape) + page.xml;
}

function getAccountSummary(_params: Params, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  let mfaInUse = 0;
  for (const u of account.users.values()) mfaInUse += u.mfaDevices.length;
  let versions = 0;
  for (const p of account.policies.values()) versions += p.versions.length;
  const summary: [string, number][] = [
    ['Users', account.users.size],
    ['UsersQuota', 5000],
    ['Groups', account.groups.size],
    ['GroupsQuota', 300],
    ['Roles', account.roles.size],
    ['RolesQuota', 1000],
    ['Policies', account.policies.size],
    ['PoliciesQuota', 1500],
    ['MFADevices', mfaInUse],
    ['MFADevicesInUse', mfaInUse],
    ['AccountMFAEnabled', 0],
    ['AccountAccessKeysPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AccessKeysPerUserQuota', 2],
    ['GroupsPerUserQuota', 10],
    ['AttachedPoliciesPerUserQuota', 10],
    ['AttachedPoliciesPerGroupQuota', 10],
    ['AttachedPoliciesPerRoleQuota', 10],
    ['PolicySizeQuota', 6144],
    ['PolicyVersionsInUse', versions],
    ['PolicyVersionsInUseQuota', 10000],
    ['VersionsPerPolicyQuota', 5],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', 20],
    ['InstanceProfiles', 0],
    ['InstanceProfilesQuota', 1000],
    ['Providers', 0],
    ['UserPolicySizeQuota', 2048],
    ['GroupPolicySizeQuota', 5120],
    ['RolePolicySizeQuota', 10240],
    ['AssumeRolePolicySizeQuota', 2048],
    ['GlobalEndpointTokenVersion', 1],
  ];
  return raw('SummaryMap', summary.map(([k, v]) => raw('entry', el('key', k) + el('value', v))).join(''));
}

export const iamService: QueryServiceModule = {
  protocol: 'query',
  signingName: 'iam',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  apiVersion: '2010-05-08',
  actions: {
    ListUsers: listUsers,
    GetUser: getUser,
    ListGroupsForUser: listGroupsForUser,
    ListGroups: listGroups,
    GetGroup: getGroup,
    ListAttachedGroupPolicies: listAttachedGroupPolicies,
    ListGroupPolicies: listGroupPolicies,
    GetGroupPolicy: getGroupPolicy,
    ListAttachedUserPolicies: listAttachedUserPolicies,
    ListUserPolicies: listUserPolicies,
    GetUserPolicy: getUserPolicy,
    GetPolicy: getPolicy,
    GetPolicyVersion: getPolicyVersion,
    ListPolicies: listPolicies,
    ListMFADevices: listMfaDevices,
    ListVirtualMFADevices: listVirtualMfaDevices,
    ListAccessKeys: listAccessKeys,
    GetAccessKeyLastUsed: getAccessKeyLastUsed,
    GetLoginProfile: getLoginProfile,
    ListUserTags: listUserTags,
    ListRoles: listRoles,
    GetRole: getRole,
    ListAttachedRolePolicies: listAttachedRolePolicies,
    ListRolePolicies: listRolePolicies,
    GetRolePolicy: getRolePolicy,
    GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
    GenerateCredentialReport: generateCredentialReportAction,
    GetCredentialReport: getCredentialReportAction,
    ListAccountAliases: listAccountAliases,
    GetAccountSummary: getAccountSummary,
  },
};
