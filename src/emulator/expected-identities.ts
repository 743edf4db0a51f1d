// Builds the ground truth for identities in a world from the policy catalog's labels. Every policy in a
// generated world comes from a catalog template, so its admin meaning is known by construction: this
// never inspects a policy document's statements. Usable again after mutations.
import type {
  ExpectedGroup,
  ExpectedIdentityCenterUser,
  ExpectedMfaType,
  ExpectedRole,
  ExpectedUser,
  GroundTruth,
} from './ground-truth.js';
import type {
  EmuAccount,
  EmuGroup,
  EmuIdentityStore,
  EmuMfaKind,
  EmuOrganization,
  EmuRole,
  EmuUser,
  EmuWorld,
} from './model.js';
import { expectedAssignments } from './expected-access.js';
import {
  AWS_MANAGED_BOUNDARIES,
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  INLINE_POLICY_TEMPLATES,
  awsManagedPolicyArn,
} from './policy-catalog.js';

const MFA_TYPE: Record<EmuMfaKind, ExpectedMfaType> = {
  virtual: 'virtual',
  hardware: 'hardware',
  u2f: 'security_key',
};

const ADMIN_ACCESS_ARN = awsManagedPolicyArn({ path: '/', name: 'AdministratorAccess' });

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Admin labels of every catalog document, keyed by document text (inline policies carry no ARN). */
const inlineAdminByDocument = new Map<string, boolean>(
  INLINE_POLICY_TEMPLATES.map((t) => [t.document, t.adminEquivalent]),
);
const awsManagedAdminByArn = new Map<string, boolean>(
  AWS_MANAGED_POLICIES.map((p) => [awsManagedPolicyArn(p), p.adminEquivalent]),
);
const customerAdminByName = new Map<string, boolean>(
  CUSTOMER_POLICY_TEMPLATES.map((p) => [p.name, p.adminEquivalent]),
);
const boundaryAllowsAdminByName = new Map<string, boolean>([
  ...BOUNDARY_TEMPLATES.map((b) => [b.name, b.allowsAdmin] as const),
]);
const awsBoundaryAllowsAdminByArn = new Map<string, boolean>(
  AWS_MANAGED_BOUNDARIES.map((b) => [awsManagedPolicyArn({ path: '/', name: b.name }), b.allowsAdmin]),
);

function policyName(world: EmuWorld, account: EmuAccount, arn: string): string {
  const p = world.awsManagedPolicies.get(arn) ?? account.policies.get(arn);
  if (!p) throw new Error(`policy ${arn} is attached but does not exist in account ${account.id}`);
  return p.name;
}

function managedIsAdmin(world: EmuWorld, account: EmuAccount, arn: string): boolean {
  const aws = awsManagedAdminByArn.get(arn);
  if (aws !== undefined) return aws;
  const label = customerAdminByName.get(policyName(world, account, arn));
  if (label === undefined) throw new Error(`policy ${arn} has no catalog label`);
  return label;
}

function inlineIsAdmin(document: string, where: string): boolean {
  const label = inlineAdminByDocument.get(document);
  if (label === undefined) throw new Error(`inline policy ${where} has no catalog label`);
  return label;
}

function boundaryAllowsAdmin(world: EmuWorld, account: EmuAccount, arn: string): boolean {
  const aws = awsBoundaryAllowsAdminByArn.get(arn);
  if (aws !== undefined) return aws;
  const label = boundaryAllowsAdminByName.get(policyName(world, account, arn));
  if (label === undefined) throw new Error(`boundary ${arn} has no catalog label`);
  return label;
}

/** What a group contributes to each member; computed once per group per truth build. */
interface GroupContribution {
  expected: ExpectedGroup;
  /** adminVia entries (before boundaries). */
  adminVia: string[];
  hasAdministratorAccess: boolean;
}

export type GroupContributionCache = Map<EmuGroup, GroupContribution>;

function groupContribution(world: EmuWorld, account: EmuAccount, group: EmuGroup): GroupContribution {
  const attachedNames = group.attachedPolicyArns.map((arn) => policyName(world, account, arn)).sort(byString);
  const inlineNames = Object.keys(group.inlinePolicies).sort(byString);
  const adminVia: string[] = [];
  for (const arn of group.attachedPolicyArns) {
    if (managedIsAdmin(world, account, arn))
      adminVia.push(`group:${group.groupName}/${policyName(world, account, arn)}`);
  }
  for (const [name, document] of Object.entries(group.inlinePolicies)) {
    if (inlineIsAdmin(document, `${group.groupName}/${name}`))
      adminVia.push(`inline:group:${group.groupName}/${name}`);
  }
  return {
    expected: { name: group.groupName, arn: group.arn, privileges: [...attachedNames, ...inlineNames] },
    adminVia,
    hasAdministratorAccess: group.attachedPolicyArns.includes(ADMIN_ACCESS_ARN),
  };
}

/**
 * The expected record of one user as the world stands. `cache` may be shared across the users of one
 * build (not across mutations of groups): ExpectedGroup objects are then shared, never mutate them.
 */
export function expectedUser(
  world: EmuWorld,
  account: EmuAccount,
  user: EmuUser,
  cache: GroupContributionCache = new Map(),
): ExpectedUser {
  const adminVia: string[] = [];
  let isAdminByName = user.attachedPolicyArns.includes(ADMIN_ACCESS_ARN);
  const groups: ExpectedGroup[] = [];
  for (const groupName of user.groups) {
    const group = account.groups.get(groupName);
    if (!group) throw new Error(`user ${user.userName} is in missing group ${groupName}`);
    let contribution = cache.get(group);
    if (!contribution) {
      contribution = groupContribution(world, account, group);
      cache.set(group, contribution);
    }
    groups.push(contribution.expected);
    adminVia.push(...contribution.adminVia);
    if (contribution.hasAdministratorAccess) isAdminByName = true;
  }
  groups.sort((a, b) => byString(a.name, b.name));
  for (const arn of user.attachedPolicyArns) {
    if (managedIsAdmin(world, account, arn)) adminVia.push(`user/${policyName(world, account, arn)}`);
  }
  for (const [name, document] of Object.entries(user.inlinePolicies)) {
    if (inlineIsAdmin(document, `${user.userName}/${name}`)) adminVia.push(`inline:user/${name}`);
  }
  const blocked =
    user.permissionsBoundaryArn !== undefined &&
    !boundaryAllowsAdmin(world, account, user.permissionsBoundaryArn);
  const via = blocked ? [] : adminVia.sort(byString);
  const hasLoginProfile = user.loginProfile !== undefined;
  const expected: ExpectedUser = {
    accountId: account.id,
    arn: user.arn,
    userName: user.userName,
    userId: user.userId,
    path: user.path,
    createDate: user.createDate,
    groups,
    attachedPolicyNames: user.attachedPolicyArns.map((arn) => policyName(world, account, arn)).sort(byString),
    inlinePolicyNames: Object.keys(user.inlinePolicies).sort(byString),
    hasMfa: user.mfaDevices.length > 0,
    mfaTypes: user.mfaDevices.map((d) => MFA_TYPE[d.kind]).sort(byString),
    mfaSerials: user.mfaDevices.map((d) => d.serial).sort(byString),
    accessKeys: user.accessKeys
      .map((k) => ({
        id: k.accessKeyId,
        status: k.status,
        createDate: k.createDate,
        ...(k.lastUsed ? { lastUsedTime: k.lastUsed.date } : {}),
      }))
      .sort((a, b) => byString(a.id, b.id)),
    hasLoginProfile,
    isDisabled: !hasLoginProfile && !user.accessKeys.some((k) => k.status === 'Active'),
    tags: user.tags.map((t) => ({ key: t.Key, value: t.Value })).sort((a, b) => byString(a.key, b.key)),
    isAdmin: via.length > 0,
    adminVia: via,
    isAdminByName,
  };
  if (account.alias !== undefined) expected.accountAlias = account.alias;
  if (hasLoginProfile && user.passwordLastUsed !== undefined)
    expected.passwordLastUsed = user.passwordLastUsed;
  if (user.permissionsBoundaryArn !== undefined)
    expected.permissionsBoundaryArn = user.permissionsBoundaryArn;
  return expected;
}

/** `principals` as the generator built the trust policy ("Service:ec2.amazonaws.com", "AWS:arn:..."). */
export function expectedRole(
  account: EmuAccount,
  role: EmuRole,
  principals: readonly string[],
): ExpectedRole {
  return {
    accountId: account.id,
    arn: role.arn,
    roleName: role.roleName,
    roleId: role.roleId,
    createDate: role.createDate,
    trustPrincipals: [...principals].sort(byString),
  };
}

export function expectedIdentityCenterUsers(
  store: EmuIdentityStore,
  organization?: EmuOrganization,
): ExpectedIdentityCenterUser[] {
  const groupsOf = new Map<string, string[]>();
  const groupIdsOf = new Map<string, string[]>();
  for (const m of store.memberships.values()) {
    const group = store.groups.get(m.groupId);
    if (!group) continue;
    const list = groupsOf.get(m.userId) ?? [];
    list.push(group.displayName);
    groupsOf.set(m.userId, list);
    groupIdsOf.set(m.userId, [...(groupIdsOf.get(m.userId) ?? []), m.groupId]);
  }
  const out: ExpectedIdentityCenterUser[] = [];
  for (const u of store.users.values()) {
    const assignments = expectedAssignments(store, u.userId, groupIdsOf.get(u.userId) ?? [], organization);
    const e: ExpectedIdentityCenterUser = {
      identityStoreId: store.identityStoreId,
      hostAccountId: store.accountId,
      userId: u.userId,
      userName: u.userName,
      groups: (groupsOf.get(u.userId) ?? []).sort(byString),
      assignments,
      adminAccounts: [...new Set(assignments.filter((a) => a.admin).map((a) => a.accountId))].sort(byString),
    };
    if (u.displayName !== undefined) e.displayName = u.displayName;
    if (u.name?.formatted !== undefined) e.fullName = u.name.formatted;
    const primary = u.emails.find((m) => m.primary);
    if (primary) e.email = primary.value;
    out.push(e);
  }
  return out;
}

/**
 * The ground truth of a world's users and Identity Center users as they stand now. Roles are left to
 * the caller, who knows the trust principals it built (`roles` is passed through).
 */
export function buildGroundTruth(world: EmuWorld, roles: Map<string, ExpectedRole> = new Map()): GroundTruth {
  const truth: GroundTruth = { users: new Map(), roles, identityCenterUsers: new Map() };
  for (const account of world.accounts.values()) {
    const cache: GroupContributionCache = new Map();
    for (const user of account.users.values())
      truth.users.set(user.arn, expectedUser(world, account, user, cache));
  }
  for (const store of world.identityStores.values()) {
    for (const u of expectedIdentityCenterUsers(store, world.organization))
      truth.identityCenterUsers.set(u.userId, u);
  }
  return truth;
}
