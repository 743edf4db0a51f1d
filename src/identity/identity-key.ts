// The rules that name an identity across the product: the state key, the display name and the creation date
// that drives the incremental watermark. The collector's listings and the run's ledger must agree on them.
import type { Identity } from './identity.js';

/** Stable key: the ARN for IAM users and roles, the identity-store user id for Identity Center users. */
export function identityKey(identity: Identity): string {
  return identity.kind === 'identity_center_user' ? identity.userId : identity.arn;
}

export function identityName(identity: Identity): string {
  switch (identity.kind) {
    case 'iam_user':
      return identity.userName;
    case 'iam_role':
      return identity.roleName;
    case 'identity_center_user':
      return identity.userName;
  }
}

/** Epoch ms; undefined for Identity Center users, which have no creation-date checkpoint. */
export function identityCreateDate(identity: Identity): number | undefined {
  return identity.kind === 'identity_center_user' ? undefined : identity.createDate;
}
