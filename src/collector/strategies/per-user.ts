// The per-user strategy: page ListUsers, then a handful of calls per user under one concurrency limit per
// account. Groups are read once per run and shared by their members; policy documents once per policy.
// Memberships come from ListGroupsForUser, or group by group once that is cheaper (group-membership.ts).
// Each ListUsers page is enriched and yielded before the next is requested, so memory holds one page plus
// the group cache, whatever the account's size.
import {
  GetGroupPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type Group,
  type User,
} from '@aws-sdk/client-iam';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { accountSource, type AccountSourceDeps } from './account-source.js';
import { failedItem, required, callAws } from '../aws/errors.js';
import { readHolderPolicies, type HolderPolicies } from '../iam/holder-policies.js';
import {
  isNoSuchEntityFrom,
  listAll,
  needsBoundaryForAdmin,
  readBoundary,
  sendOptions,
  toMillis,
  toTags,
  type AccountReadContext,
} from '../iam/iam-requests.js';
import type { IamGroup, IamUser, MfaDevice, MfaProvenance } from '../../identity/identity.js';
import { GroupMembership } from '../iam/group-membership.js';
import { identityPages } from './identity-pages.js';
import { rolePages } from '../iam/roles.js';
import type {
  AccountHandle,
  CollectedItem,
  CollectedPage,
  CollectOptions,
  IdentitySource,
  ListedIdentity,
} from '../source.js';
import { SharedReads } from '../iam/shared-reads.js';
import { readAccessKeys, readLoginProfile, readMfaDevices } from '../iam/user-credentials.js';

export { mfaTypeOfSerial } from '../iam/user-credentials.js';

export type PerUserDeps = AccountSourceDeps;

/** Calls about the user itself: NoSuchEntity from them means the user was deleted mid-run. */
const USER_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListGroupsForUser',
  'iam:ListMFADevices',
  'iam:ListAttachedUserPolicies',
  'iam:ListUserPolicies',
  'iam:ListAccessKeys',
  'iam:GetUser',
]);

/** Calls about a group itself: NoSuchEntity from them means the group was deleted mid-run. */
const GROUP_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
]);

export function listedUser(u: User): ListedIdentity {
  return {
    key: required(u.Arn, 'ListUsers: Arn'),
    name: required(u.UserName, 'ListUsers: UserName'),
    createDate: required(toMillis(u.CreateDate), 'ListUsers: CreateDate'),
  };
}

/**
 * Reads one group's policies once per run; every member awaits the same promise. A failed read is evicted
 * so that a later member retries it. A group deleted mid-run (NoSuchEntity) resolves to null.
 */
export class GroupCache {
  private readonly byName = new SharedReads<string, IamGroup | null>();

  constructor(private readonly ctx: AccountReadContext) {}

  get(group: Group): Promise<IamGroup | null> {
    return this.byName.get(group.GroupName ?? '', () => this.read(group));
  }

  get size(): number {
    return this.byName.size;
  }

  private async read(group: Group): Promise<IamGroup | null> {
    const { iam, signal } = this.ctx;
    const GroupName = group.GroupName ?? '';
    try {
      const policies = await readHolderPolicies(this.ctx, {
        listAttached: [
          'iam:ListAttachedGroupPolicies',
          (Marker) =>
            iam.send(new ListAttachedGroupPoliciesCommand({ GroupName, Marker }), sendOptions(signal)),
        ],
        listInline: [
          'iam:ListGroupPolicies',
          (Marker) => iam.send(new ListGroupPoliciesCommand({ GroupName, Marker }), sendOptions(signal)),
        ],
        getInline: [
          'iam:GetGroupPolicy',
          (PolicyName) => iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }), sendOptions(signal)),
        ],
      });
      const out: IamGroup = {
        name: GroupName,
        arn: required(group.Arn, 'group listing: Arn'),
        attachedPolicies: policies.attachedPolicies,
        inlinePolicies: policies.inlinePolicies,
      };
      if (group.GroupId !== undefined) out.groupId = group.GroupId;
      if (group.Path !== undefined) out.path = group.Path;
      return out;
    } catch (error) {
      if (isNoSuchEntityFrom(error, GROUP_ACTIONS)) {
        this.ctx.logger.debug(
          { accountId: this.ctx.accountId, group: GroupName },
          'group vanished during collection',
        );
        return null;
      }
      throw error;
    }
  }
}

/** Everything the per-user enrichment of one account needs during one pages() pass. */
export interface UserEnrichment {
  ctx: AccountReadContext;
  config: CollectorConfig;
  groups: GroupCache;
  /** Memberships read group by group when that is cheaper; absent = ListGroupsForUser for every user. */
  membership?: GroupMembership;
}

/** Enriches one listed user; never throws: failures and vanished users are items. */
export async function enrichUser(e: UserEnrichment, u: User): Promise<CollectedItem> {
  const key = u.Arn ?? '';
  const name = u.UserName ?? '';
  try {
    return { status: 'ok', identity: await readUser(e, u) };
  } catch (error) {
    if (isNoSuchEntityFrom(error, USER_ACTIONS)) {
      e.ctx.logger.debug({ accountId: e.ctx.accountId, user: name }, 'user vanished during collection');
      return { status: 'vanished', key, name };
    }
    return failedItem(key, name, error);
  }
}

/** The user as ListUsers describes it, with its groups, policies and MFA; the rest is added after. */
export function userRecord(
  ctx: AccountReadContext,
  u: User,
  groups: IamGroup[],
  policies: HolderPolicies,
  mfaDevices: MfaDevice[],
  mfaProvenance: MfaProvenance,
): IamUser {
  const user: IamUser = {
    kind: 'iam_user',
    accountId: ctx.accountId,
    userName: required(u.UserName, 'ListUsers: UserName'),
    userId: required(u.UserId, 'ListUsers: UserId'),
    arn: required(u.Arn, 'ListUsers: Arn'),
    path: u.Path ?? '/',
    createDate: required(toMillis(u.CreateDate), 'ListUsers: CreateDate'),
    // By name: AWS promises no order, and the strategies and membership sources must agree on one.
    groups: [...groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    attachedPolicies: policies.attachedPolicies,
    inlinePolicies: policies.inlinePolicies,
    mfaDevices,
    mfaProvenance,
  };
  if (ctx.accountAlias !== undefined) user.accountAlias = ctx.accountAlias;
  const passwordLastUsed = toMillis(u.PasswordLastUsed);
  if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;
  return user;
}

async function readUser(e: UserEnrichment, u: User): Promise<IamUser> {
  const { ctx, config } = e;
  const { iam, signal } = ctx;
  const UserName = u.UserName ?? '';
  const opts = sendOptions(signal);

  const groupList =
    e.membership?.groupsOf(u) ??
    (await listAll(
      'iam:ListGroupsForUser',
      (Marker) => iam.send(new ListGroupsForUserCommand({ UserName, Marker }), opts),
      (p) => p.Groups,
    ));
  const groups: IamGroup[] = [];
  for (const g of groupList) {
    const group = await e.groups.get(g);
    if (group !== null) groups.push(group);
  }
  const mfaDevices = await readMfaDevices(ctx, UserName);
  const policies = await readHolderPolicies(ctx, {
    listAttached: [
      'iam:ListAttachedUserPolicies',
      (Marker) => iam.send(new ListAttachedUserPoliciesCommand({ UserName, Marker }), opts),
    ],
    listInline: [
      'iam:ListUserPolicies',
      (Marker) => iam.send(new ListUserPoliciesCommand({ UserName, Marker }), opts),
    ],
    getInline: [
      'iam:GetUserPolicy',
      (PolicyName) => iam.send(new GetUserPolicyCommand({ UserName, PolicyName }), opts),
    ],
  });
  const user = userRecord(ctx, u, groups, policies, mfaDevices, { source: 'api' });

  if (config.access_keys) user.accessKeys = await readAccessKeys(ctx, UserName);
  if (config.login_profile) user.loginProfile = await readLoginProfile(ctx, UserName);
  // ListUsers does not carry the permissions boundary. With tags off, GetUser is still needed for a user
  // whose policies make it Admin: a boundary may take that away, and a false "Admin" is a wrong value.
  if (config.tags || needsBoundaryForAdmin(config, user)) {
    const r = await callAws('iam:GetUser', () => iam.send(new GetUserCommand({ UserName }), opts));
    if (config.tags) user.tags = toTags(r.User?.Tags);
    const boundary = await readBoundary(ctx, r.User?.PermissionsBoundary);
    if (boundary !== undefined) user.permissionsBoundary = boundary;
  }
  return user;
}

/** Pages of users of one account: ListUsers page by page, each enriched before the next is requested. */
export function userPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
  limit: LimitFunction,
  enrich?: (u: User) => Promise<CollectedItem>,
): AsyncGenerator<CollectedPage> {
  let enrichOne = enrich;
  let membership: GroupMembership | undefined;
  if (enrichOne === undefined) {
    membership = new GroupMembership(ctx, limit);
    const enrichment: UserEnrichment = { ctx, config, groups: new GroupCache(ctx), membership };
    enrichOne = (u) => enrichUser(enrichment, u);
  }
  return identityPages(ctx, options, limit, {
    action: 'iam:ListUsers',
    fetchPage: (Marker) =>
      ctx.iam.send(new ListUsersCommand({ MaxItems: config.page_size, Marker }), sendOptions(options.signal)),
    itemsOf: (page) => page.Users,
    listed: listedUser,
    enrich: enrichOne,
    ...(membership !== undefined ? { beforeEnrich: (users: User[]) => membership.prepare(users) } : {}),
  });
}

export function perUserSource(
  handle: AccountHandle,
  config: CollectorConfig,
  deps: PerUserDeps,
): IdentitySource {
  return accountSource(handle, config, deps, accountPages);
}

async function* accountPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
): AsyncGenerator<CollectedPage> {
  // One limit for the whole account (users and roles), not per page.
  const limit = pLimit(Math.max(1, config.concurrency));
  yield* userPages(ctx, config, options, limit);
  if (config.include_roles) yield* rolePages(ctx, config, options, limit);
}
