// Policy documents the generator hands out, each labelled by construction: `adminEquivalent` says whether
// a perfect analysis must call its holder Admin (an Allow statement with Action "*" / "*:*" / a list
// containing "*", Resource "*" and no Condition). Decoys look powerful but are not. The ground truth
// comes from these labels, never from re-analysing the documents.
//
// The tables live in policy-catalog/ (AWS managed, customer managed with boundaries, inline); this file is
// what the generator and the ground truth import.
import type { CatalogPolicy, InlineTemplate } from './policy-catalog/catalog-types.js';
import { AWS_MANAGED_POLICIES } from './policy-catalog/aws-managed-policies.js';
import { CUSTOMER_POLICY_TEMPLATES } from './policy-catalog/customer-policies.js';
import { INLINE_POLICY_TEMPLATES } from './policy-catalog/inline-policies.js';

export type {
  BoundaryTemplate,
  CatalogPolicy,
  InlineTemplate,
  PolicyRole,
} from './policy-catalog/catalog-types.js';
export { AWS_MANAGED_BOUNDARIES, AWS_MANAGED_POLICIES } from './policy-catalog/aws-managed-policies.js';
export { BOUNDARY_TEMPLATES, CUSTOMER_POLICY_TEMPLATES } from './policy-catalog/customer-policies.js';
export { INLINE_POLICY_TEMPLATES } from './policy-catalog/inline-policies.js';

export const AWS_MANAGED_ARN_PREFIX = 'arn:aws:iam::aws:policy';

export function awsManagedPolicyArn(p: { path: string; name: string }): string {
  return `${AWS_MANAGED_ARN_PREFIX}${p.path}${p.name}`;
}

export function customerPolicyArn(accountId: string, p: { path: string; name: string }): string {
  return `arn:aws:iam::${accountId}:policy${p.path}${p.name}`;
}

export function findAwsManaged(name: string): CatalogPolicy {
  const p = AWS_MANAGED_POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown AWS managed policy ${name}`);
  return p;
}

export function findCustomerTemplate(name: string): CatalogPolicy {
  const p = CUSTOMER_POLICY_TEMPLATES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown customer policy template ${name}`);
  return p;
}

export function findInlineTemplate(name: string): InlineTemplate {
  const p = INLINE_POLICY_TEMPLATES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown inline policy template ${name}`);
  return p;
}
