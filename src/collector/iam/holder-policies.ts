// The attached managed and inline policies of one user, group or role: read with the holder's own calls
// (ListAttachedUserPolicies / ListUserPolicies / GetUserPolicy, and the group and role equivalents), or
// given by GAAD; and the permissions boundary, with the documents admin analysis needs.
import type { PermissionsBoundaryAttachmentType } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import { analyzeAdmin } from '../../identity/admin-analysis.js';
import type {
  IamRole,
  IamUser,
  InlinePolicy,
  ManagedPolicyRef,
  PermissionsBoundary,
  PolicyDocument,
} from '../../identity/identity.js';
import { callAws } from '../aws/errors.js';
import type { MarkerPage } from '../aws/pagination.js';
import { listAll, type AccountReadContext } from './iam-requests.js';
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

/** A permissions boundary with its document when admin analysis needs it. */
export async function readBoundary(
  ctx: AccountReadContext,
  boundary:
    | {
        PermissionsBoundaryArn?: string;
        PermissionsBoundaryType?: PermissionsBoundaryAttachmentType | string;
      }
    | undefined,
): Promise<PermissionsBoundary | undefined> {
  const arn = boundary?.PermissionsBoundaryArn;
  if (arn === undefined) return undefined;
  const out: PermissionsBoundary = { arn };
  if (boundary?.PermissionsBoundaryType !== undefined) out.type = boundary.PermissionsBoundaryType;
  if (ctx.adminAnalysis) out.document = await ctx.policies.get(ctx.iam, arn, ctx.signal);
  return out;
}

/** Attached managed policies, with their default documents when admin analysis is on. */
export async function managedPolicyRefs(
  ctx: AccountReadContext,
  attached: { PolicyName?: string; PolicyArn?: string }[],
): Promise<ManagedPolicyRef[]> {
  const refs: ManagedPolicyRef[] = [];
  for (const a of attached) {
    if (a.PolicyArn === undefined) continue;
    const ref: ManagedPolicyRef = {
      name: a.PolicyName ?? a.PolicyArn.split('/').pop() ?? a.PolicyArn,
      arn: a.PolicyArn,
    };
    if (ctx.adminAnalysis) ref.document = await ctx.policies.get(ctx.iam, a.PolicyArn, ctx.signal);
    refs.push(ref);
  }
  return refs;
}

/** Inline policies by name, with documents (read by `getDocument`) when admin analysis is on. */
export async function inlinePolicies(
  ctx: AccountReadContext,
  names: string[],
  getDocument: (name: string) => Promise<PolicyDocument>,
): Promise<InlinePolicy[]> {
  const out: InlinePolicy[] = [];
  for (const name of names) {
    out.push(ctx.adminAnalysis ? { name, document: await getDocument(name) } : { name });
  }
  return out;
}

/**
 * ListUsers and ListRoles do not carry the permissions boundary. With admin analysis on, the boundary of an
 * identity whose policies make it Admin must be read even when tags (GetUser/GetRole) are off: a boundary
 * may take Admin away, and a false "Admin" is a wrong value.
 */
export function needsBoundaryForAdmin(config: CollectorConfig, identity: IamUser | IamRole): boolean {
  return config.admin_analysis && analyzeAdmin(identity).isAdmin;
}
