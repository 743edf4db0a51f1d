// The bulk strategy: GetAccountAuthorizationDetails (GAAD) gives every user's groups, policies, tags and
// boundary, every group's policies and (with admin analysis) every managed policy document in a few calls
// per account; ListUsers stays the listing of record (page order, deletions, PasswordLastUsed). What GAAD
// does not carry is read per user, and only when configured: MFA devices (or the credential report's
// mfa_active), access keys, login profile.
//
// It produces the same IamUser / IamRole records as the per-user strategy (per-user-strategy.ts, roles.ts)
// for the same account and configuration: same fields, same array order, same shared helpers for policy
// references. Where the credential report replaces calls, the records say so (mfaProvenance, mfaActive).
//
// Credential-report choices (mfa_source: credential_report):
// - MFA: the report has mfa_active but no devices. mfaDevices is [] and mfaActive carries the fact; the
//   device types are unknown, not absent. Users missing from the report (created after it) fall back to
//   ListMFADevices, with provenance 'api'.
// - Access keys: the report has no key ids, so ListAccessKeys is still called per user (ids, status, creation);
//   each key's last use is taken from the report slot whose last_rotated equals the key's creation second,
//   and read with GetAccessKeyLastUsed when no single slot matches (a key newer than the report).
// - Login profile: password_enabled decides presence; the report has no profile creation date, so none is
//   given (password_last_changed is a different fact).
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListRolesCommand,
  ListUsersCommand,
  type AccessKeyMetadata,
  type Role,
  type User,
} from '@aws-sdk/client-iam';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CollectorConfig } from '../config/config.js';
import {
  readAuthorizationDetails,
  type AuthorizationDetails,
  type DetailGroup,
  type DetailInlinePolicy,
  type DetailRole,
  type DetailUser,
} from './authorization-details.js';
import {
  fetchCredentialReport,
  type CredentialReport,
  type CredentialReportEntry,
} from './credential-report.js';
import { AccountCollectionError, describeAwsError, EnrichmentError } from './errors.js';
import {
  callAws,
  inlinePolicies,
  isNoSuchEntity,
  listAll,
  managedPolicyRefs,
  needsBoundaryForAdmin,
  readBoundary,
  sendOptions,
  toMillis,
  type AccountReadContext,
} from './iam-requests.js';
import type {
  AccessKey,
  IamGroup,
  IamRole,
  IamUser,
  InlinePolicy,
  LoginProfile,
  ManagedPolicyRef,
  MfaDevice,
  PolicyDocument,
} from './identity.js';
import {
  enrichUser,
  estimateIdentities,
  GroupCache,
  listedUser,
  mfaTypeOfSerial,
  type PerUserDeps,
  type UserEnrichment,
} from './per-user-strategy.js';
import { decodeDocumentOf, PolicyDocumentCache } from './policy-documents.js';
import { enrichRole, listedRole } from './roles.js';
import type {
  AccountHandle,
  CollectedItem,
  CollectedPage,
  CollectOptions,
  IdentitySource,
} from './source.js';

export type BulkDeps = PerUserDeps;

const GAAD_ACTION = 'iam:GetAccountAuthorizationDetails';

/** Runs (document caches) whose AWS managed documents one account's GAAD already lists. */
const awsManagedListed = new WeakSet<PolicyDocumentCache>();

/**
 * True for the first account of a run: its GAAD also lists the AWS managed policies in use, which saves two
 * calls per policy. Later accounts read any AWS managed document they still miss through the cache.
 */
function claimAwsManagedListing(cache: PolicyDocumentCache): boolean {
  if (awsManagedListed.has(cache)) return false;
  awsManagedListed.add(cache);
  return true;
}

export function bulkSource(handle: AccountHandle, config: CollectorConfig, deps: BulkDeps): IdentitySource {
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
      return bulkPages(ctx, config, options);
    },
  };
  if (handle.accountAlias !== undefined) source.accountAlias = handle.accountAlias;
  return source;
}

/** What the enrichment of one account's users and roles shares during one pages() pass. */
interface BulkEnrichment {
  ctx: AccountReadContext;
  config: CollectorConfig;
  details: AuthorizationDetails;
  report?: CredentialReport;
  groups: DetailGroupCache;
  /** For users and roles GAAD does not (consistently) describe. */
  fallback: UserEnrichment;
}

async function* bulkPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
): AsyncGenerator<CollectedPage> {
  const limit = pLimit(Math.max(1, config.concurrency));
  const details = await readAuthorizationDetails(ctx, {
    includeRoles: config.include_roles,
    withPolicyDocuments: config.admin_analysis,
    withAwsManagedDocuments: config.admin_analysis && claimAwsManagedListing(ctx.policies),
  });
  let report: CredentialReport | undefined;
  if (config.mfa_source === 'credential_report') {
    try {
      report = await fetchCredentialReport(ctx.iam, {
        maxWaitSeconds: config.credential_report_max_wait_seconds,
        logger: ctx.logger,
        ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      });
    } catch (error) {
      ctx.signal?.throwIfAborted();
      const action =
        typeof error === 'object' && error !== null && 'action' in error && typeof error.action === 'string'
          ? error.action
          : 'iam:GetCredentialReport';
      throw new AccountCollectionError(ctx.accountId, action, error);
    }
  }
  const e: BulkEnrichment = {
    ctx,
    config,
    details,
    groups: new DetailGroupCache(ctx, details),
    fallback: { ctx, config, groups: new GroupCache(ctx) },
    ...(report !== undefined ? { report } : {}),
  };
  yield* userPages(e, options, limit);
  if (config.include_roles) yield* rolePages(e, options, limit);
}

async function* userPages(
  e: BulkEnrichment,
  options: CollectOptions,
  limit: LimitFunction,
): AsyncGenerator<CollectedPage> {
  const { ctx, config } = e;
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
      users.filter((u) => options.shouldEnrich(listedUser(u))).map((u) => limit(() => enrichBulkUser(e, u))),
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

async function* rolePages(
  e: BulkEnrichment,
  options: CollectOptions,
  limit: LimitFunction,
): AsyncGenerator<CollectedPage> {
  const { ctx, config } = e;
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    options.signal?.throwIfAborted();
    let page;
    try {
      page = await ctx.iam.send(
        new ListRolesCommand({ MaxItems: config.page_size, Marker: marker }),
        sendOptions(options.signal),
      );
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new AccountCollectionError(ctx.accountId, 'iam:ListRoles', error);
    }
    const roles = page.Roles ?? [];
    const items = await Promise.all(
      roles.filter((r) => options.shouldEnrich(listedRole(r))).map((r) => limit(() => enrichBulkRole(e, r))),
    );
    options.signal?.throwIfAborted();
    yield { listed: roles.map(listedRole), items };
    if (page.IsTruncated !== true) return;
    if (page.Marker === undefined || seen.has(page.Marker)) {
      throw new AccountCollectionError(
        ctx.accountId,
        'iam:ListRoles',
        new Error('IsTruncated without a new Marker'),
      );
    }
    seen.add(page.Marker);
    marker = page.Marker;
  }
}

/** Thrown when GAAD's picture of an identity is incomplete: the identity is read per user instead. */
class NotInDetails extends Error {}

/** Enriches one listed user from GAAD (or per user when GAAD lacks it); never throws. */
async function enrichBulkUser(e: BulkEnrichment, u: User): Promise<CollectedItem> {
  const key = u.Arn ?? '';
  const name = u.UserName ?? '';
  const detail = e.details.users.get(key);
  // Absent: created after GAAD read the users. Another UserId: deleted and recreated under the same name.
  if (detail === undefined || detail.userId !== u.UserId) return enrichUser(e.fallback, u);
  try {
    return { status: 'ok', identity: await readBulkUser(e, u, detail) };
  } catch (error) {
    if (error instanceof NotInDetails) {
      e.ctx.logger.debug(
        { accountId: e.ctx.accountId, user: name, reason: error.message },
        'reading user per user',
      );
      return enrichUser(e.fallback, u);
    }
    return failedItem(e.ctx, key, name, error);
  }
}

function failedItem(ctx: AccountReadContext, key: string, name: string, error: unknown): CollectedItem {
  if (isNoSuchEntity(error)) {
    ctx.logger.debug({ accountId: ctx.accountId, identity: name }, 'identity vanished during collection');
    return { status: 'vanished', key, name };
  }
  const action = error instanceof EnrichmentError ? error.action : 'collector';
  const cause = error instanceof EnrichmentError ? error.cause : error;
  return { status: 'failed', key, name, action, error: describeAwsError(cause) };
}

async function readBulkUser(e: BulkEnrichment, u: User, d: DetailUser): Promise<IamUser> {
  const { ctx, config } = e;
  const UserName = u.UserName ?? '';
  const groups: IamGroup[] = [];
  for (const groupName of d.groupNames) {
    const group = await e.groups.get(groupName);
    if (group === undefined) throw new NotInDetails(`group ${groupName} not in GAAD`);
    groups.push(group);
  }
  const reportEntry = reportEntryFor(e.report, u);

  let mfaDevices: MfaDevice[] = [];
  let mfaActive: boolean | undefined;
  if (reportEntry === undefined) mfaDevices = await readMfaDevices(ctx, UserName);
  else mfaActive = reportEntry.mfaActive;

  const user: IamUser = {
    kind: 'iam_user',
    accountId: ctx.accountId,
    userName: UserName,
    userId: u.UserId ?? '',
    arn: u.Arn ?? '',
    path: u.Path ?? '/',
    createDate: toMillis(u.CreateDate) ?? 0,
    groups,
    attachedPolicies: await attachedRefs(ctx, d.attached),
    inlinePolicies: await inlineRefs(ctx, d.inline),
    mfaDevices,
    mfaProvenance:
      reportEntry !== undefined && e.report !== undefined
        ? { source: 'credential_report', reportGeneratedAt: e.report.generatedAt }
        : { source: 'api' },
  };
  if (ctx.accountAlias !== undefined) user.accountAlias = ctx.accountAlias;
  const passwordLastUsed = toMillis(u.PasswordLastUsed);
  if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;
  if (mfaActive !== undefined) user.mfaActive = mfaActive;

  if (config.access_keys) user.accessKeys = await readAccessKeys(ctx, UserName, reportEntry);
  if (config.login_profile) {
    user.loginProfile =
      reportEntry !== undefined
        ? reportEntry.passwordEnabled
          ? {}
          : null
        : await readLoginProfile(ctx, UserName);
  }
  // Same rule as per-user, so both strategies report the same thing (see needsBoundaryForAdmin).
  if (config.tags) user.tags = d.tags;
  if (config.tags || needsBoundaryForAdmin(config, user)) {
    const boundary = await readBoundary(ctx, d.boundary);
    if (boundary !== undefined) user.permissionsBoundary = boundary;
  }
  return user;
}

/** The report's row for this very user (not an earlier user of the same name), if the report has one. */
function reportEntryFor(report: CredentialReport | undefined, u: User): CredentialReportEntry | undefined {
  if (report === undefined || u.Arn === undefined) return undefined;
  const entry = report.users.get(u.Arn);
  if (entry === undefined) return undefined;
  const created = toMillis(u.CreateDate);
  if (
    entry.userCreationTime !== undefined &&
    created !== undefined &&
    seconds(entry.userCreationTime) !== seconds(created)
  ) {
    return undefined;
  }
  return entry;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

async function attachedRefs(
  ctx: AccountReadContext,
  attached: DetailGroup['attached'],
): Promise<ManagedPolicyRef[]> {
  return managedPolicyRefs(
    ctx,
    attached.map((a) => ({ PolicyName: a.name, PolicyArn: a.arn })),
  );
}

async function inlineRefs(ctx: AccountReadContext, inline: DetailInlinePolicy[]): Promise<InlinePolicy[]> {
  const byName = new Map(inline.map((p) => [p.name, p]));
  return inlinePolicies(
    ctx,
    inline.map((p) => p.name),
    async (name): Promise<PolicyDocument> => {
      const p = byName.get(name);
      if (p?.document !== undefined) return p.document;
      throw new EnrichmentError(
        GAAD_ACTION,
        new Error(`inline policy ${name}: ${p?.documentError ?? 'no document'}`),
      );
    },
  );
}

async function readMfaDevices(ctx: AccountReadContext, UserName: string): Promise<MfaDevice[]> {
  const mfa = await listAll(
    'iam:ListMFADevices',
    (Marker) => ctx.iam.send(new ListMFADevicesCommand({ UserName, Marker }), sendOptions(ctx.signal)),
    (p) => p.MFADevices,
  );
  return mfa.map((d) => {
    const serial = d.SerialNumber ?? '';
    const device: MfaDevice = { serial, type: mfaTypeOfSerial(serial) };
    const enableDate = toMillis(d.EnableDate);
    if (enableDate !== undefined) device.enableDate = enableDate;
    return device;
  });
}

async function readAccessKeys(
  ctx: AccountReadContext,
  UserName: string,
  reportEntry: CredentialReportEntry | undefined,
): Promise<AccessKey[]> {
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
    const slot = reportEntry !== undefined ? reportSlotOf(reportEntry, k) : undefined;
    if (slot !== undefined) {
      if (slot.lastUsedDate !== undefined) key.lastUsedTime = slot.lastUsedDate;
      if (slot.lastUsedService !== undefined) key.lastUsedService = slot.lastUsedService;
      if (slot.lastUsedRegion !== undefined) key.lastUsedRegion = slot.lastUsedRegion;
    } else {
      const r = await callAws('iam:GetAccessKeyLastUsed', () =>
        ctx.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId }), opts),
      );
      const used = r.AccessKeyLastUsed;
      const lastUsed = toMillis(used?.LastUsedDate);
      if (lastUsed !== undefined) key.lastUsedTime = lastUsed;
      // A key never used reports "N/A" for both.
      if (used?.ServiceName !== undefined && used.ServiceName !== 'N/A')
        key.lastUsedService = used.ServiceName;
      if (used?.Region !== undefined && used.Region !== 'N/A') key.lastUsedRegion = used.Region;
    }
    out.push(key);
  }
  return out;
}

/** The report slot describing this key: the only one whose last_rotated is the key's creation second. */
function reportSlotOf(
  entry: CredentialReportEntry,
  key: AccessKeyMetadata,
): CredentialReportEntry['accessKeys'][0] | undefined {
  const created = toMillis(key.CreateDate);
  if (created === undefined) return undefined;
  const matches = entry.accessKeys.filter(
    (s) => s.lastRotated !== undefined && seconds(s.lastRotated) === seconds(created),
  );
  return matches.length === 1 ? matches[0] : undefined;
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

/**
 * Each group of the account built once per pass from GAAD and shared by its members (documents included).
 * A failed build (a policy document that could not be read) is evicted so the next member retries it.
 */
class DetailGroupCache {
  private readonly byName = new Map<string, Promise<IamGroup>>();

  constructor(
    private readonly ctx: AccountReadContext,
    private readonly details: AuthorizationDetails,
  ) {}

  /** undefined when GAAD did not list the group. */
  get(name: string): Promise<IamGroup> | undefined {
    let pending = this.byName.get(name);
    if (pending === undefined) {
      const detail = this.details.groups.get(name);
      if (detail === undefined) return undefined;
      pending = this.build(detail);
      this.byName.set(name, pending);
      pending.catch(() => {
        if (this.byName.get(name) === pending) this.byName.delete(name);
      });
    }
    return pending;
  }

  private async build(d: DetailGroup): Promise<IamGroup> {
    const out: IamGroup = {
      name: d.name,
      arn: d.arn,
      attachedPolicies: await attachedRefs(this.ctx, d.attached),
      inlinePolicies: await inlineRefs(this.ctx, d.inline),
    };
    if (d.groupId !== undefined) out.groupId = d.groupId;
    if (d.path !== undefined) out.path = d.path;
    return out;
  }
}

/** Enriches one listed role from GAAD (or with the per-role calls when GAAD lacks it); never throws. */
async function enrichBulkRole(e: BulkEnrichment, r: Role): Promise<CollectedItem> {
  const key = r.Arn ?? '';
  const detail = e.details.roles.get(key);
  if (detail === undefined || detail.roleId !== r.RoleId) return enrichRole(e.ctx, e.config, r);
  try {
    return { status: 'ok', identity: await readBulkRole(e, r, detail) };
  } catch (error) {
    return failedItem(e.ctx, key, r.RoleName ?? '', error);
  }
}

async function readBulkRole(e: BulkEnrichment, r: Role, d: DetailRole): Promise<IamRole> {
  const { ctx, config } = e;
  const role: IamRole = {
    kind: 'iam_role',
    accountId: ctx.accountId,
    roleName: r.RoleName ?? '',
    roleId: r.RoleId ?? '',
    arn: r.Arn ?? '',
    path: r.Path ?? '/',
    createDate: toMillis(r.CreateDate) ?? 0,
    attachedPolicies: await attachedRefs(ctx, d.attached),
    inlinePolicies: await inlineRefs(ctx, d.inline),
  };
  if (ctx.accountAlias !== undefined) role.accountAlias = ctx.accountAlias;
  if (r.Description !== undefined && r.Description !== '') role.description = r.Description;
  if (r.AssumeRolePolicyDocument !== undefined) {
    role.trustPolicy = decodeDocumentOf('iam:ListRoles', r.AssumeRolePolicyDocument);
  }
  if (config.tags) {
    role.tags = d.tags;
    if (d.lastUsedTime !== undefined) role.lastUsedTime = d.lastUsedTime;
  }
  if (config.tags || needsBoundaryForAdmin(config, role)) {
    const boundary = await readBoundary(ctx, d.boundary);
    if (boundary !== undefined) role.permissionsBoundary = boundary;
  }
  return role;
}
