// An Identity Center user as the collector reports it, from the store's user and its resolved groups.
import type { User } from '@aws-sdk/client-identitystore';
import type { IdentityCenterGroup, IdentityCenterUser } from '../../identity/identity.js';
import type { AccountHandle } from '../source.js';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups sorted by display name (then id); undefined when one is unknown. */
export function resolveGroups(
  groupIds: string[],
  names: ReadonlyMap<string, string>,
): IdentityCenterGroup[] | undefined {
  const out: IdentityCenterGroup[] = [];
  for (const groupId of new Set(groupIds)) {
    const displayName = names.get(groupId);
    if (displayName === undefined) return undefined;
    out.push({ groupId, displayName });
  }
  return out.sort((a, b) => compare(a.displayName, b.displayName) || compare(a.groupId, b.groupId));
}

export function identityCenterUser(
  host: AccountHandle,
  storeId: string,
  user: User,
  userId: string,
  groups: IdentityCenterGroup[],
): IdentityCenterUser {
  const email = user.Emails?.find((e) => e.Primary === true)?.Value;
  const identity: IdentityCenterUser = {
    kind: 'identity_center_user',
    accountId: host.accountId,
    identityStoreId: storeId,
    userId,
    userName: user.UserName ?? userId,
    groups,
  };
  if (host.accountAlias !== undefined) identity.accountAlias = host.accountAlias;
  if (user.DisplayName !== undefined) identity.displayName = user.DisplayName;
  if (user.Name?.GivenName !== undefined) identity.givenName = user.Name.GivenName;
  if (user.Name?.FamilyName !== undefined) identity.familyName = user.Name.FamilyName;
  if (user.Name?.Formatted !== undefined) identity.formattedName = user.Name.Formatted;
  if (email !== undefined) identity.primaryEmail = email;
  return identity;
}
