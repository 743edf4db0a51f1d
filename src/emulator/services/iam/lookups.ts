// Finding what a call names in the caller's account (users, groups, roles, policies, the caller itself),
// with IAM's validation and NoSuchEntity errors, and what hangs off an entity (its groups and policies).
import type { EmuAccount, EmuGroup, EmuPolicy, EmuRole, EmuUser } from '../../model.js';
import { EmuError, type EmuRequestContext, type QueryParams } from '../../service.js';
import { sortByKey } from './paging.js';

export function accountOf(ctx: EmuRequestContext): EmuAccount {
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

/** IAM names a parameter by its camelCase member in validation messages (UserName -> userName). */
function memberName(param: string): string {
  return param.charAt(0).toLowerCase() + param.slice(1);
}

export function required(params: QueryParams, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  return value;
}

/** An enum parameter, `fallback` when absent; `allowed` is in the order AWS lists it in the error. */
export function enumParam<T extends string>(
  params: QueryParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = params[name] ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      400,
    );
  }
  return value as T;
}

export function noSuchUser(userName: string): EmuError {
  return new EmuError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404);
}

export function userNamed(account: EmuAccount, userName: string): EmuUser {
  const user = account.users.get(userName);
  if (user === undefined) throw noSuchUser(userName);
  return user;
}

/** The UserName parameter, or the calling IAM user when absent (as AWS does for GetUser, ListAccessKeys...). */
export function userOrCaller(
  params: QueryParams,
  ctx: EmuRequestContext,
  account: EmuAccount,
): EmuUser | 'root' {
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

export function groupNamed(account: EmuAccount, groupName: string): EmuGroup {
  const group = account.groups.get(groupName);
  if (group === undefined)
    throw new EmuError('NoSuchEntity', `The group with name ${groupName} cannot be found.`, 404);
  return group;
}

export function roleNamed(account: EmuAccount, roleName: string): EmuRole {
  const role = account.roles.get(roleName);
  if (role === undefined)
    throw new EmuError('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
  return role;
}

export function policyByArn(ctx: EmuRequestContext, account: EmuAccount, arn: string): EmuPolicy | undefined {
  return ctx.world.awsManagedPolicies.get(arn) ?? account.policies.get(arn);
}

export function policyNamed(ctx: EmuRequestContext, account: EmuAccount, arn: string): EmuPolicy {
  const policy = policyByArn(ctx, account, arn);
  if (policy === undefined)
    throw new EmuError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
  return policy;
}

export function inlinePolicy(doc: string | undefined, owner: string, policyName: string): string {
  if (doc === undefined) {
    throw new EmuError('NoSuchEntity', `The ${owner} policy with name ${policyName} cannot be found.`, 404);
  }
  return doc;
}

export interface PolicyUsage {
  attachments: number;
  boundaries: number;
}

export function policyUsage(account: EmuAccount): Map<string, PolicyUsage> {
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

export function groupsOfUser(account: EmuAccount, user: EmuUser): EmuGroup[] {
  const groups: EmuGroup[] = [];
  for (const name of user.groups) {
    const g = account.groups.get(name);
    if (g !== undefined) groups.push(g);
  }
  return sortByKey(groups, (g) => g.groupName);
}

export function attachedPolicies(
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
