// The attached managed and inline policies of one user, group or role, read with the holder's own calls
// (ListAttachedUserPolicies / ListUserPolicies / GetUserPolicy, and the group and role equivalents).
import { type MarkerPage } from '../aws/pagination.js';
import { callAws } from '../aws/errors.js';
import { inlinePolicies, listAll, managedPolicyRefs, type AccountReadContext } from './iam-requests.js';
import type { InlinePolicy, ManagedPolicyRef } from '../../identity/identity.js';
import { decodeDocumentOf } from './policy-documents.js';

/** Each call named by its action, so that a failure says which one failed. */
export interface HolderPolicyCalls {
  listAttached: [
    action: string,
    fetchPage: (
      marker: string | undefined,
    ) => Promise<MarkerPage & { AttachedPolicies?: { PolicyName?: string; PolicyArn?: string }[] }>,
  ];
  listInline: [
    action: string,
    fetchPage: (marker: string | undefined) => Promise<MarkerPage & { PolicyNames?: string[] }>,
  ];
  getInline: [action: string, fetch: (policyName: string) => Promise<{ PolicyDocument?: string }>];
}

export interface HolderPolicies {
  attachedPolicies: ManagedPolicyRef[];
  inlinePolicies: InlinePolicy[];
}

/** Both lists first, then the documents (when admin analysis is on), in listing order. */
export async function readHolderPolicies(
  ctx: AccountReadContext,
  calls: HolderPolicyCalls,
): Promise<HolderPolicies> {
  const [attachedAction, listAttached] = calls.listAttached;
  const [inlineAction, listInline] = calls.listInline;
  const [getAction, getInline] = calls.getInline;
  const attached = await listAll(attachedAction, listAttached, (p) => p.AttachedPolicies);
  const inlineNames = await listAll(inlineAction, listInline, (p) => p.PolicyNames);
  return {
    attachedPolicies: await managedPolicyRefs(ctx, attached),
    inlinePolicies: await inlinePolicies(ctx, inlineNames, async (name) => {
      const r = await callAws(getAction, () => getInline(name));
      return decodeDocumentOf(getAction, r.PolicyDocument);
    }),
  };
}
