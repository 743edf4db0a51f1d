// "Can this permission set administer the account it is assigned in?" The IAM rules (admin-analysis.ts)
// applied to a permission set: AWS managed AdministratorAccess by ARN, an inline or customer managed
// document that allows * on * without Condition; a boundary that does not allow * on * cancels. A customer
// managed policy is a name and path resolved in the assigned account: when that account's copy could not
// be read (the account is not inventoried) the verdict is unverified rather than guessed.
import { documentGrantsEverything, isAdministratorAccessArn } from './admin-analysis.js';
import type { CustomerManagedPolicyReference, PermissionSet, PolicyDocument } from './identity.js';

export interface PermissionSetVerdict {
  admin: boolean;
  /** A customer managed document the verdict depends on was not read. */
  unverified: boolean;
}

/**
 * The assigned account's copy of a customer managed policy: its document, `null` when the account has
 * no such policy (it grants nothing), `undefined` when the account was not read.
 */
export type CustomerPolicyLookup = (ref: CustomerManagedPolicyReference) => PolicyDocument | null | undefined;

type Tri = 'yes' | 'no' | 'unknown';

function policiesGrantAdmin(ps: PermissionSet, lookup: CustomerPolicyLookup): Tri {
  if (ps.managedPolicies.some((p) => isAdministratorAccessArn(p.arn))) return 'yes';
  if (documentGrantsEverything(ps.inlinePolicy)) return 'yes';
  let unknown = false;
  for (const ref of ps.customerManagedPolicies) {
    const document = lookup(ref);
    if (document === undefined) unknown = true;
    else if (document !== null && documentGrantsEverything(document)) return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

function boundaryAllowsAdmin(ps: PermissionSet, lookup: CustomerPolicyLookup): Tri {
  const b = ps.permissionsBoundary;
  if (b === undefined) return 'yes';
  // AWS managed documents are not read; of them only AdministratorAccess allows * on *.
  if ('managedPolicyArn' in b) return isAdministratorAccessArn(b.managedPolicyArn) ? 'yes' : 'no';
  const document = lookup(b.customerManagedPolicy);
  if (document === undefined) return 'unknown';
  return document !== null && documentGrantsEverything(document) ? 'yes' : 'no';
}

export function analyzePermissionSet(ps: PermissionSet, lookup: CustomerPolicyLookup): PermissionSetVerdict {
  const policies = policiesGrantAdmin(ps, lookup);
  if (policies === 'no') return { admin: false, unverified: false };
  const boundary = boundaryAllowsAdmin(ps, lookup);
  if (boundary === 'no') return { admin: false, unverified: false };
  if (policies === 'yes' && boundary === 'yes') return { admin: true, unverified: false };
  return { admin: false, unverified: true };
}

/** The customer managed references whose documents the verdict may need (policies, then the boundary). */
export function customerReferences(ps: PermissionSet): CustomerManagedPolicyReference[] {
  const b = ps.permissionsBoundary;
  return [
    ...ps.customerManagedPolicies,
    ...(b !== undefined && 'customerManagedPolicy' in b ? [b.customerManagedPolicy] : []),
  ];
}
