// The emulator's in-memory world. The generator builds it, service modules read it, mutations change it.
// Times are epoch milliseconds (AWS wire format is ISO 8601 with second precision: keep values whole seconds).
import type { EmuQueue } from './sqs/queue.js';

export interface EmuPolicyVersion {
  versionId: string;
  /** The policy document as JSON text (not URL-encoded; the wire layer encodes it as AWS does). */
  document: string;
  isDefault: boolean;
  createDate: number;
}

export interface EmuPolicy {
  arn: string;
  name: string;
  policyId: string;
  path: string;
  awsManaged: boolean;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  versions: EmuPolicyVersion[];
}

export type EmuMfaKind = 'virtual' | 'hardware' | 'u2f';

export interface EmuMfaDevice {
  /** virtual: arn:aws:iam::ACCOUNT:mfa/NAME; u2f/passkey: arn:aws:iam::ACCOUNT:u2f/user/NAME/ID; hardware: GAHT12345678 */
  serial: string;
  kind: EmuMfaKind;
  enableDate: number;
}

export interface EmuAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: number;
  lastUsed?: { date: number; serviceName: string; region: string };
}

export interface EmuTag {
  Key: string;
  Value: string;
}

export interface EmuUser {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: number;
  passwordLastUsed?: number;
  loginProfile?: { createDate: number; passwordResetRequired: boolean };
  /** Group names. */
  groups: string[];
  attachedPolicyArns: string[];
  /** Inline policy name -> document JSON text. */
  inlinePolicies: Record<string, string>;
  mfaDevices: EmuMfaDevice[];
  accessKeys: EmuAccessKey[];
  tags: EmuTag[];
  permissionsBoundaryArn?: string;
}

export interface EmuGroup {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  createDate: number;
  attachedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
}

export interface EmuRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: number;
  description?: string;
  maxSessionDuration: number;
  /** Trust policy JSON text. */
  assumeRolePolicyDocument: string;
  attachedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
  tags: EmuTag[];
  permissionsBoundaryArn?: string;
  lastUsed?: { date: number; region: string };
}

export interface EmuCredentialReport {
  state: 'STARTED' | 'COMPLETE';
  /** When GenerateCredentialReport was first called for this report. */
  startedAt: number;
  /** When it became (or becomes) COMPLETE. */
  completeAt: number;
  /** Set once COMPLETE: the CSV as built at completion time. */
  csv?: string;
}

export interface EmuIdentityStoreUser {
  userId: string;
  userName: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  emails: { value: string; type?: string; primary: boolean }[];
}

export interface EmuIdentityStoreGroup {
  groupId: string;
  displayName: string;
  description?: string;
}

export interface EmuIdentityStore {
  identityStoreId: string;
  instanceArn: string;
  /** Account hosting the store (the organization's management account or a delegated admin). */
  accountId: string;
  region: string;
  users: Map<string, EmuIdentityStoreUser>;
  groups: Map<string, EmuIdentityStoreGroup>;
  /** membershipId -> (groupId, userId) */
  memberships: Map<string, { groupId: string; userId: string }>;
  /** The instance's permission sets, keyed by ARN. */
  permissionSets: Map<string, EmuPermissionSet>;
  /** Account assignments: who (user or group) gets which permission set in which account. */
  accountAssignments: EmuAccountAssignment[];
}

/** A customer managed policy reference: a name and path resolved in each assigned account. */
export interface EmuCustomerManagedPolicyReference {
  name: string;
  path: string;
}

export interface EmuPermissionSet {
  arn: string;
  name: string;
  description?: string;
  createdDate: number;
  sessionDuration: string;
  /** AWS managed policy ARNs. */
  managedPolicyArns: string[];
  /** The inline policy document (JSON text), when set. */
  inlinePolicy?: string;
  customerManagedPolicies: EmuCustomerManagedPolicyReference[];
  permissionsBoundary?:
    { managedPolicyArn: string } | { customerManagedPolicyReference: EmuCustomerManagedPolicyReference };
}

export interface EmuAccountAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export interface EmuAccount {
  id: string;
  alias?: string;
  /** Keyed by user name. */
  users: Map<string, EmuUser>;
  groups: Map<string, EmuGroup>;
  /** Customer managed policies, keyed by ARN. */
  policies: Map<string, EmuPolicy>;
  roles: Map<string, EmuRole>;
  credentialReport?: EmuCredentialReport;
  /** How long a generated report takes to become COMPLETE (ms); 0 = immediately on first Get. */
  credentialReportDelayMs: number;
}

export interface EmuOrgAccount {
  id: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** Parent OU or root id. */
  parentId: string;
  joinedTimestamp: number;
}

export interface EmuOrgUnit {
  id: string;
  name: string;
  parentId: string;
}

export interface EmuOrganization {
  id: string;
  managementAccountId: string;
  rootId: string;
  accounts: Map<string, EmuOrgAccount>;
  ous: Map<string, EmuOrgUnit>;
}

/** An access key the emulator accepts for SigV4. */
export interface EmuCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the caller acts in. */
  accountId: string;
  /** Caller identity ARN reported by GetCallerIdentity. */
  arn: string;
  userId: string;
  /** Temporary credentials (AssumeRole) carry a session token and expire. */
  sessionToken?: string;
  expiresAt?: number;
  /** When set, only these actions are allowed (e.g. "iam:ListUsers"); others get AccessDenied. */
  allowedActions?: Set<string> | undefined;
}

export interface EmuWorld {
  accounts: Map<string, EmuAccount>;
  /** AWS managed policies, shared by all accounts, keyed by ARN (arn:aws:iam::aws:policy/...). */
  awsManagedPolicies: Map<string, EmuPolicy>;
  credentials: Map<string, EmuCredential>;
  organization?: EmuOrganization;
  identityStores: Map<string, EmuIdentityStore>;
  /** The account that the default key belongs to. */
  defaultAccountId: string;
  /** Deterministic id source for mutations (see mutations.ts): ids derive from (seed, next). */
  idSequence?: { seed: number; next: number };
  /** SQS queues keyed by "<accountId>/<name>", the path of their URL (services/sqs.ts). */
  queues?: Map<string, EmuQueue>;
  /** S3 buckets keyed by name (services/s3.ts). */
  buckets?: Map<string, EmuBucket>;
}

export interface EmuObject {
  key: string;
  body: Buffer;
  /** Quoted MD5 hex, as S3 answers it. */
  etag: string;
  lastModified: number;
  contentType?: string;
  /** The checksums the writer sent and the emulator verified, by algorithm (crc32, sha256 ...), base64. */
  checksums: Record<string, string>;
  /** The ARN of the caller that wrote it (an assumed role's session ARN, for instance). */
  writtenBy: string;
}

export interface EmuBucket {
  name: string;
  /** Keyed by object key. */
  objects: Map<string, EmuObject>;
}

export const DEFAULT_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DEFAULT_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
