// The per-user strategy: page ListUsers, then a handful of calls per user under one concurrency limit per
// account. Groups are read once per run and shared by their members; policy documents once per policy.
// Memberships come from ListGroupsForUser, or group by group once that is cheaper (iam/group-membership.ts).
// With mfa_source: credential_report, MFA, access keys and login profiles come from the credential report and
// the virtual MFA listing where they answer, as in bulk (iam/report-credentials.ts).
// Each ListUsers page is enriched and yielded before the next is requested, so memory holds one page plus
// the group cache, whatever the account's size.
import pLimit from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { passCredentialFacts } from '../iam/credential-facts.js';
import { GroupMembership } from '../iam/group-membership.js';
import { GroupCache } from '../iam/groups.js';
import type { AccountReadContext } from '../iam/iam-requests.js';
import { enrichRole } from '../iam/roles.js';
import { enrichUser, type UserEnrichment } from '../iam/users.js';
import type { AccountHandle, CollectedChunk, CollectOptions, IdentitySource } from '../source.js';
import { accountSource, type AccountSourceDeps } from './account-source.js';
import { rolePages, userPages } from './identity-pages.js';

export type PerUserDeps = AccountSourceDeps;

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
): AsyncGenerator<CollectedChunk> {
  // One limit for the whole account (users and roles), not per page.
  const limit = pLimit(config.concurrency);
  const membership = new GroupMembership(ctx, limit);
  const facts = await passCredentialFacts(ctx, config, options);
  const users: UserEnrichment = {
    ctx,
    config,
    groups: new GroupCache(ctx),
    membership,
    ...(facts !== undefined ? { facts } : {}),
  };
  yield* userPages(ctx, config, options, limit, {
    enrich: (u) => enrichUser(users, u),
    beforeEnrich: (page) => membership.prepare(page),
  });
  if (config.include_roles) yield* rolePages(ctx, config, options, limit, (r) => enrichRole(ctx, config, r));
}
