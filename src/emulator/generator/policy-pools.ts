// The policy catalog split by what a policy grants, so the generator can hand out admin routes, decoys and
// deny-all policies on purpose: the ground truth is known by construction.
import {
  AWS_MANAGED_POLICIES,
  CUSTOMER_POLICY_TEMPLATES,
  INLINE_POLICY_TEMPLATES,
} from '../policy-catalog.js';

export const NON_ADMIN_AWS = AWS_MANAGED_POLICIES.filter((p) => !p.adminEquivalent);
export const NON_ADMIN_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => !p.adminEquivalent && !p.deniesAll);
export const ADMIN_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => p.adminEquivalent);
export const NON_ADMIN_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => !t.adminEquivalent && !t.deniesAll);
export const ADMIN_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => t.adminEquivalent);
export const DENY_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => p.deniesAll);
export const DENY_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => t.deniesAll);
