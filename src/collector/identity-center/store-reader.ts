// The pages of an Identity Center store: its users page by page, each with its groups.
//
// Memberships: groups are listed first (their display names are needed anyway). Then either every group's
// memberships are listed once (ListGroupMemberships: about G + M/100 calls) or each user's
// (ListGroupMembershipsForMember: one call per user). Stores usually have far fewer groups than users, so
// per-group wins; it is chosen when the groups are fewer than the users of the first page (or the first
// page is not the last one), otherwise per-user.
import type { User } from '@aws-sdk/client-identitystore';
import type { Logger } from '../../log.js';
import { describeAwsError, isNotFound } from '../aws/aws-error.js';
import { hasNextToken } from '../aws/pagination.js';
import { MembershipIndex } from '../iam/membership-index.js';
import type {
  AccountHandle,
  CollectedChunk,
  CollectedItem,
  CollectOptions,
  ListedIdentity,
} from '../source.js';
import { identityCenterUser, resolveGroups } from './identity-center-user.js';
import type { IdentityStore } from './identity-store.js';

export class IdentityStoreReader {
  constructor(
    private readonly store: IdentityStore,
    private readonly host: AccountHandle,
    private readonly logger: Logger,
  ) {}

  async *pages(options: CollectOptions): AsyncIterable<CollectedChunk> {
    const groups = await this.store.groupNames();
    let memberships: MembershipIndex<string> | undefined;
    let first = true;
    for await (const page of this.store.userPages(options.signal)) {
      const users = page.Users ?? [];
      if (first) {
        first = false;
        memberships = await this.membershipIndex(groups, users, hasNextToken(page));
      }
      const listed: ListedIdentity[] = [];
      for (const user of users) {
        // checked with the listing
        if (user.UserId !== undefined) listed.push({ key: user.UserId, name: user.UserName ?? user.UserId });
      }
      yield { kind: 'page', listed };
      // One user at a time (its groups are mostly known already), each handed on as soon as it is read.
      for (const user of users) {
        if (user.UserId === undefined) continue;
        const entry: ListedIdentity = { key: user.UserId, name: user.UserName ?? user.UserId };
        if (!options.shouldEnrich(entry)) continue;
        const item = await this.collect(user, user.UserId, entry, groups, memberships, options.signal);
        // A read cut short by a stop request is not a failure of the user: the listing stops there.
        if (item.status === 'failed') options.signal?.throwIfAborted();
        yield { kind: 'items', items: [item] };
      }
      options.signal?.throwIfAborted();
    }
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
