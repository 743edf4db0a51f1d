// The bulk strategy: GetAccountAuthorizationDetails (GAAD) gives every user's groups, policies, tags and
// boundary, every group's policies and (with admin analysis) every managed policy document in a few calls
// per account; ListUsers stays the listing of record (page order, deletions, PasswordLastUsed). The records
// come from iam/detail-records.ts; an identity GAAD does not (consistently) describe is read the per-user
// way, so both strategies produce the same records. GAAD's users are streamed with the ListUsers pages
// (iam/authorization-details.ts): memory holds about a page of them, not the account's.
import type { Role, User } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { isNotFound } from '../aws/aws-error.js';
import { failedItem } from '../aws/errors.js';
import { readAuthorizationDetails } from '../iam/authorization-details.js';
import { passCredentialFacts } from '../iam/credential-facts.js';
import {
  DetailGroupCache,
  NotInDetails,
  readDetailRole,
  readDetailUser,
  type DetailReads,
} from '../iam/detail-records.js';
import { GroupCache } from '../iam/groups.js';
import type { AccountReadContext } from '../iam/iam-requests.js';
import type { PolicyDocumentCache } from '../iam/policy-documents.js';
import { enrichRole } from '../iam/roles.js';
import { enrichUser, type UserEnrichment } from '../iam/users.js';
import type {
  AccountHandle,
  CollectedItem,
  CollectedChunk,
  CollectOptions,
  IdentitySource,
} from '../source.js';
import { accountSource } from './account-source.js';
import { rolePages, userPages } from './identity-pages.js';
import type { PerUserDeps } from './per-user.js';

export type BulkDeps = PerUserDeps;

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
interface BulkEnrichment extends DetailReads {
  /** For users and roles GAAD does not (consistently) describe. */
  fallback: UserEnrichment;
}

async function* bulkPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
): AsyncGenerator<CollectedChunk> {
  const limit = pLimit(config.concurrency);
  const details = await readAuthorizationDetails(ctx, {
    includeRoles: config.include_roles,
    withPolicyDocuments: config.admin_analysis,
    withAwsManagedDocuments: config.admin_analysis && claimAwsManagedListing(ctx.policies),
  });
  const facts = await passCredentialFacts(ctx, config, options);
  const e: BulkEnrichment = {
    ctx,
    config,
    details,
    groups: new DetailGroupCache(ctx, details),
    fallback: { ctx, config, groups: new GroupCache(ctx), ...(facts !== undefined ? { facts } : {}) },
    ...(facts !== undefined ? { facts } : {}),
  };
  yield* userPages(ctx, config, options, limit, {
    enrich: (u) => enrichBulkUser(e, u),
    beforePage: (listed, toEnrich) => details.users.prepare(arnsOf(listed), arnsOf(toEnrich)),
  });
  if (config.include_roles) yield* rolePages(ctx, config, options, limit, (r) => enrichBulkRole(e, r));
}

const arnsOf = (users: readonly User[]): string[] =>
  users.flatMap((u) => (u.Arn !== undefined ? [u.Arn] : []));

/** Enriches one listed user from GAAD (or per user when GAAD lacks it); never throws. */
async function enrichBulkUser(e: BulkEnrichment, u: User): Promise<CollectedItem> {
  const key = u.Arn ?? '';
  const name = u.UserName ?? '';
  const detail = e.details.users.get(key);
  // Absent: created after GAAD read the users. Another UserId: deleted and recreated under the same name.
  if (detail === undefined || detail.userId !== u.UserId) return enrichUser(e.fallback, u);
  try {
    return { status: 'ok', identity: await readDetailUser(e, u, detail) };
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

/** Enriches one listed role from GAAD (or with the per-role calls when GAAD lacks it); never throws. */
async function enrichBulkRole(e: BulkEnrichment, r: Role): Promise<CollectedItem> {
  const key = r.Arn ?? '';
  const detail = e.details.roles.get(key);
  if (detail === undefined || detail.roleId !== r.RoleId) return enrichRole(e.ctx, e.config, r);
  try {
    return { status: 'ok', identity: await readDetailRole(e, r, detail) };
  } catch (error) {
    return bulkFailedItem(e.ctx, key, r.RoleName ?? '', error);
  }
}
