// The Identity Store calls of one store: its users page by page, its groups, and group memberships group by
// group or user by user. A failed listing names the account and the action (AccountCollectionError).
import {
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type IdentitystoreClient,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-identitystore';
import { isNotFound } from '../aws/aws-error.js';
import { AccountCollectionError, required } from '../aws/errors.js';
import { allItems, tokenPages } from '../aws/pagination.js';
import { withSignal } from '../aws/call-signal.js';

export class IdentityStore {
  constructor(
    private readonly client: IdentitystoreClient,
    readonly storeId: string,
    /** MaxResults of every list call (AWS max 100). */
    private readonly pageSize: number,
    /** The account that hosts the store, for errors. */
    private readonly accountId: string,
  ) {}

  /** ListUsers page by page; a user without an id fails the listing. */
  userPages(signal: AbortSignal | undefined): AsyncGenerator<ListUsersCommandOutput> {
    const action = 'identitystore:ListUsers';
    return tokenPages({
      action,
      fetchPage: async (NextToken) => {
        const out = await this.client.send(
          withSignal(
            new ListUsersCommand({ IdentityStoreId: this.storeId, MaxResults: this.pageSize, NextToken }),
            signal,
          ),
        );
        // A user without an id cannot be keyed: the listing is unusable, not a user to drop silently.
        for (const u of out.Users ?? []) required(u.UserId, 'identitystore:ListUsers: UserId');
        return out;
      },
      fail: (cause) => new AccountCollectionError(this.accountId, action, cause),
      ...(signal !== undefined ? { signal } : {}),
    });
  }

  /** Display names by group id. */
  async groupNames(): Promise<Map<string, string>> {
    const action = 'identitystore:ListGroups';
    const pages = tokenPages({
      action,
      fetchPage: (NextToken) =>
        this.client.send(
          new ListGroupsCommand({ IdentityStoreId: this.storeId, MaxResults: this.pageSize, NextToken }),
        ),
      fail: (cause) => new AccountCollectionError(this.accountId, action, cause),
    });
    const groups = new Map<string, string>();
    for (const g of await allItems(pages, (p) => p.Groups)) {
      if (g.GroupId !== undefined) groups.set(g.GroupId, g.DisplayName ?? g.GroupId);
    }
    return groups;
  }

  /** Group ids by member user id, from every group's member list (ListGroupMemberships). */
  async membershipsOfAllGroups(groupIds: Iterable<string>): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for (const groupId of groupIds) {
      const pages = tokenPages({
        action: 'identitystore:ListGroupMemberships',
        fetchPage: (NextToken) =>
          this.client.send(
            new ListGroupMembershipsCommand({
              IdentityStoreId: this.storeId,
              GroupId: groupId,
              MaxResults: this.pageSize,
              NextToken,
            }),
          ),
      });
      try {
        for await (const page of pages) {
          for (const m of page.GroupMemberships ?? []) {
            const userId = m.MemberId !== undefined && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined;
            if (userId === undefined) continue;
            const list = byUser.get(userId);
            if (list === undefined) byUser.set(userId, [groupId]);
            else list.push(groupId);
          }
        }
      } catch (error) {
        // A group deleted since ListGroups has no members left to report.
        if (isNotFound(error)) continue;
        throw new AccountCollectionError(this.accountId, 'identitystore:ListGroupMemberships', error);
      }
    }
    return byUser;
  }

  /** The group ids of one user (ListGroupMembershipsForMember); errors as the SDK threw them. */
  membershipsOfUser(userId: string, signal: AbortSignal | undefined): Promise<string[]> {
    const pages = tokenPages({
      action: 'identitystore:ListGroupMembershipsForMember',
      fetchPage: (NextToken) =>
        this.client.send(
          withSignal(
            new ListGroupMembershipsForMemberCommand({
              IdentityStoreId: this.storeId,
              MemberId: { UserId: userId },
              MaxResults: this.pageSize,
              NextToken,
            }),
            signal,
          ),
        ),
    });
    return allItems(pages, (p) => p.GroupMemberships).then((memberships) =>
      memberships.flatMap((m) => (m.GroupId !== undefined ? [m.GroupId] : [])),
    );
  }
}
