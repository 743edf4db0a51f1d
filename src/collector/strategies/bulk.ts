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
import type { AccessKeyMetadata, Role, User } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { accountSource } from './account-source.js';
import {
  readAuthorizationDetails,
  type AuthorizationDetails,
  type DetailGroup,
  type DetailInlinePolicy,
  type DetailRole,
  type DetailUser,
} from '../iam/authorization-details.js';
import {
  fetchCredentialReport,
  type CredentialReport,
  type CredentialReportEntry,
} from '../iam/credential-report.js';
import { AccountCollectionError, EnrichmentError, failedItem } from '../aws/errors.js';
import { classifyAwsError, isNotFound } from '../aws/aws-error.js';
import type { HolderPolicies } from '../iam/holder-policies.js';
import {
  inlinePolicies,
  managedPolicyRefs,
  needsBoundaryForAdmin,
  readBoundary,
  toMillis,
  type AccountReadContext,
} from '../iam/iam-requests.js';
import type { IamGroup, IamRole, IamUser, MfaDevice, PolicyDocument } from '../../identity/identity.js';
import {
  enrichUser,
  GroupCache,
  userPages,
  userRecord,
  type PerUserDeps,
  type UserEnrichment,
} from './per-user.js';
import { PolicyDocumentCache } from '../iam/policy-documents.js';
import { enrichRole, rolePages, roleRecord } from '../iam/roles.js';
import { SharedReads } from '../iam/shared-reads.js';
import type {
  AccountHandle,
  CollectedItem,
  CollectedPage,
  CollectOptions,
  IdentitySource,
} from '../source.js';
import {
  readAccessKeys,
  readLoginProfile,
  readMfaDevices,
  type KnownLastUse,
} from '../iam/user-credentials.js';

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
  return accountSource(handle, config, deps, bulkPages);
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
      const action = classifyAwsError(error).action ?? 'iam:GetCredentialReport';
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
  yield* userPages(ctx, config, options, limit, (u) => enrichBulkUser(e, u));
  if (config.include_roles) yield* rolePages(ctx, config, options, limit, (r) => enrichBulkRole(e, r));
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
    return bulkFailedItem(e.ctx, key, name, error);
  }
}

function bulkFailedItem(ctx: AccountReadContext, key: string, name: string, error: unknown): CollectedItem {
  if (isNotFound(error)) {
    ctx.logger.debug({ accountId: ctx.accountId, identity: name }, 'identity vanished during collection');
    return { status: 'vanished', key, name };
  }
  return failedItem(key, name, error);
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

  const user = userRecord(
    ctx,
    u,
    groups,
    await detailPolicies(ctx, d),
    mfaDevices,
    reportEntry !== undefined && e.report !== undefined
      ? { source: 'credential_report', reportGeneratedAt: e.report.generatedAt }
      : { source: 'api' },
  );
  if (mfaActive !== undefined) user.mfaActive = mfaActive;

  if (config.access_keys) {
    user.accessKeys = await readAccessKeys(ctx, UserName, (k) =>
      reportEntry !== undefined ? reportedLastUse(reportEntry, k) : undefined,
    );
  }
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

/** A user's, group's or role's policies as GAAD describes them (documents included when it has them). */
async function detailPolicies(
  ctx: AccountReadContext,
  d: { attached: DetailGroup['attached']; inline: DetailInlinePolicy[] },
): Promise<HolderPolicies> {
  const byName = new Map(d.inline.map((p) => [p.name, p]));
  return {
    attachedPolicies: await managedPolicyRefs(
      ctx,
      d.attached.map((a) => ({ PolicyName: a.name, PolicyArn: a.arn })),
    ),
    inlinePolicies: await inlinePolicies(
      ctx,
      d.inline.map((p) => p.name),
      async (name): Promise<PolicyDocument> => {
        const p = byName.get(name);
        if (p?.document !== undefined) return p.document;
        throw new EnrichmentError(
          GAAD_ACTION,
          new Error(`inline policy ${name}: ${p?.documentError ?? 'no document'}`),
        );
      },
    ),
  };
}

/**
 * The key's last use from the report slot describing it: the only one whose last_rotated is the key's
 * creation second. undefined when no single slot matches (a key newer than the report).
 */
function reportedLastUse(entry: CredentialReportEntry, key: AccessKeyMetadata): KnownLastUse | undefined {
  const created = toMillis(key.CreateDate);
  if (created === undefined) return undefined;
  const matches = entry.accessKeys.filter(
    (s) => s.lastRotated !== undefined && seconds(s.lastRotated) === seconds(created),
  );
  const slot = matches.length === 1 ? matches[0] : undefined;
  if (slot === undefined) return undefined;
  const known: KnownLastUse = {};
  if (slot.lastUsedDate !== undefined) known.lastUsedTime = slot.lastUsedDate;
  if (slot.lastUsedService !== undefined) known.lastUsedService = slot.lastUsedService;
  if (slot.lastUsedRegion !== undefined) known.lastUsedRegion = slot.lastUsedRegion;
  return known;
}

/**
 * Each group of the account built once per pass from GAAD and shared by its members (documents included).
 * A failed build (a policy document that could not be read) is evicted so the next member retries it.
 */
class DetailGroupCache {
  private readonly byName = new SharedReads<string, IamGroup>();

  constructor(
    private readonly ctx: AccountReadContext,
    private readonly details: AuthorizationDetails,
  ) {}

  /** undefined when GAAD did not list the group. */
  get(name: string): Promise<IamGroup> | undefined {
    const detail = this.details.groups.get(name);
    return detail === undefined ? undefined : this.byName.get(name, () => this.build(detail));
  }

  private async build(d: DetailGroup): Promise<IamGroup> {
    const out: IamGroup = {
      name: d.name,
      arn: d.arn,
      ...(await detailPolicies(this.ctx, d)),
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
    return bulkFailedItem(e.ctx, key, r.RoleName ?? '', error);
  }
}

async function readBulkRole(e: BulkEnrichment, r: Role, d: DetailRole): Promise<IamRole> {
  const { ctx, config } = e;
  const role = roleRecord(ctx, r, await detailPolicies(ctx, d));
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
