// An IAM user read with its own calls (the per-user way): groups, attached and inline policies, tags and
// boundary when configured; its credentials (MFA, access keys, login profile) from the pass's credential
// report and virtual MFA listing where they answer, otherwise with its own calls (report-credentials.ts).
import {
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  type User,
} from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { IamGroup, IamUser } from '../../identity/identity.js';
import { callAws, failedItem, required } from '../aws/errors.js';
import type { CollectedItem, ListedIdentity } from '../source.js';
import type { GroupCache } from './groups.js';
import type { GroupMembership } from './group-membership.js';
import {
  needsBoundaryForAdmin,
  readBoundary,
  readHolderPolicies,
  type HolderPolicies,
} from './holder-policies.js';
import { isNoSuchEntityFrom, listAll, toMillis, toTags, type AccountReadContext } from './iam-requests.js';
import {
  readUserCredentials,
  type AccountCredentialFacts,
  type UserCredentials,
} from './report-credentials.js';
import { withSignal } from '../aws/call-signal.js';

/** Calls about the user itself: NoSuchEntity from them means the user was deleted mid-run. */
const USER_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListGroupsForUser',
  'iam:ListMFADevices',
  'iam:ListAttachedUserPolicies',
  'iam:ListUserPolicies',
  'iam:ListAccessKeys',
  'iam:GetUser',
]);

export function listedUser(u: User): ListedIdentity {
  return {
    key: required(u.Arn, 'ListUsers: Arn'),
    name: required(u.UserName, 'ListUsers: UserName'),
    createDate: required(toMillis(u.CreateDate), 'ListUsers: CreateDate'),
  };
}

/** Everything the per-user enrichment of one account needs during one pages() pass. */
export interface UserEnrichment {
  ctx: AccountReadContext;
  config: CollectorConfig;
  groups: GroupCache;
  /** Memberships read group by group when that is cheaper; absent = ListGroupsForUser for every user. */
  membership?: GroupMembership;
  /** The user comes from GetUser (the change feed), which already carries its tags and boundary. */
  fromGetUser?: boolean;
  /** The pass's credential report and virtual MFA listing; absent = every credential read per user. */
  facts?: AccountCredentialFacts;
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

/** The user as ListUsers describes it, with its groups, policies and credentials; the rest is added after. */
export function userRecord(
  ctx: AccountReadContext,
  u: User,
  groups: IamGroup[],
  policies: HolderPolicies,
  credentials: UserCredentials,
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
    mfaDevices: credentials.mfaDevices,
    mfaProvenance: credentials.mfaProvenance,
  };
  if (credentials.mfaActive !== undefined) user.mfaActive = credentials.mfaActive;
  if (credentials.reportGeneratedAt !== undefined) {
    user.credentialReportGeneratedAt = credentials.reportGeneratedAt;
  }
  if (credentials.accessKeys !== undefined) user.accessKeys = credentials.accessKeys;
  if (credentials.loginProfile !== undefined) user.loginProfile = credentials.loginProfile;
  if (ctx.accountAlias !== undefined) user.accountAlias = ctx.accountAlias;
  const passwordLastUsed = toMillis(u.PasswordLastUsed);
  if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;
  return user;
}

async function readUser(e: UserEnrichment, u: User): Promise<IamUser> {
  const { ctx, config } = e;
  const { iam, signal } = ctx;
  const UserName = u.UserName ?? '';

  const groupList =
    e.membership?.groupsOf(u) ??
    (await listAll(
      'iam:ListGroupsForUser',
      (Marker) => iam.send(withSignal(new ListGroupsForUserCommand({ UserName, Marker }), signal)),
      (p) => p.Groups,
    ));
  const groups: IamGroup[] = [];
  for (const g of groupList) {
    const group = await e.groups.get(g);
    if (group !== null) groups.push(group);
  }
  const credentials = await readUserCredentials(ctx, config, e.facts, u);
  const policies = await readHolderPolicies(ctx, {
    listAttached: [
      'iam:ListAttachedUserPolicies',
      (Marker) => iam.send(withSignal(new ListAttachedUserPoliciesCommand({ UserName, Marker }), signal)),
    ],
    listInline: [
      'iam:ListUserPolicies',
      (Marker) => iam.send(withSignal(new ListUserPoliciesCommand({ UserName, Marker }), signal)),
    ],
    getInline: [
      'iam:GetUserPolicy',
      (PolicyName) => iam.send(withSignal(new GetUserPolicyCommand({ UserName, PolicyName }), signal)),
    ],
  });
  const user = userRecord(ctx, u, groups, policies, credentials);
  // ListUsers does not carry the permissions boundary. With tags off, GetUser is still needed for a user
  // whose policies make it Admin: a boundary may take that away, and a false "Admin" is a wrong value.
  if (config.tags || needsBoundaryForAdmin(config, user)) {
    const r = e.fromGetUser
      ? { User: u }
      : await callAws('iam:GetUser', () => iam.send(withSignal(new GetUserCommand({ UserName }), signal)));
    if (config.tags) user.tags = toTags(r.User?.Tags);
    const boundary = await readBoundary(ctx, r.User?.PermissionsBoundary);
    if (boundary !== undefined) user.permissionsBoundary = boundary;
  }
  return user;
}
