// Plain records produced by the collector: what AWS said, nothing derived for OCSF. Times are epoch
// milliseconds. A field that is `undefined` was not collected (feature off); it never stands for "none".
// A failed call never becomes a value here: the collector drops the whole identity instead.

/** A parsed IAM policy document (JSON already URL-decoded and parsed). */
export type PolicyDocument = {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
  [key: string]: unknown;
};

export type PolicyStatement = {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
};

/** A managed policy attached to a user, group or role. `document` is the default version, when read. */
export interface ManagedPolicyRef {
  name: string;
  arn: string;
  /** Shared by every holder of the policy: never mutate. */
  document?: PolicyDocument;
}

/** An inline policy embedded in a user, group or role. */
export interface InlinePolicy {
  name: string;
  document?: PolicyDocument;
}

export interface IamGroup {
  name: string;
  arn: string;
  groupId?: string;
  path?: string;
  attachedPolicies: ManagedPolicyRef[];
  inlinePolicies: InlinePolicy[];
}

export type MfaDeviceType = 'virtual' | 'hardware' | 'security_key';

export interface MfaDevice {
  serial: string;
  type: MfaDeviceType;
  enableDate?: number;
}

export interface AccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  createDate?: number;
  /** Absent when the key was never used. */
  lastUsedTime?: number;
  lastUsedService?: string;
  lastUsedRegion?: string;
}

export interface LoginProfile {
  createDate?: number;
  passwordResetRequired?: boolean;
}

export interface Tag {
  key: string;
  value: string;
}

export interface PermissionsBoundary {
  arn: string;
  type?: string;
  document?: PolicyDocument;
}

/** Where MFA information came from, and how old it is when it came from the credential report. */
export interface MfaProvenance {
  source: 'api' | 'credential_report';
  /** Credential report generation time, when source is credential_report. */
  reportGeneratedAt?: number;
}

export interface IamUser {
  kind: 'iam_user';
  accountId: string;
  accountAlias?: string;
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: number;
  /** From GetUser / ListUsers; absent when the password was never used or there is no password. */
  passwordLastUsed?: number;
  groups: IamGroup[];
  attachedPolicies: ManagedPolicyRef[];
  inlinePolicies: InlinePolicy[];
  mfaDevices: MfaDevice[];
  mfaProvenance: MfaProvenance;
  /**
   * Set only when MFA came from the credential report (mfaProvenance.source 'credential_report'): whether
   * the user has an active MFA device. The report names no devices, so mfaDevices is then [] meaning
   * "types unknown", not "no devices". Readers: has MFA = mfaActive ?? mfaDevices.length > 0.
   */
  mfaActive?: boolean;
  /**
   * Credential report generation time, set when any of the user's credential facts came from the report:
   * MFA (then also in mfaProvenance), access keys (none, or their last use) or login profile presence.
   * Those facts are as old as the report even when MFA itself was read from the API.
   */
  credentialReportGeneratedAt?: number;
  /** undefined = not collected. */
  accessKeys?: AccessKey[];
  /** undefined = not collected; null = the user has no login profile. */
  loginProfile?: LoginProfile | null;
  tags?: Tag[];
  permissionsBoundary?: PermissionsBoundary;
}

export interface IamRole {
  kind: 'iam_role';
  accountId: string;
  accountAlias?: string;
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: number;
  description?: string;
  lastUsedTime?: number;
  /** Parsed trust policy. */
  trustPolicy?: PolicyDocument;
  attachedPolicies: ManagedPolicyRef[];
  inlinePolicies: InlinePolicy[];
  tags?: Tag[];
  permissionsBoundary?: PermissionsBoundary;
}

export interface IdentityCenterGroup {
  groupId: string;
  displayName: string;
  /** Names of the permission sets assigned to the group (sorted, unique); undefined = access not read. */
  permissionSets?: string[];
}

/** A customer managed policy reference of a permission set: resolved by name and path in each account. */
export interface CustomerManagedPolicyReference {
  name: string;
  path: string;
}

/** An Identity Center permission set as sso-admin describes it. */
export interface PermissionSet {
  arn: string;
  name: string;
  /** AWS managed policies (their documents are not read: AdministratorAccess is judged by ARN). */
  managedPolicies: { name: string; arn: string }[];
  inlinePolicy?: PolicyDocument;
  customerManagedPolicies: CustomerManagedPolicyReference[];
  permissionsBoundary?:
    { managedPolicyArn: string } | { customerManagedPolicy: CustomerManagedPolicyReference };
}

/** One account assignment of an Identity Center user, direct or through a group, with its verdict. */
export interface AccountAssignment {
  accountId: string;
  accountName?: string;
  permissionSetArn: string;
  permissionSetName: string;
  /** "user" or "group:<DisplayName>". */
  via: string;
  admin: boolean;
  /** The verdict needed a customer managed policy of an account that is not inventoried. */
  adminUnverified?: true;
}

export interface IdentityCenterUser {
  kind: 'identity_center_user';
  /** The AWS account that hosts the identity store. */
  accountId: string;
  accountAlias?: string;
  identityStoreId: string;
  userId: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  formattedName?: string;
  primaryEmail?: string;
  groups: IdentityCenterGroup[];
  /** Sorted by account, permission set name, via; undefined = access not collected (never "none"). */
  assignments?: AccountAssignment[];
}

export type Identity = IamUser | IamRole | IdentityCenterUser;
