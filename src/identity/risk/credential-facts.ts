// Facts about an IAM user's credentials that several rules read the same way.
import type { AccessKey, IamUser } from '../identity.js';

/** From the credential report only mfa_active is known (no devices listed): it is the answer then. */
export function hasMfa(user: IamUser): boolean {
  return user.mfaActive ?? user.mfaDevices.length > 0;
}

/** undefined when the access keys were not collected. */
export function activeKeys(user: IamUser): AccessKey[] | undefined {
  return user.accessKeys?.filter((key) => key.status === 'Active');
}

export function sortedById(keys: readonly AccessKey[]): AccessKey[] {
  return [...keys].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
