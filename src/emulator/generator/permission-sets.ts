// Identity Center permission sets and account assignments. Each permission set template is labelled by
// construction: which of its parts grant * on * (AdministratorAccess, an inline `*`/`*`, a customer
// managed reference to an admin catalog policy) and whether its boundary cancels them. Decoys look
// powerful (PowerUserAccess, `iam:*`) but are not admin. Assignments go to groups and users across the
// organization's accounts.
import type {
  EmuAccountAssignment,
  EmuCustomerManagedPolicyReference,
  EmuIdentityStore,
  EmuPermissionSet,
} from '../model.js';
import { awsManagedPolicyArn, findAwsManaged } from '../policy-catalog.js';
import { PERMISSION_SET_INLINE } from '../policy-catalog/permission-set-documents.js';
import type { SeededRandom } from '../random.js';
import { DAY, secondsFloor } from './calendar.js';

const ALL = PERMISSION_SET_INLINE.everything;
const IAM_ALL = PERMISSION_SET_INLINE.iamEverything;

export interface PermissionSetTemplate {
  name: string;
  /** AWS managed policy names. */
  managed: string[];
  inline?: string;
  /** Customer managed catalog policies (created in every generated account). */
  customer: EmuCustomerManagedPolicyReference[];
  boundary?: { aws: string } | { customer: EmuCustomerManagedPolicyReference };
}

const platformFull = { name: 'PlatformFullAccess', path: '/' };
const developerS3 = { name: 'DeveloperS3Access', path: '/engineering/' };
const allowAllBoundary = { name: 'BoundaryAllowAll', path: '/boundaries/' };
const developerBoundary = { name: 'DeveloperBoundary', path: '/boundaries/' };

export const PERMISSION_SET_TEMPLATES: readonly PermissionSetTemplate[] = [
  { name: 'AdministratorAccess', managed: ['AdministratorAccess'], customer: [] },
  { name: 'BreakGlass', managed: [], inline: ALL, customer: [] },
  { name: 'PowerUser', managed: ['PowerUserAccess'], customer: [] },
  { name: 'IamManager', managed: [], inline: IAM_ALL, customer: [] },
  { name: 'ReadOnly', managed: ['ReadOnlyAccess'], customer: [] },
  { name: 'PlatformAdmin', managed: [], customer: [platformFull] },
  { name: 'Developer', managed: ['AmazonEC2ReadOnlyAccess'], customer: [developerS3] },
  {
    name: 'BoundedAdmin',
    managed: ['AdministratorAccess'],
    customer: [],
    boundary: { aws: 'PowerUserAccess' },
  },
  {
    name: 'DeveloperBoundedAdmin',
    managed: ['AdministratorAccess'],
    customer: [],
    boundary: { customer: developerBoundary },
  },
  {
    name: 'AllowAllBoundedAdmin',
    managed: [],
    inline: ALL,
    customer: [],
    boundary: { customer: allowAllBoundary },
  },
  { name: 'SecurityAudit', managed: ['SecurityAudit'], customer: [] },
  { name: 'Billing', managed: ['Billing'], customer: [] },
];

/** The template of permission set number i (names repeat with a number past the table). */
export function permissionSetTemplate(i: number): PermissionSetTemplate {
  const base = PERMISSION_SET_TEMPLATES[i % PERMISSION_SET_TEMPLATES.length] as PermissionSetTemplate;
  const round = Math.floor(i / PERMISSION_SET_TEMPLATES.length);
  return round === 0 ? base : { ...base, name: `${base.name}${round + 1}` };
}

function permissionSet(rng: SeededRandom, s: EmuIdentityStore, t: PermissionSetTemplate): EmuPermissionSet {
  const id = s.instanceArn.slice(s.instanceArn.indexOf('ssoins-'));
  const ps: EmuPermissionSet = {
    arn: `arn:aws:sso:::permissionSet/${id}/ps-${rng.hex(16)}`,
    name: t.name,
    description: `${t.name} (generated)`,
    createdDate: secondsFloor(Date.UTC(2021, 2, 1) + rng.int(0, 400) * DAY),
    sessionDuration: 'PT8H',
    managedPolicyArns: t.managed.map((name) => awsManagedPolicyArn(findAwsManaged(name))),
    customerManagedPolicies: t.customer.map((c) => ({ ...c })),
  };
  if (t.inline !== undefined) ps.inlinePolicy = t.inline;
  if (t.boundary !== undefined) {
    ps.permissionsBoundary =
      'aws' in t.boundary
        ? { managedPolicyArn: awsManagedPolicyArn({ path: '/', name: t.boundary.aws }) }
        : { customerManagedPolicyReference: { ...t.boundary.customer } };
  }
  return ps;
}

function addAssignment(s: EmuIdentityStore, seen: Set<string>, a: EmuAccountAssignment): void {
  const key = `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;
  if (seen.has(key)) return;
  seen.add(key);
  s.accountAssignments.push(a);
}

/**
 * Makes `count` permission sets and assigns them: the first group gets AdministratorAccess on two
 * accounts (its members are admin through it), every group one to three (set, account) pairs, and about
 * a third of the users one or two of their own. The last account always gets PlatformAdmin (a customer
 * managed reference) for the second group, so a collector that does not inventory it has an unverified case.
 */
export function addPermissionSets(
  rng: SeededRandom,
  s: EmuIdentityStore,
  accountIds: readonly string[],
  count: number,
): void {
  const sets = Array.from({ length: count }, (_, i) => permissionSet(rng, s, permissionSetTemplate(i)));
  for (const ps of sets) s.permissionSets.set(ps.arn, ps);
  if (sets.length === 0 || accountIds.length === 0) return;
  const seen = new Set<string>();
  const groups = [...s.groups.keys()];
  groups.forEach((groupId, gi) => {
    const pairs: [EmuPermissionSet, string][] =
      gi === 0
        ? accountIds.slice(0, 2).map((a) => [sets[0] as EmuPermissionSet, a])
        : Array.from({ length: rng.int(1, 3) }, () => [rng.pick(sets.slice(1)), rng.pick(accountIds)]);
    if (gi === 1 && sets.length > 5) pairs.push([sets[5] as EmuPermissionSet, accountIds.at(-1) as string]);
    for (const [ps, accountId] of pairs) {
      addAssignment(s, seen, {
        accountId,
        permissionSetArn: ps.arn,
        principalType: 'GROUP',
        principalId: groupId,
      });
    }
  });
  for (const userId of s.users.keys()) {
    if (!rng.chance(0.33)) continue;
    for (let i = rng.int(1, 2); i > 0; i--) {
      const ps = rng.pick(sets);
      addAssignment(s, seen, {
        accountId: rng.pick(accountIds),
        permissionSetArn: ps.arn,
        principalType: 'USER',
        principalId: userId,
      });
    }
  }
}
