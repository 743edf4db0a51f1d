// Group memberships read group by group (each group's member list), and what they can vouch for. A member
// found in a list is in that group. A member found in none has no group only if it was listed before the
// lists were read: it existed then. One listed later may be newer than the lists, and must be asked itself.
// Shared by IAM (GetGroup) and Identity Center (ListGroupMemberships).
export class MembershipIndex<G> {
  private readonly listedBefore: ReadonlySet<string>;

  constructor(
    private readonly byMember: ReadonlyMap<string, G[]>,
    listedBefore: Iterable<string>,
  ) {
    this.listedBefore = new Set(listedBefore);
  }

  /** The member's groups; undefined when the index cannot vouch for it (ask the member's own call). */
  groupsOf(memberId: string): G[] | undefined {
    return this.byMember.get(memberId) ?? (this.listedBefore.has(memberId) ? [] : undefined);
  }
}
