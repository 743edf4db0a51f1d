// What a perfect collector must report for each seeded identity. The generator fills this by construction
// (it knows which policies it made admin-equivalent and which are decoys), never by re-running the
// product's own analysis, so tests comparing events with it can fail.

export type ExpectedMfaType = 'virtual' | 'hardware' | 'security_key';

export interface ExpectedGroup {
  name: string;
  arn: string;
  /** Attached managed policy names, then inline policy names, each sorted. */
  privileges: string[];
}

export interface ExpectedAccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  createDate: number;
  lastUsedTime?: number;
}

export interface ExpectedUser {
  accountId: string;
  accountAlias?: string;
  arn: string;
  userName: string;
  userId: string;
  path: string;
  createDate: number;
  /** Sorted by group name. */
  groups: ExpectedGroup[];
  /** Names, sorted. */
  attachedPolicyNames: string[];
  inlinePolicyNames: string[];
  hasMfa: boolean;
  /** Sorted, one entry per device. */
  mfaTypes: ExpectedMfaType[];
  mfaSerials: string[];
  /** Sorted by id. */
  accessKeys: ExpectedAccessKey[];
  hasLoginProfile: boolean;
  passwordLastUsed?: number;
  /** No login profile and no Active access key. */
  isDisabled: boolean;
  /** Sorted by key. */
  tags: { key: string; value: string }[];
  permissionsBoundaryArn?: string;
  isAdmin: boolean;
  /**
   * Why the user is admin (empty when not), sorted. Forms:
   *   "user/<Policy>"                managed policy attached to the user
   *   "inline:user/<Policy>"         inline policy on the user
   *   "group:<Group>/<Policy>"       managed policy attached to a group
   *   "inline:group:<Group>/<Policy>" inline policy on a group
   */
  adminVia: string[];
  /** Only AdministratorAccess by name, attached to the user or a group (the core issue's rule). */
  isAdminByName: boolean;
}

export interface ExpectedRole {
  accountId: string;
  arn: string;
  roleName: string;
  roleId: string;
  createDate: number;
  /** Principals from the trust policy, e.g. "Service:ec2.amazonaws.com", "AWS:arn:aws:iam::...:root". */
  trustPrincipals: string[];
}

export interface ExpectedIdentityCenterUser {
  identityStoreId: string;
  hostAccountId: string;
  userId: string;
  userName: string;
  displayName?: string;
  fullName?: string;
  email?: string;
  /** Group display names, sorted. */
  groups: string[];
  /** Account assignments, direct and through groups, sorted by account, permission set name, via. */
  assignments: ExpectedAccountAssignment[];
  /**
   * Accounts where the user is admin when every assigned account is inventoried (sorted, unique). An
   * assignment with needsAccount in an account not inventoried is unverified instead.
   */
  adminAccounts: string[];
}

export interface ExpectedAccountAssignment {
  accountId: string;
  /** The organization's name of the account. */
  accountName?: string;
  permissionSetArn: string;
  permissionSetName: string;
  /** "user" or "group:<DisplayName>". */
  via: string;
  admin: boolean;
  /** The verdict needs the assigned account's customer managed policies (unverified when not read). */
  needsAccount: boolean;
}

export interface GroundTruth {
  /** Keyed by user ARN. */
  users: Map<string, ExpectedUser>;
  roles: Map<string, ExpectedRole>;
  identityCenterUsers: Map<string, ExpectedIdentityCenterUser>;
}
