// The policy listings users, groups and roles share: attached managed policies, inline policy names, and
// one inline policy's document.
import type { EmuAccount } from '../../model.js';
import { el, members, xmlEscape } from '../../protocols/query.js';
import type { EmuRequestContext, QueryParams } from '../../service.js';
import { attachedPolicyXml, encodedDocument } from './entity-xml.js';
import { attachedPolicies, inlinePolicy, required } from './lookups.js';
import { compareKeys, paginate } from './paging.js';

export function listAttached(
  arns: string[],
  action: string,
  params: QueryParams,
  ctx: EmuRequestContext,
  account: EmuAccount,
): string {
  const policies = attachedPolicies(ctx, account, arns, params.PathPrefix);
  const page = paginate(policies, (p) => p.arn, action, params, ctx);
  return members('AttachedPolicies', page.items, attachedPolicyXml) + page.xml;
}

export function listInlineNames(
  policies: Record<string, string>,
  action: string,
  params: QueryParams,
  ctx: EmuRequestContext,
): string {
  const names = Object.keys(policies).sort(compareKeys);
  const page = paginate(names, (n) => n, action, params, ctx);
  return members('PolicyNames', page.items, xmlEscape) + page.xml;
}

const OWNER_ELEMENT = { user: 'UserName', group: 'GroupName', role: 'RoleName' } as const;

/** Get{User,Group,Role}Policy: the inline policy named by PolicyName, its document URL-encoded. */
export function inlinePolicyXml(
  ownerKind: keyof typeof OWNER_ELEMENT,
  ownerName: string,
  policies: Record<string, string>,
  params: QueryParams,
): string {
  const policyName = required(params, 'PolicyName');
  const doc = inlinePolicy(policies[policyName], ownerKind, policyName);
  return (
    el(OWNER_ELEMENT[ownerKind], ownerName) +
    el('PolicyName', policyName) +
    el('PolicyDocument', encodedDocument(doc))
  );
}
