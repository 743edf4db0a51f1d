// IAM Identity Center users from the Identity Store API. The store lives in one account (the organization's
// management account or a delegated admin); its users are not IAM users and have no CreateDate, so this
// source has no creation checkpoint and is synced by full-mode fingerprints.
//
// Memberships: groups are listed first (their display names are needed anyway). Then either every group's
// memberships are listed once (ListGroupMemberships: about G + M/100 calls) or each user's
// (ListGroupMembershipsForMember: one call per user). Stores usually have far fewer groups than users, so
// per-group wins; it is chosen when the groups are fewer than the users of the first page (or the first
// page is not the last one), otherwise per-user.
import {
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type User,
} from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { createClientFor } from '../aws/clients.js';
import { describeAwsError, isNotFound } from '../aws/aws-error.js';
import { AccountCollectionError, required } from '../aws/errors.js';
import type { IdentityCenterGroup, IdentityCenterUser } from '../../identity/identity.js';
import { MembershipIndex } from '../iam/membership-index.js';
import type {
  AccountHandle,
  AwsCallObserver,
  CollectedItem,
  CollectedPage,
  CollectOptions,
  IdentitySource,
  ListedIdentity,
} from '../source.js';

export interface IdentityCenterSourceParams {
  config: Config;
  /** Credentials and endpoint of the account that hosts the identity store. */
  hostHandle: AccountHandle;
  logger: Logger;
  observer?: AwsCallObserver;
  /** MaxResults of every Identity Store list call (AWS max 100); small values in tests. */
  pageSize?: number;
}

const MAX_PAGE_SIZE = 100;

/**
 * Opens the Identity Center source. Async because, without identity_center.identity_store_id, the store id
 * (which names the source's scope) is discovered first with sso-admin ListInstances.
 */
export async function identityCenterSource(params: IdentityCenterSourceParams): Promise<IdentitySource> {
  const { config, hostHandle } = params;
  const region = config.identity_center.region ?? config.aws.region;
  const clientOptions = {
    region,
    ...(hostHandle.endpoint !== undefined ? { endpoint: hostHandle.endpoint } : {}),
    credentials: hostHandle.credentials,
    maxAttempts: config.aws.max_attempts,
    accountId: hostHandle.accountId,
    ...(params.observer !== undefined ? { observer: params.observer } : {}),
  };
  const storeId =
    config.identity_center.identity_store_id ??
    (await discoverIdentityStoreId(createClientFor(SSOAdminClient, clientOptions), hostHandle.accountId));
  const client = createClientFor(IdentitystoreClient, clientOptions);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, params.pageSize ?? MAX_PAGE_SIZE));
  const store = new IdentityStoreReader(client, storeId, pageSize, hostHandle, params.logger);
  return {
    scope: `identity-center:${storeId}`,
    kind: 'identity_center',
    accountId: hostHandle.accountId,
    ...(hostHandle.accountAlias !== undefined ? { accountAlias: hostHandle.accountAlias } : {}),
    hasCreationCheckpoint: false,
    pages: (options) => store.pages(options),
  };
}

/** The identity store id of the (single) Identity Center instance visible to the host account. */
export async function discoverIdentityStoreId(sso: SSOAdminClient, accountId: string): Promise<string> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const out = await sso.send(new ListInstancesCommand({ NextToken: nextToken }));
      for (const instance of out.Instances ?? []) {
        if (instance.IdentityStoreId !== undefined) ids.push(instance.IdentityStoreId);
      }
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
  } catch (error) {
    throw new AccountCollectionError(accountId, 'sso:ListInstances', error);
  }
  const [first] = ids;
  if (first === undefined) {
    throw new AccountCollectionError(
      accountId,
      'sso:ListInstances',
      new Error('no IAM Identity Center instance found: set identity_center.identity_store_id or region'),
    );
  }
  if (ids.length > 1) {
    throw new AccountCollectionError(
      accountId,
      'sso:ListInstances',
      new Error(
        `several Identity Center instances (${ids.join(', ')}): set identity_center.identity_store_id`,
      ),
    );
  }
  return first;
}

class IdentityStoreReader {
  constructor(
    private readonly client: IdentitystoreClient,
    private readonly storeId: string,
    private readonly pageSize: number,
    private readonly host: AccountHandle,
    private readonly logger: Logger,
  ) {}

  async *pages(options: CollectOptions): AsyncIterable<CollectedPage> {
    const groups = await this.listGroups();
    let memberships: MembershipIndex<string> | undefined;
    let nextToken: string | undefined;
    let first = true;
    do {
      options.signal?.throwIfAborted();
      let users: User[];
      try {
        const out = await this.client.send(
          new ListUsersCommand({
            IdentityStoreId: this.storeId,
            MaxResults: this.pageSize,
            NextToken: nextToken,
          }),
          { abortSignal: options.signal },
        );
        users = out.Users ?? [];
        // A user without an id cannot be keyed: the listing is unusable, not a user to drop silently.
        for (const u of users) required(u.UserId, 'identitystore:ListUsers: UserId');
        nextToken = out.NextToken;
      } catch (error) {
        throw new AccountCollectionError(this.host.accountId, 'identitystore:ListUsers', error);
      }
      if (first) {
        first = false;
        const usersAtLeast = nextToken !== undefined ? Number.POSITIVE_INFINITY : users.length;
        if (groups.size < usersAtLeast) {
          memberships = new MembershipIndex(
            await this.membershipsOfAllGroups(groups),
            users.flatMap((u) => (u.UserId !== undefined ? [u.UserId] : [])),
          );
        }
        this.logger.debug(
          {
            identityStoreId: this.storeId,
            groups: groups.size,
            memberships: memberships ? 'per-group' : 'per-user',
          },
          'identity center memberships',
        );
      }
      const listed: ListedIdentity[] = [];
      const items: CollectedItem[] = [];
      for (const user of users) {
        if (user.UserId === undefined) continue; // checked with the listing
        const entry: ListedIdentity = { key: user.UserId, name: user.UserName ?? user.UserId };
        listed.push(entry);
        if (!options.shouldEnrich(entry)) continue;
        // A user the group lists cannot vouch for (listed after they were read) is asked itself.
        let groupIds = memberships?.groupsOf(user.UserId);
        if (groupIds === undefined) {
          try {
            groupIds = await this.membershipsOfUser(user.UserId, options.signal);
          } catch (error) {
            if (isNotFound(error)) {
              this.logger.debug({ userId: user.UserId }, 'identity center user vanished during collection');
              items.push({ status: 'vanished', key: entry.key, name: entry.name });
            } else {
              items.push({
                status: 'failed',
                key: entry.key,
                name: entry.name,
                action: 'identitystore:ListGroupMembershipsForMember',
                error: describeAwsError(error),
              });
            }
            continue;
          }
        }
        const resolved = this.resolveGroups(groupIds, groups);
        if (resolved === undefined) {
          // A group created after ListGroups: its name is unknown, and a nameless group would be a wrong value.
          items.push({
            status: 'failed',
            key: entry.key,
            name: entry.name,
            action: 'identitystore:ListGroups',
            error: 'member of a group created during collection',
          });
          continue;
        }
        items.push({ status: 'ok', identity: this.toIdentity(user, user.UserId, resolved) });
      }
      yield { listed, items };
    } while (nextToken !== undefined);
  }

  private async listGroups(): Promise<Map<string, string>> {
    const groups = new Map<string, string>();
    let nextToken: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new ListGroupsCommand({
            IdentityStoreId: this.storeId,
            MaxResults: this.pageSize,
            NextToken: nextToken,
          }),
        );
        for (const g of out.Groups ?? []) {
          if (g.GroupId !== undefined) groups.set(g.GroupId, g.DisplayName ?? g.GroupId);
        }
        nextToken = out.NextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      throw new AccountCollectionError(this.host.accountId, 'identitystore:ListGroups', error);
    }
    return groups;
  }

  private async membershipsOfAllGroups(groups: Map<string, string>): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for (const groupId of groups.keys()) {
      let nextToken: string | undefined;
      try {
        do {
          const out = await this.client.send(
            new ListGroupMembershipsCommand({
              IdentityStoreId: this.storeId,
              GroupId: groupId,
              MaxResults: this.pageSize,
              NextToken: nextToken,
            }),
          );
          for (const m of out.GroupMemberships ?? []) {
            const userId = m.MemberId !== undefined && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined;
            if (userId === undefined) continue;
            const list = byUser.get(userId);
            if (list === undefined) byUser.set(userId, [groupId]);
            else list.push(groupId);
          }
          nextToken = out.NextToken;
        } while (nextToken !== undefined);
      } catch (error) {
        // A group deleted since ListGroups has no members left to report.
        if (isNotFound(error)) continue;
        throw new AccountCollectionError(this.host.accountId, 'identitystore:ListGroupMemberships', error);
      }
    }
    return byUser;
  }

  private async membershipsOfUser(userId: string, signal: AbortSignal | undefined): Promise<string[]> {
    const groupIds: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client.send(
        new ListGroupMembershipsForMemberCommand({
          IdentityStoreId: this.storeId,
          MemberId: { UserId: userId },
          MaxResults: this.pageSize,
          NextToken: nextToken,
        }),
        { abortSignal: signal },
      );
      for (const m of out.GroupMemberships ?? []) if (m.GroupId !== undefined) groupIds.push(m.GroupId);
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
    return groupIds;
  }

  /** Groups sorted by display name (then id); undefined when one is unknown. */
  private resolveGroups(groupIds: string[], groups: Map<string, string>): IdentityCenterGroup[] | undefined {
    const out: IdentityCenterGroup[] = [];
    for (const groupId of new Set(groupIds)) {
      const displayName = groups.get(groupId);
      if (displayName === undefined) return undefined;
      out.push({ groupId, displayName });
    }
    return out.sort((a, b) => compare(a.displayName, b.displayName) || compare(a.groupId, b.groupId));
  }

  private toIdentity(user: User, userId: string, groups: IdentityCenterGroup[]): IdentityCenterUser {
    const email = user.Emails?.find((e) => e.Primary === true)?.Value;
    const identity: IdentityCenterUser = {
      kind: 'identity_center_user',
      accountId: this.host.accountId,
      identityStoreId: this.storeId,
      userId,
      userName: user.UserName ?? userId,
      groups,
    };
    if (this.host.accountAlias !== undefined) identity.accountAlias = this.host.accountAlias;
    if (user.DisplayName !== undefined) identity.displayName = user.DisplayName;
    if (user.Name?.GivenName !== undefined) identity.givenName = user.Name.GivenName;
    if (user.Name?.FamilyName !== undefined) identity.familyName = user.Name.FamilyName;
    if (user.Name?.Formatted !== undefined) identity.formattedName = user.Name.Formatted;
    if (email !== undefined) identity.primaryEmail = email;
    return identity;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
