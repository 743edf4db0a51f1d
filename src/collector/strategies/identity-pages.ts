// The listing loop of an account's users or roles (ListUsers, ListRoles), shared by every strategy: each
// listing page is yielded, then its identities are enriched (under the account's limit, with a bounded
// look-ahead) and yielded in listing order as they are done, before the next page is requested.
// The strategy says how a listed identity is enriched.
import { ListRolesCommand, ListUsersCommand, type Role, type User } from '@aws-sdk/client-iam';
import type { LimitFunction } from 'p-limit';
import type { CollectorConfig } from '../../config/config.js';
import { AccountCollectionError } from '../aws/errors.js';
import { markerPages, type MarkerPage } from '../aws/pagination.js';
import { type AccountReadContext } from '../iam/iam-requests.js';
import { listedRole } from '../iam/roles.js';
import { listedUser } from '../iam/users.js';
import type { CollectedChunk, CollectedItem, CollectOptions, ListedIdentity } from '../source.js';
import { inListingOrder, lookAheadOf } from './listing-order.js';
import { withSignal } from '../aws/call-signal.js';

/** One listing call and what to make of the identities it lists. */
export interface IdentityListing<P extends MarkerPage, T> {
  /** The listing call's action: its failure fails the account (AccountCollectionError). */
  action: string;
  fetchPage: (marker: string | undefined) => Promise<P>;
  itemsOf: (page: P) => T[] | undefined;
  /** Throws (MalformedResponseError) when the listing entry lacks a field AWS always sends. */
  listed: (item: T) => ListedIdentity;
  /** Never throws: failures and vanished identities are items. */
  enrich: (item: T) => Promise<CollectedItem>;
  /** Sees each page's identities to enrich before their enrichment starts (e.g. to read in bulk). */
  beforeEnrich?: (items: T[]) => Promise<void>;
  /** Sees every page, its listed identities and those to enrich, before beforeEnrich. */
  beforePage?: (listed: T[], toEnrich: T[]) => Promise<void>;
}

export async function* identityPages<P extends MarkerPage, T>(
  ctx: AccountReadContext,
  options: CollectOptions,
  limit: LimitFunction,
  listing: IdentityListing<P, T>,
): AsyncGenerator<CollectedChunk> {
  const fail = (cause: unknown) => new AccountCollectionError(ctx.accountId, listing.action, cause);
  const { signal } = options;
  const pages = markerPages({
    action: listing.action,
    fetchPage: listing.fetchPage,
    fail,
    ...(signal !== undefined ? { signal } : {}),
  });
  for await (const page of pages) {
    const found = listing.itemsOf(page) ?? [];
    let listed: ListedIdentity[];
    try {
      // An identity without ARN, name or CreateDate cannot be keyed or checkpointed: the listing is unusable.
      listed = found.map(listing.listed);
    } catch (error) {
      throw fail(error);
    }
    yield { kind: 'page', listed };
    const toEnrich = found.filter((_, i) => options.shouldEnrich(listed[i]!));
    await listing.beforePage?.(found, toEnrich);
    if (toEnrich.length > 0) await listing.beforeEnrich?.(toEnrich);
    const lookAhead = lookAheadOf(limit, options.lookAhead);
    for await (const items of inListingOrder(toEnrich, listing.enrich, { limit, lookAhead, signal })) {
      yield { kind: 'items', items };
    }
    signal?.throwIfAborted();
  }
}

/** How a strategy enriches the users of a ListUsers page. */
export interface UserEnrichmentStep {
  enrich: (u: User) => Promise<CollectedItem>;
  beforeEnrich?: (users: User[]) => Promise<void>;
  beforePage?: (listed: User[], toEnrich: User[]) => Promise<void>;
}

/** The users of one account: ListUsers page by page, each enriched before the next is requested. */
export function userPages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
  limit: LimitFunction,
  step: UserEnrichmentStep,
): AsyncGenerator<CollectedChunk> {
  return identityPages(ctx, options, limit, {
    action: 'iam:ListUsers',
    fetchPage: (Marker) =>
      ctx.iam.send(withSignal(new ListUsersCommand({ MaxItems: config.page_size, Marker }), options.signal)),
    itemsOf: (page) => page.Users,
    listed: listedUser,
    enrich: step.enrich,
    ...(step.beforeEnrich !== undefined ? { beforeEnrich: step.beforeEnrich } : {}),
    ...(step.beforePage !== undefined ? { beforePage: step.beforePage } : {}),
  });
}

/** The roles of one account: ListRoles page by page, each enriched before the next is requested. */
export function rolePages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
  limit: LimitFunction,
  enrich: (r: Role) => Promise<CollectedItem>,
): AsyncGenerator<CollectedChunk> {
  return identityPages(ctx, options, limit, {
    action: 'iam:ListRoles',
    fetchPage: (Marker) =>
      ctx.iam.send(withSignal(new ListRolesCommand({ MaxItems: config.page_size, Marker }), options.signal)),
    itemsOf: (page) => page.Roles,
    listed: listedRole,
    enrich,
  });
}
