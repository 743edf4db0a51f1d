// Group membership read group by group (ListGroups, then GetGroup per group) instead of user by user
// (ListGroupsForUser), once an account pass has enriched more users than the account has groups: 100 groups
// cost about 101 calls where 1,000 users cost 1,000. It is an optimisation of the per-user strategy, never a
// source of values on its own:
// - the index is complete or unused: if ListGroups or any GetGroup fails after retries (or is denied), the
//   pass keeps asking ListGroupsForUser, and nothing is guessed;
// - members are matched by UserId (a user recreated under the same name is not taken for the old one), and
//   a user absent from every member list is taken as groupless only when it was listed before the lists
//   were read (membership-index.ts); ListGroupsForUser answers for the others.
// Membership is as of the index's read, as a user's other facts are as of their own reads: a snapshot taken
// during the run. A group deleted between ListGroups and GetGroup has no members.
import { GetGroupCommand, ListGroupsCommand, type Group, type User } from '@aws-sdk/client-iam';
import type { LimitFunction } from 'p-limit';
import { isNotFound } from '../aws/aws-error.js';
import { MembershipIndex } from './membership-index.js';
import { listAll, type AccountReadContext } from './iam-requests.js';
import { withSignal } from '../aws/call-signal.js';

/** Below this many enriched users the index cannot pay for the ListGroups call that sizes it. */
const MIN_USERS_FOR_INDEX = 10;

export class GroupMembership {
  private enriched = 0;
  private groups: Group[] | undefined;
  private index: MembershipIndex<Group> | undefined;
  private unavailable = false;

  constructor(
    private readonly ctx: AccountReadContext,
    private readonly limit: LimitFunction,
  ) {}

  /** Called with each listing page's users about to be enriched, before their enrichment starts. */
  async prepare(users: readonly User[]): Promise<void> {
    this.enriched += users.length;
    if (this.index !== undefined || this.unavailable || this.enriched < MIN_USERS_FOR_INDEX) return;
    try {
      this.groups ??= await this.listGroups();
      // Each group costs at least one GetGroup: worth it only once more users than that were enriched.
      if (this.enriched <= this.groups.length) return;
      this.index = new MembershipIndex(
        await this.readIndex(this.groups),
        users.flatMap((u) => (u.UserId !== undefined ? [u.UserId] : [])),
      );
      this.ctx.logger.debug(
        { accountId: this.ctx.accountId, groups: this.groups.length },
        'group memberships read group by group',
      );
    } catch (error) {
      this.ctx.signal?.throwIfAborted();
      this.unavailable = true;
      this.groups = undefined;
      this.ctx.logger.info(
        { accountId: this.ctx.accountId, err: error instanceof Error ? error.message : String(error) },
        'group memberships cannot be read group by group: reading them per user (ListGroupsForUser)',
      );
    }
  }

  /** The user's groups when the index knows them; undefined = ask ListGroupsForUser. */
  groupsOf(u: User): Group[] | undefined {
    return u.UserId === undefined ? undefined : this.index?.groupsOf(u.UserId);
  }

  private listGroups(): Promise<Group[]> {
    const { iam, signal } = this.ctx;
    return listAll(
      'iam:ListGroups',
      (Marker) => iam.send(withSignal(new ListGroupsCommand({ Marker, MaxItems: 1000 }), signal)),
      (p) => p.Groups,
    );
  }

  private async readIndex(groups: Group[]): Promise<Map<string, Group[]>> {
    const members = await Promise.all(groups.map((g) => this.limit(() => this.members(g))));
    const index = new Map<string, Group[]>();
    groups.forEach((group, i) => {
      for (const userId of members[i]!) {
        const of = index.get(userId);
        if (of === undefined) index.set(userId, [group]);
        else of.push(group);
      }
    });
    return index;
  }

  /** Member UserIds of one group; none when the group was deleted after ListGroups. */
  private async members(group: Group): Promise<string[]> {
    const { iam, signal } = this.ctx;
    const GroupName = group.GroupName;
    if (GroupName === undefined) throw new Error('ListGroups: a group without GroupName');
    try {
      const users = await listAll(
        'iam:GetGroup',
        (Marker) => iam.send(withSignal(new GetGroupCommand({ GroupName, Marker, MaxItems: 1000 }), signal)),
        (p) => p.Users,
      );
      return users.map((u) => {
        if (u.UserId === undefined) throw new Error(`GetGroup ${GroupName}: a member without UserId`);
        return u.UserId;
      });
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }
}
