// The identities a burst of changes names, read again from IAM with the per-user path (whatever the
// configured strategy: a handful of identities is cheapest read one by one), collector.concurrency at a
// time. Group members come from GetGroup, a managed policy's holders from ListEntitiesForPolicy; each user
// and role is read once, and each group's policies once per burst.
import {
  GetGroupCommand,
  GetRoleCommand,
  GetUserCommand,
  ListEntitiesForPolicyCommand,
  type ListEntitiesForPolicyCommandOutput,
  type Role,
  type User,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { classifyAwsError, describeAwsError } from '../aws/aws-error.js';
import { GroupCache } from '../iam/groups.js';
import { listAll, type AccountReadContext } from '../iam/iam-requests.js';
import { enrichRole } from '../iam/roles.js';
import { enrichUser } from '../iam/users.js';
import type { CollectedItem } from '../source.js';
import type { ImpactTarget } from './change-impact.js';
import { withSignal } from '../aws/call-signal.js';

/** What a burst's targets are in IAM now. */
export interface ChangedIdentities {
  items: CollectedItem[];
  /**
   * Users the source says do not exist (NoSuchEntity on GetUser; an Identity Center user id a complete
   * listing lacks): their deletion is reported if they were known.
   */
  goneUsers: string[];
  /** Roles IAM says do not exist (NoSuchEntity on GetRole), when roles are inventoried. */
  goneRoles: string[];
  /** A target that could not be resolved (a failed GetGroup, ListEntitiesForPolicy): the burst must retry. */
  failures: string[];
}

interface Names {
  users: Set<string>;
  roles: Set<string>;
  failures: string[];
}

const isNotFound = (error: unknown): boolean => classifyAwsError(error).kind === 'not_found';

async function groupMembers(ctx: AccountReadContext, groupName: string): Promise<string[]> {
  try {
    const users = await listAll(
      'iam:GetGroup',
      (Marker) => ctx.iam.send(withSignal(new GetGroupCommand({ GroupName: groupName, Marker }), ctx.signal)),
      (p) => p.Users,
    );
    return users.map((u) => u.UserName ?? '').filter((n) => n !== '');
  } catch (error) {
    // A deleted group has no members left (IAM requires removing them first, each its own event).
    if (isNotFound(error)) return [];
    throw error;
  }
}

async function policyHolders(ctx: AccountReadContext, policyArn: string, names: Names): Promise<void> {
  let pages: ListEntitiesForPolicyCommandOutput[];
  try {
    pages = await listAll(
      'iam:ListEntitiesForPolicy',
      (Marker) =>
        ctx.iam.send(
          withSignal(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, Marker }), ctx.signal),
        ),
      (p) => [p],
    );
  } catch (error) {
    // A deleted policy has no holders left (IAM requires detaching it first, each detach its own event): a
    // late change of it names nobody, rather than failing, and holding back, its burst for ever.
    if (isNotFound(error)) return;
    throw error;
  }
  for (const p of pages) {
    for (const u of p.PolicyUsers ?? []) if (u.UserName) names.users.add(u.UserName);
    for (const r of p.PolicyRoles ?? []) if (r.RoleName) names.roles.add(r.RoleName);
    for (const g of p.PolicyGroups ?? []) {
      if (g.GroupName) for (const m of await groupMembers(ctx, g.GroupName)) names.users.add(m);
    }
  }
}

async function resolveTargets(ctx: AccountReadContext, targets: readonly ImpactTarget[]): Promise<Names> {
  const names: Names = { users: new Set(), roles: new Set(), failures: [] };
  for (const t of targets) {
    try {
      if (t.kind === 'user') names.users.add(t.userName);
      else if (t.kind === 'role') names.roles.add(t.roleName);
      else if (t.kind === 'group_members')
        for (const m of await groupMembers(ctx, t.groupName)) names.users.add(m);
      else if (t.kind === 'policy_entities') await policyHolders(ctx, t.policyArn, names);
    } catch (error) {
      names.failures.push(describeAwsError(error));
    }
  }
  return names;
}

async function readUser(ctx: AccountReadContext, userName: string): Promise<User | 'gone' | CollectedItem> {
  try {
    const r = await ctx.iam.send(withSignal(new GetUserCommand({ UserName: userName }), ctx.signal));
    if (r.User === undefined) throw new Error(`GetUser ${userName}: no User in the answer`);
    return r.User;
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    return {
      status: 'failed',
      key: '',
      name: userName,
      action: 'iam:GetUser',
      error: describeAwsError(error),
    };
  }
}

async function readRole(ctx: AccountReadContext, roleName: string): Promise<Role | 'gone' | CollectedItem> {
  try {
    const r = await ctx.iam.send(withSignal(new GetRoleCommand({ RoleName: roleName }), ctx.signal));
    if (r.Role === undefined) throw new Error(`GetRole ${roleName}: no Role in the answer`);
    return r.Role;
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    return {
      status: 'failed',
      key: '',
      name: roleName,
      action: 'iam:GetRole',
      error: describeAwsError(error),
    };
  }
}

/** Reads every identity `targets` name, in this account, now. Never throws: failures are reported. */
export async function readChangedIdentities(
  ctx: AccountReadContext,
  config: CollectorConfig,
  targets: readonly ImpactTarget[],
): Promise<ChangedIdentities> {
  const names = await resolveTargets(ctx, targets);
  const result: ChangedIdentities = { items: [], goneUsers: [], goneRoles: [], failures: names.failures };
  const groups = new GroupCache(ctx);
  const limit = pLimit(config.concurrency);
  // In name order whatever finishes first, so a burst's batches are the same on a retry.
  const users = await Promise.all(
    [...names.users].sort().map((userName) =>
      limit(async () => {
        const user = await readUser(ctx, userName);
        if (user === 'gone' || 'status' in user) return { userName, user };
        // GetUser already carried the tags and the boundary: the enrichment does not ask again.
        return { userName, user: await enrichUser({ ctx, config, groups, fromGetUser: true }, user) };
      }),
    ),
  );
  for (const { userName, user } of users) {
    if (user === 'gone') result.goneUsers.push(userName);
    else result.items.push(user);
  }
  if (config.include_roles) {
    const roles = await Promise.all(
      [...names.roles].sort().map((roleName) =>
        limit(async () => {
          const role = await readRole(ctx, roleName);
          if (role === 'gone' || 'status' in role) return { roleName, role };
          return { roleName, role: await enrichRole(ctx, config, role) };
        }),
      ),
    );
    for (const { roleName, role } of roles) {
      if (role === 'gone') result.goneRoles.push(roleName);
      else result.items.push(role);
    }
  }
  return result;
}
