import type {
  IamGroup,
  IamRole,
  IamUser,
  Identity,
  IdentityCenterUser,
  PolicyDocument,
  Tag,
} from '../identity/identity.js';
import { analyzeAdmin, type AdminAnalysis } from '../identity/admin-analysis.js';
import { assessRisk, hasMfa, type RiskThresholds } from '../identity/risk/index.js';
import {
  LATEST_OCSF_VERSION,
  type OcsfAccount,
  type OcsfGroup,
  type OcsfKeyValue,
  type OcsfUser,
  type UserInventoryEvent,
} from './event.js';
import { accessFields, identityCenterPermissionSet } from './map-access.js';
import { riskEventFields, type RiskEventFields } from './map-risk.js';

// Pure mapping of one collected identity to the richest OCSF 1.8.0 event; projectToVersion() trims it for
// older versions. A value that was not collected is left out, never replaced by a guess.

export interface MappingContext {
  /** Collection time, epoch ms. */
  collectedAt: number;
  runId: string;
  /** Unique per event (the caller supplies it, e.g. randomUUID()). */
  eventId: string;
  /** `created` sets `time` to the identity's creation date when it has one (IAM users and roles). */
  eventTime: 'collected' | 'created';
  productVersion: string;
  /** Thresholds of the risk rules, evaluated at `collectedAt`. */
  risk: RiskThresholds;
}

export const PRODUCT_NAME = 'iam-inventory';
export const CLASS_UID = 5003;
export const CLASS_NAME = 'User Inventory Info';
const AWS_ACCOUNT_TYPE = { type_id: 10, type: 'AWS Account' } as const;

export const USER_TYPE = {
  user: { type_id: 1, type: 'User' },
  admin: { type_id: 2, type: 'Admin' },
  service: { type_id: 4, type: 'Service' },
} as const;

type Unmapped = Record<string, unknown>;

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
const sortedStrings = (values: Iterable<string>): string[] => [...values].sort();

/** Copies the defined members only: an absent value stays absent instead of becoming `undefined`/null. */
function defined<T extends Record<string, unknown>>(value: T): T {
  // for-in over an object literal's own keys: no [key, value] pairs allocated (it runs for every event).
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

function accountOf(accountId: string, alias: string | undefined, tags?: Tag[]): OcsfAccount {
  const account: OcsfAccount = {
    type_id: AWS_ACCOUNT_TYPE.type_id,
    type: AWS_ACCOUNT_TYPE.type,
    uid: accountId,
    name: alias ?? accountId,
  };
  if (tags !== undefined) account.tags = toKeyValues(tags);
  return account;
}

function toKeyValues(tags: Tag[]): OcsfKeyValue[] {
  return [...tags]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((tag) => ({ name: tag.key, value: tag.value }));
}

function orgOf(accountId: string, alias: string | undefined): { uid: string; name: string } {
  return { uid: accountId, name: alias ?? `AWS Account ${accountId}` };
}

function groupOf(group: IamGroup): OcsfGroup {
  return defined({
    name: group.name,
    uid: group.arn,
    uid_alt: group.groupId,
    privileges: [
      ...sortedStrings(group.attachedPolicies.map((policy) => policy.name)),
      ...sortedStrings(group.inlinePolicies.map((policy) => policy.name)),
    ],
  });
}

/** The whole event around `user` and `unmapped.aws` (one literal: spreading a base object costs more). */
function envelope(
  ctx: MappingContext,
  time: number,
  accountId: string,
  alias: string | undefined,
  user: OcsfUser,
  aws: Unmapped,
): UserInventoryEvent {
  return {
    class_uid: CLASS_UID,
    class_name: CLASS_NAME,
    category_uid: 5,
    category_name: 'Discovery',
    activity_id: 2,
    activity_name: 'Collect',
    type_uid: CLASS_UID * 100 + 2,
    type_name: `${CLASS_NAME}: Collect`,
    severity_id: 1,
    severity: 'Informational',
    time,
    metadata: {
      version: LATEST_OCSF_VERSION,
      product: { name: PRODUCT_NAME, vendor_name: PRODUCT_NAME, version: ctx.productVersion },
      profiles: ['cloud'],
      uid: ctx.eventId,
      correlation_uid: ctx.runId,
    },
    cloud: { provider: 'AWS', account: accountOf(accountId, alias) },
    user,
    unmapped: { aws },
  };
}

function adminUnmapped(analysis: AdminAnalysis): Unmapped {
  return defined({
    admin_via: analysis.via,
    // Only said when it matters: the verdict could not take the boundary into account.
    admin_boundary_unverified: analysis.boundary === 'unverified' ? true : undefined,
  });
}

function boundaryUnmapped(identity: IamUser | IamRole): Unmapped | undefined {
  const boundary = identity.permissionsBoundary;
  return boundary ? defined({ arn: boundary.arn, type: boundary.type }) : undefined;
}

function policyNames(identity: IamUser | IamRole): Unmapped {
  return {
    attached_policies: sortedStrings(identity.attachedPolicies.map((policy) => policy.name)),
    inline_policies: sortedStrings(identity.inlinePolicies.map((policy) => policy.name)),
  };
}

function riskOf(identity: IamUser | IamRole, analysis: AdminAnalysis, ctx: MappingContext): RiskEventFields {
  return riskEventFields(
    assessRisk(identity, { now: ctx.collectedAt, thresholds: ctx.risk, admin: analysis }),
  );
}

function mapIamUser(user: IamUser, ctx: MappingContext): UserInventoryEvent {
  const time = ctx.eventTime === 'created' ? user.createDate : ctx.collectedAt;
  const analysis = analyzeAdmin(user);
  const risk = riskOf(user, analysis, ctx);
  const keys =
    user.accessKeys === undefined ? undefined : [...user.accessKeys].sort((a, b) => (a.id < b.id ? -1 : 1));
  const account = accountOf(user.accountId, user.accountAlias, user.tags);
  if (user.loginProfile !== undefined && keys !== undefined) {
    // 1.8.0: a user who can neither sign in nor call the API is disabled in effect.
    account.is_disabled = user.loginProfile === null && !keys.some((key) => key.status === 'Active');
  }
  const type = analysis.isAdmin ? USER_TYPE.admin : USER_TYPE.user;
  const ocsfUser: OcsfUser = defined({
    name: user.userName,
    uid: user.arn,
    uid_alt: user.userId,
    type_id: type.type_id,
    type: type.type,
    account,
    org: orgOf(user.accountId, user.accountAlias),
    ldap_person: defined({ created_time: user.createDate, last_login_time: user.passwordLastUsed }),
    groups: [...user.groups].sort(byName).map(groupOf),
    has_mfa: hasMfa(user),
    programmatic_credentials: keys?.map((key) =>
      defined({ uid: key.id, type: 'AWS Access Key', last_used_time: key.lastUsedTime }),
    ),
    ...risk.user,
  });
  const devices = [...user.mfaDevices].sort((a, b) =>
    a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0,
  );
  const provenance = user.mfaProvenance;
  // The report's time whenever any credential fact came from it, not only MFA: key last use and password
  // presence from a report hours old must not pass for fresh reads.
  const reportTime =
    user.credentialReportGeneratedAt ??
    (provenance.source === 'credential_report' ? provenance.reportGeneratedAt : undefined);
  const aws: Unmapped = defined({
    source: 'iam_user',
    path: user.path,
    ...policyNames(user),
    // Device details are unknown (not "none") when MFA came from the credential report.
    mfa_serials: user.mfaActive === undefined ? devices.map((device) => device.serial) : undefined,
    mfa_types: user.mfaActive === undefined ? sortedStrings(devices.map((device) => device.type)) : undefined,
    mfa_source: provenance.source,
    credential_report_generated_time: reportTime,
    // Changes on every run by nature: a fingerprint of the user must leave it out.
    credential_report_age_seconds:
      reportTime === undefined ? undefined : Math.max(0, Math.round((ctx.collectedAt - reportTime) / 1000)),
    access_keys: keys?.map((key) =>
      defined({
        id: key.id,
        status: key.status,
        created_time: key.createDate,
        last_used_service: key.lastUsedService,
        last_used_region: key.lastUsedRegion,
      }),
    ),
    login_profile:
      user.loginProfile === undefined
        ? undefined
        : user.loginProfile === null
          ? { present: false }
          : defined({
              present: true,
              created_time: user.loginProfile.createDate,
              password_reset_required: user.loginProfile.passwordResetRequired,
            }),
    permissions_boundary: boundaryUnmapped(user),
    ...adminUnmapped(analysis),
    ...risk.aws,
  });
  return envelope(ctx, time, user.accountId, user.accountAlias, ocsfUser, aws);
}

/** "Service:ec2.amazonaws.com", "AWS:arn:aws:iam::123456789012:root", "*" — from the Allow statements. */
export function trustPrincipals(trustPolicy: PolicyDocument | undefined): string[] {
  const out = new Set<string>();
  const statements = trustPolicy?.Statement === undefined ? [] : [trustPolicy.Statement].flat();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    const principal = statement.Principal;
    if (typeof principal === 'string') out.add(principal);
    else if (principal && typeof principal === 'object') {
      for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
        for (const item of [value].flat()) if (typeof item === 'string') out.add(`${kind}:${item}`);
      }
    }
  }
  return sortedStrings(out);
}

function mapIamRole(role: IamRole, ctx: MappingContext): UserInventoryEvent {
  const time = ctx.eventTime === 'created' ? role.createDate : ctx.collectedAt;
  const analysis = analyzeAdmin(role);
  const risk = riskOf(role, analysis, ctx);
  const ocsfUser: OcsfUser = {
    name: role.roleName,
    uid: role.arn,
    uid_alt: role.roleId,
    ...USER_TYPE.service,
    account: accountOf(role.accountId, role.accountAlias, role.tags),
    org: orgOf(role.accountId, role.accountAlias),
    ldap_person: { created_time: role.createDate },
    ...risk.user,
  };
  const aws: Unmapped = defined({
    source: 'iam_role',
    path: role.path,
    description: role.description,
    last_used_time: role.lastUsedTime,
    trust_principals: role.trustPolicy === undefined ? undefined : trustPrincipals(role.trustPolicy),
    identity_center_permission_set: identityCenterPermissionSet(role.roleName),
    ...policyNames(role),
    permissions_boundary: boundaryUnmapped(role),
    is_admin: analysis.isAdmin,
    ...adminUnmapped(analysis),
    ...risk.aws,
  });
  return envelope(ctx, time, role.accountId, role.accountAlias, ocsfUser, aws);
}

function fullNameOf(user: IdentityCenterUser): string | undefined {
  if (user.formattedName) return user.formattedName;
  const parts = [user.givenName, user.familyName].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function mapIdentityCenterUser(user: IdentityCenterUser, ctx: MappingContext): UserInventoryEvent {
  const ldapPerson = defined({ given_name: user.givenName, surname: user.familyName });
  const access = accessFields(user);
  // has_mfa is left out: the Identity Store API does not say whether the user enrolled a device.
  const ocsfUser: OcsfUser = defined({
    name: user.userName,
    uid: user.userId,
    ...(access.isAdmin ? USER_TYPE.admin : USER_TYPE.user),
    domain: user.identityStoreId,
    display_name: user.displayName,
    full_name: fullNameOf(user),
    email_addr: user.primaryEmail,
    account: accountOf(user.accountId, user.accountAlias),
    org: orgOf(user.accountId, user.accountAlias),
    ldap_person: Object.keys(ldapPerson).length > 0 ? ldapPerson : undefined,
    groups: user.groups
      .map((group) => {
        const privileges = access.privilegesByGroup.get(group.groupId);
        return { name: group.displayName, uid: group.groupId, ...(privileges ? { privileges } : {}) };
      })
      .sort((a, b) => byName(a, b) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)),
  });
  const aws: Unmapped = {
    source: 'identity_center',
    identity_store_id: user.identityStoreId,
    ...access.aws,
  };
  return envelope(ctx, ctx.collectedAt, user.accountId, user.accountAlias, ocsfUser, aws);
}

export function mapIdentity(identity: Identity, ctx: MappingContext): UserInventoryEvent {
  switch (identity.kind) {
    case 'iam_user':
      return mapIamUser(identity, ctx);
    case 'iam_role':
      return mapIamRole(identity, ctx);
    case 'identity_center_user':
      return mapIdentityCenterUser(identity, ctx);
  }
}
