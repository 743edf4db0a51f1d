// The ground truth of Identity Center access: each user's account assignments (direct and through groups)
// and where they are admin. Verdicts come from the catalog's labels (AWS managed, customer managed,
// boundaries, permission set inline documents), never from analysing a document.
import type { ExpectedAccountAssignment } from './ground-truth.js';
import type { EmuIdentityStore, EmuOrganization, EmuPermissionSet } from './model.js';
import {
  AWS_MANAGED_BOUNDARIES,
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  awsManagedPolicyArn,
} from './policy-catalog.js';
import { PERMISSION_SET_INLINE_ADMIN } from './policy-catalog/permission-set-documents.js';

const awsAdmin = new Map(AWS_MANAGED_POLICIES.map((p) => [awsManagedPolicyArn(p), p.adminEquivalent]));
const customerAdmin = new Map(
  CUSTOMER_POLICY_TEMPLATES.map((p) => [`${p.path}${p.name}`, p.adminEquivalent]),
);
const awsBoundary = new Map(
  AWS_MANAGED_BOUNDARIES.map((b) => [awsManagedPolicyArn({ path: '/', name: b.name }), b.allowsAdmin]),
);
const customerBoundary = new Map(BOUNDARY_TEMPLATES.map((b) => [`${b.path}${b.name}`, b.allowsAdmin]));

function label<K>(map: ReadonlyMap<K, boolean>, key: K, what: string): boolean {
  const v = map.get(key);
  if (v === undefined) throw new Error(`${what} ${String(key)} has no catalog label`);
  return v;
}

export interface PermissionSetVerdict {
  /** Admin with every customer managed policy resolved (as read in an inventoried account). */
  admin: boolean;
  /** The verdict needs the assigned account's customer managed policies: unverified when not read there. */
  needsAccount: boolean;
}

export function permissionSetVerdict(ps: EmuPermissionSet): PermissionSetVerdict {
  const known =
    ps.managedPolicyArns.some((arn) => label(awsAdmin, arn, 'managed policy')) ||
    (ps.inlinePolicy !== undefined && label(PERMISSION_SET_INLINE_ADMIN, ps.inlinePolicy, 'inline policy'));
  const viaCustomer = ps.customerManagedPolicies.some((c) =>
    label(customerAdmin, `${c.path}${c.name}`, 'customer policy'),
  );
  const b = ps.permissionsBoundary;
  const boundaryAllows =
    b === undefined
      ? true
      : 'managedPolicyArn' in b
        ? label(awsBoundary, b.managedPolicyArn, 'boundary')
        : label(
            customerBoundary,
            `${b.customerManagedPolicyReference.path}${b.customerManagedPolicyReference.name}`,
            'boundary',
          );
  const policies = known ? 'admin' : ps.customerManagedPolicies.length > 0 ? 'unknown' : 'not';
  const boundary =
    b === undefined
      ? 'allows'
      : 'managedPolicyArn' in b
        ? boundaryAllows
          ? 'allows'
          : 'restricts'
        : 'unknown';
  return {
    admin: (known || viaCustomer) && boundaryAllows,
    needsAccount:
      policies !== 'not' && boundary !== 'restricts' && (policies === 'unknown' || boundary === 'unknown'),
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The assignments of one user: direct ones (via "user") and those of their groups (via "group:<Name>"),
 * sorted by account, then permission set name, then via.
 */
export function expectedAssignments(
  store: EmuIdentityStore,
  userId: string,
  groupIds: readonly string[],
  organization: EmuOrganization | undefined,
): ExpectedAccountAssignment[] {
  const viaOf = new Map<string, string>([[`USER:${userId}`, 'user']]);
  for (const g of groupIds) {
    const group = store.groups.get(g);
    if (group) viaOf.set(`GROUP:${g}`, `group:${group.displayName}`);
  }
  const out: ExpectedAccountAssignment[] = [];
  for (const a of store.accountAssignments) {
    const via = viaOf.get(`${a.principalType}:${a.principalId}`);
    const ps = store.permissionSets.get(a.permissionSetArn);
    if (via === undefined || !ps) continue;
    const verdict = permissionSetVerdict(ps);
    const name = organization?.accounts.get(a.accountId)?.name;
    out.push({
      accountId: a.accountId,
      ...(name !== undefined ? { accountName: name } : {}),
      permissionSetArn: ps.arn,
      permissionSetName: ps.name,
      via,
      admin: verdict.admin,
      needsAccount: verdict.needsAccount,
    });
  }
  return out.sort(
    (x, y) =>
      byString(x.accountId, y.accountId) ||
      byString(x.permissionSetName, y.permissionSetName) ||
      byString(x.via, y.via),
  );
}
