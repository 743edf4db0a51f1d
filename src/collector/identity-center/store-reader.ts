// The pages of an Identity Center store: its users page by page, each with its groups.
//
// Memberships: groups are listed first (their display names are needed anyway). Then either every group's
// memberships are listed once (ListGroupMemberships: about G + M/100 calls) or each user's
// (ListGroupMembershipsForMember: one call per user). Stores usually have far fewer groups than users, so
// per-group wins; it is chosen when the groups are fewer than the users of the first page (or the first
// page is not the last one), otherwise per-user.
//
// With access on, the whole user listing is read first: the account assignments are then listed knowing
// how many users there are, and after all of them were listed, so that a listing per account can vouch
// for every user (see account-access.ts).
import type { User } from '@aws-sdk/client-identitystore';
import type { LimitFunction } from 'p-limit';
import type { Logger } from '../../log.js';
import { describeAwsError, isNotFound } from '../aws/aws-error.js';
import { failedItem } from '../aws/errors.js';
import { hasNextToken } from '../aws/pagination.js';
import { MembershipIndex } from '../iam/membership-index.js';
import { inListingOrder, lookAheadOf } from '../strategies/listing-order.js';
import type {
  AccountHandle,
  CollectedChunk,
  CollectedItem,
  CollectOptions,
  ListedIdentity,
} from '../source.js';
import { identityCenterUser, resolveGroups } from './identity-center-user.js';
import type { IdentityStore } from './identity-store.js';
import type { AccountAccess } from './account-access.js';

/** Loads the access of a store's users, given how many users and which groups it has. */
export type AccessLoader = (users: number, groupIds: string[]) => Promise<AccountAccess>;

export class IdentityStoreReader {
  constructor(
    private readonly store: IdentityStore,
    private readonly host: AccountHandle,
    private readonly logger: Logger,
    /** The collector's concurrency: how many users are read at once. */
    private readonly limit: LimitFunction,
    private readonly loadAccess?: AccessLoader,
  ) {}

  async *pages(options: CollectOptions): AsyncIterable<CollectedChunk> {
    const groups = await this.store.groupNames();
    if (this.loadAccess !== undefined) {
      yield* this.pagesWithAccess(groups, this.loadAccess, options);
      return;
    }
    let memberships: MembershipIndex<string> | undefined;
    let first = true;
    for await (const page of this.store.userPages(options.signal)) {
      const users = page.Users ?? [];
      if (first) {
        first = false;
        memberships = await this.membershipIndex(groups, users, hasNextToken(page));
      }
      yield* this.chunks(users, groups, memberships, undefined, options);
    }
  }

  private async *pagesWithAccess(
    groups: Map<string, string>,
    loadAccess: AccessLoader,
    options: CollectOptions,
  ): AsyncIterable<CollectedChunk> {
    const pages: User[][] = [];
    for await (const page of this.store.userPages(options.signal)) pages.push(page.Users ?? []);
    const all = pages.flat();
    const memberships = await this.membershipIndex(groups, all, false);
    const access = await loadAccess(all.length, [...groups.keys()]);
    for (const users of pages) yield* this.chunks(users, groups, memberships, access, options);
  }

  /**
   * A page's listed users, then the users in listing order as they are read, several at a time under the
   * collector's concurrency: most need no call (their groups and access are known already), but where
   * memberships or assignments are asked per user, one at a time made a store of thousands take minutes.
   */
  private async *chunks(
    users: User[],
    groups: Map<string, string>,
    memberships: MembershipIndex<string> | undefined,
    access: AccountAccess | undefined,
    options: CollectOptions,
  ): AsyncIterable<CollectedChunk> {
    // Users without an id were refused with the listing; each entry is paired with its user once.
    const entries = users.flatMap((user) =>
      user.UserId === undefined
        ? []
        : [{ user, userId: user.UserId, entry: { key: user.UserId, name: user.UserName ?? user.UserId } }],
    );
    yield { kind: 'page', listed: entries.map((e) => e.entry) };
    const toRead = entries.filter((e) => options.shouldEnrich(e.entry));
    const read = async ({ user, userId, entry }: (typeof entries)[number]): Promise<CollectedItem> => {
      const item = await this.collect(user, userId, entry, groups, memberships, options.signal);
      return access !== undefined && item.status === 'ok' ? withAccess(item, access, options) : item;
    };
    const { signal } = options;
    const lookAhead = lookAheadOf(this.limit, options.lookAhead);
    // On a stop request, what was read before it goes out; a read it cut short is no failure of the user.
    for await (const items of inListingOrder(toRead, read, { limit: this.limit, lookAhead, signal })) {
      yield { kind: 'items', items };
    }
    signal?.throwIfAborted();
  }

  /** Memberships read group by group, when that is cheaper than asking each user (see the top). */
  private async membershipIndex(
    groups: Map<string, string>,
    firstUsers: User[],
    morePages: boolean,
  ): Promise<MembershipIndex<string> | undefined> {
    const usersAtLeast = morePages ? Number.POSITIVE_INFINITY : firstUsers.length;
    let memberships: MembershipIndex<string> | undefined;
    if (groups.size < usersAtLeast) {
      memberships = new MembershipIndex(
        await this.store.membershipsOfAllGroups(groups.keys()),
        firstUsers.flatMap((u) => (u.UserId !== undefined ? [u.UserId] : [])),
      );
    }
    this.logger.debug(
      {
        identityStoreId: this.store.storeId,
        groups: groups.size,
        memberships: memberships ? 'per-group' : 'per-user',
      },
      'identity center memberships',
    );
    return memberships;
  }

  /** One listed user with its groups; never throws: failures and vanished users are items. */
  private async collect(
    user: User,
    userId: string,
    entry: ListedIdentity,
    groups: Map<string, string>,
    memberships: MembershipIndex<string> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CollectedItem> {
    // A user the group lists cannot vouch for (listed after they were read) is asked itself.
    let groupIds = memberships?.groupsOf(userId);
    if (groupIds === undefined) {
      try {
        groupIds = await this.store.membershipsOfUser(userId, signal);
      } catch (error) {
        if (isNotFound(error)) {
          this.logger.debug({ userId }, 'identity center user vanished during collection');
          return { status: 'vanished', key: entry.key, name: entry.name };
        }
        return {
          status: 'failed',
          key: entry.key,
          name: entry.name,
          action: 'identitystore:ListGroupMembershipsForMember',
          error: describeAwsError(error),
        };
      }
    }
    const resolved = resolveGroups(groupIds, groups);
    if (resolved === undefined) {
      // A group created after ListGroups: its name is unknown, and a nameless group would be a wrong value.
      return {
        status: 'failed',
        key: entry.key,
        name: entry.name,
        action: 'identitystore:ListGroups',
        error: 'member of a group created during collection',
      };
    }
    return {
      status: 'ok',
      identity: identityCenterUser(this.host, this.store.storeId, user, userId, resolved),
    };
  }
}

/** The item with the user's account assignments and its groups' permission sets; a failed read fails it. */
async function withAccess(
  item: CollectedItem & { status: 'ok' },
  access: AccountAccess,
  options: CollectOptions,
): Promise<CollectedItem> {
  const user = item.identity;
  if (user.kind !== 'identity_center_user') return item;
  try {
    const { assignments, groups } = await access.of(user.userId, user.groups, options.signal);
    return { status: 'ok', identity: { ...user, groups, assignments } };
  } catch (error) {
    return failedItem(user.userId, user.userName, error);
  }
}
