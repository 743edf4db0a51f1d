// The per-user strategy: page ListUsers, then a handful of calls per user under one concurrency limit per
// account. Groups are read once per run and shared by their members; policy documents once per policy.
// Each ListUsers page is enriched and yielded before the next is requested, so memory holds one page plus
// the group cache, whatever the account's size.
import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type Group,
  type User,
} from '@aws-sdk/client-iam';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CollectorConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { AccountCollectionError, describeAwsError, EnrichmentError } from './errors.js';
import {
  callAws,
  inlinePolicies,
  isNoSuchEntity,
  isNoSuchEntityFrom,
  listAll,
  managedPolicyRefs,
  needsBoundaryForAdmin,
  readBoundary,
  sendOptions,
  toMillis,
  toTags,
  type AccountReadContext,
} from './iam-requests.js';
import type { AccessKey, IamGroup, IamUser, LoginProfile, MfaDevice, MfaDeviceType } from './identity.js';
import { decodeDocumentOf, PolicyDocumentCache } from './policy-documents.js';
import { rolePages } from './roles.js';
import type {
  AccountHandle,
  AwsCallObserver,
  CollectedItem,
  CollectedPage,
  CollectOptions,
  IdentitySource,
  ListedIdentity,
} from './source.js';

export interface PerUserDeps {
  logger: Logger;
  observer?: AwsCallObserver;
  /** The run's policy document cache, shared by every account (AWS managed documents are read once). */
  policies?: PolicyDocumentCache;
}

/** MFA device type from the serial's form: virtual devices and FIDO keys have ARNs, hardware tokens do not. */
export function mfaTypeOfSerial(serial: string): MfaDeviceType {
  if (/^arn:[^:]+:iam::[^:]*:mfa\//.test(serial)) return 'virtual';
  if (/^arn:[^:]+:iam::[^:]*:u2f\//.test(serial)) return 'security_key';
  return 'hardware';
}

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
  return { key: u.Arn ?? '', name: u.UserName ?? '', createDate: toMillis(u.CreateDate) ?? 0 };
}

/**
 * Reads one group's policies once per run; every member awaits the same promise. A failed read is evicted
 * so that a later member retries it. A group deleted mid-run (NoSuchEntity) resolves to null.
 */
export class GroupCache {
  private readonly byName = new Map<string, Promise<IamGroup | null>>();

  constructor(private readonly ctx: AccountReadContext) {}

  get(group: Group): Promise<IamGroup | null> {
    const name = group.GroupName ?? '';
    let pending = this.byName.get(name);
    if (pending === undefined) {
      pending = this.read(group);
      this.byName.set(name, pending);
      pending.catch(() => {
        if (this.byName.get(name) === pending) this.byName.delete(name);
      });
    }
    return pending;
  }

  get size(): number {
    return this.byName.size;
  }

  private async read(group: Group): Promise<IamGroup | null> {
    const { iam, signal } = this.ctx;
    const GroupName = group.GroupName ?? '';
    try {
      const attached = await listAll(
        'iam:ListAttachedGroupPolicies',
        (Marker) =>
          iam.send(new ListAttachedGroupPoliciesCommand({ GroupName, Marker }), sendOptions(signal)),
        (p) => p.AttachedPolicies,
      );
      const inlineNames = await listAll(
        'iam:ListGroupPolicies',
        (Marker) => iam.send(new ListGroupPoliciesCommand({ GroupName, Marker }), sendOptions(signal)),
        (p) => p.PolicyNames,
      );
      const out: IamGroup = {
        name: GroupName,
        arn: group.Arn ?? '',
        attachedPolicies: await managedPolicyRefs(this.ctx, attached),
        inlinePolicies: await inlinePolicies(this.ctx, inlineNames, async (PolicyName) => {
          const r = await callAws('iam:GetGroupPolicy', () =>
            iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }), sendOptions(signal)),
          );
          return decodeDocumentOf('iam:GetGroupPolicy', r.PolicyDocument);
        }),
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
    const action = error instanceof EnrichmentError ? error.action : 'collector';
    const cause = error instanceof EnrichmentError ? error.cause : error;
    return { status: 'failed', key, name, action, error: describeAwsError(cause) };
  }
}

async function readUser(e: UserEnrichment, u: User): Promise<IamUser> {
  const { ctx, config } = e;
  const { iam, signal } = ctx;
  const UserName = u.UserName ?? '';
  const opts = sendOptions(signal);

  const groupList = await listAll(
    'iam:ListGroupsForUser',
    (Marker) => iam.send(new ListGroupsForUserCommand({ UserName, Marker }), opts),
    (p) => p.Groups,
  );
  const groups: IamGroup[] = [];
  for (const g of groupList) {
    const group = await e.groups.get(g);
    if (group !== null) groups.push(group);
  }

  const mfa = await listAll(
    'iam:ListMFADevices',
    (Marker) => iam.send(new ListMFADevicesCommand({ UserName, Marker }), opts),
    (p) => p.MFADevices,
  );
  const mfaDevices: MfaDevice[] = mfa.map((d) => {
    const serial = d.SerialNumber ?? '';
    const device: MfaDevice = { serial, type: mfaTypeOfSerial(serial) };
    const enableDate = toMillis(d.EnableDate);
    if (enableDate !== undefined) device.enableDate = enableDate;
    return device;
  });

  const attached = await listAll(
    'iam:ListAttachedUserPolicies',
    (Marker) => iam.send(new ListAttachedUserPoliciesCommand({ UserName, Marker }), opts),
    (p) => p.AttachedPolicies,
  );
  const inlineNames = await listAll(
    'iam:ListUserPolicies',
    (Marker) => iam.send(new ListUserPoliciesCommand({ UserName, Marker }), opts),
    (p) => p.PolicyNames,
  );

  const user: IamUser = {
    kind: 'iam_user',
    accountId: ctx.accountId,
    userName: UserName,
    userId: u.UserId ?? '',
    arn: u.Arn ?? '',
    path: u.Path ?? '/',
    createDate: toMillis(u.CreateDate) ?? 0,
    groups,
    attachedPolicies: await managedPolicyRefs(ctx, attached),
    inlinePolicies: await inlinePolicies(ctx, inlineNames, async (PolicyName) => {
      const r = await callAws('iam:GetUserPolicy', () =>
        iam.send(new GetUserPolicyCommand({ UserName, PolicyName }), opts),
      );
      return decodeDocumentOf('iam:GetUserPolicy', r.PolicyDocument);
    }),
    mfaDevices,
    mfaProvenance: { source: 'api' },
  };
  if (ctx.accountAlias !== undefined) user.accountAlias = ctx.accountAlias;
  const passwordLastUsed = toMillis(u.PasswordLastUsed);
  if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;

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

async function readAccessKeys(ctx: AccountReadContext, UserName: string): Promise<AccessKey[]> {
  const opts = sendOptions(ctx.signal);
  const keys = await listAll(
    'iam:ListAccessKeys',
    (Marker) => ctx.iam.send(new ListAccessKeysCommand({ UserName, Marker }), opts),
    (p) => p.AccessKeyMetadata,
  );
  const out: AccessKey[] = [];
  for (const k of keys) {
    const AccessKeyId = k.AccessKeyId ?? '';
    const key: AccessKey = { id: AccessKeyId, status: k.Status === 'Active' ? 'Active' : 'Inactive' };
    const createDate = toMillis(k.CreateDate);
    if (createDate !== undefined) key.createDate = createDate;
    const r = await callAws('iam:GetAccessKeyLastUsed', () =>
      ctx.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId }), opts),
    );
    const used = r.AccessKeyLastUsed;
    const lastUsed = toMillis(used?.LastUsedDate);
    if (lastUsed !== undefined) key.lastUsedTime = lastUsed;
    // A key never used reports "N/A" for both.
    if (used?.ServiceName !== undefined && used.ServiceName !== 'N/A') key.lastUsedService = used.ServiceName;
    if (used?.Region !== undefined && used.Region !== 'N/A') key.lastUsedRegion = used.Region;
    out.push(key);
  }
  return out;
}

/** null = the user has no login profile (NoSuchEntity); any other error fails the user. */
async function readLoginProfile(ctx: AccountReadContext, UserName: string): Promise<LoginProfile | null> {
  try {
    const r = await ctx.iam.send(new GetLoginProfileCommand({ UserName }), sendOptions(ctx.signal));
    const profile: LoginProfile = {};
    const createDate = toMillis(r.LoginProfile?.CreateDate);
    if (createDate !== undefined) profile.createDate = createDate;
    if (r.LoginProfile?.PasswordResetRequired !== undefined) {
      profile.passwordResetRequired = r.LoginProfile.PasswordResetRequired;
    }
    return profile;
  } catch (error) {
    if (isNoSuchEntity(error)) return null;
    throw new EnrichmentError('iam:GetLoginProfile', error);
  }
}

/** Pages of users of one account: ListUsers page by page, each enriched before the next is requested. */
export async function* userPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
  limit: LimitFunction,
): AsyncGenerator<CollectedPage> {
  const enrichment: UserEnrichment = { ctx, config, groups: new GroupCache(ctx) };
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    options.signal?.throwIfAborted();
    let page;
    try {
      page = await ctx.iam.send(
        new ListUsersCommand({ MaxItems: config.page_size, Marker: marker }),
        sendOptions(options.signal),
      );
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new AccountCollectionError(ctx.accountId, 'iam:ListUsers', error);
    }
    const users = page.Users ?? [];
    const items = await Promise.all(
      users
        .filter((u) => options.shouldEnrich(listedUser(u)))
        .map((u) => limit(() => enrichUser(enrichment, u))),
    );
    options.signal?.throwIfAborted();
    yield { listed: users.map(listedUser), items };
    if (page.IsTruncated !== true) return;
    if (page.Marker === undefined || seen.has(page.Marker)) {
      throw new AccountCollectionError(
        ctx.accountId,
        'iam:ListUsers',
        new Error('IsTruncated without a new Marker'),
      );
    }
    seen.add(page.Marker);
    marker = page.Marker;
  }
}

export function perUserSource(
  handle: AccountHandle,
  config: CollectorConfig,
  deps: PerUserDeps,
): IdentitySource {
  const policies = deps.policies ?? new PolicyDocumentCache();
  const source: IdentitySource = {
    scope: handle.accountId,
    kind: 'aws_account',
    accountId: handle.accountId,
    hasCreationCheckpoint: true,
    estimatedTotal: () => estimateIdentities(handle, config, deps.logger),
    pages: (options) => {
      const ctx: AccountReadContext = {
        accountId: handle.accountId,
        iam: handle.iam,
        policies,
        adminAnalysis: config.admin_analysis,
        logger: deps.logger,
        ...(handle.accountAlias !== undefined ? { accountAlias: handle.accountAlias } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      };
      return accountPages(ctx, config, options);
    },
  };
  if (handle.accountAlias !== undefined) source.accountAlias = handle.accountAlias;
  return source;
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

/** Users (and roles when collected) from GetAccountSummary; undefined when not permitted. */
export async function estimateIdentities(
  handle: AccountHandle,
  config: CollectorConfig,
  logger: Logger,
): Promise<number | undefined> {
  try {
    const r = await handle.iam.send(new GetAccountSummaryCommand({}));
    const users = r.SummaryMap?.Users;
    if (users === undefined) return undefined;
    return users + (config.include_roles ? (r.SummaryMap?.Roles ?? 0) : 0);
  } catch (error) {
    logger.debug(
      { accountId: handle.accountId, error: describeAwsError(error) },
      'GetAccountSummary unavailable',
    );
    return undefined;
  }
}
