// The small vocabulary every IAM read of the collector is written in: what one account's reads share, a
// Marker listing whose failure names its action, and the conversions from SDK shapes.
import type { IAMClient, PermissionsBoundaryAttachmentType, Tag as SdkTag } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { analyzeAdmin } from '../../identity/admin-analysis.js';
import { classifyAwsError } from '../aws/aws-error.js';
import { asEnrichmentError } from '../aws/errors.js';
import { allItems, markerPages, type MarkerPage } from '../aws/pagination.js';
import type {
  IamRole,
  IamUser,
  InlinePolicy,
  ManagedPolicyRef,
  PermissionsBoundary,
  PolicyDocument,
  Tag,
} from '../../identity/identity.js';
import type { PolicyDocumentCache } from './policy-documents.js';

/**
 * Every item of a Marker-paginated IAM list (see markerPages); a failed call, or a marker that does not
 * move, is an EnrichmentError naming the action.
 */
export function listAll<P extends MarkerPage, I>(
  action: string,
  fetchPage: (marker: string | undefined) => Promise<P>,
  itemsOf: (page: P) => I[] | undefined,
): Promise<I[]> {
  return allItems(
    markerPages({ action, fetchPage, fail: (cause) => asEnrichmentError(action, cause) }),
    itemsOf,
  );
}

export function sendOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal !== undefined ? { abortSignal: signal } : {};
}

export function toMillis(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime();
}

export function toTags(tags: SdkTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/**
 * True when the error is NoSuchEntity from one of `actions`: the entity those actions are about is gone.
 * NoSuchEntity from any other call (a policy deleted between listing and reading it) is a failure.
 */
export function isNoSuchEntityFrom(error: unknown, actions: ReadonlySet<string>): boolean {
  const { kind, action } = classifyAwsError(error);
  return kind === 'not_found' && action !== undefined && actions.has(action);
}

/** What the collectors of one account share during a run. */
export interface AccountReadContext {
  accountId: string;
  accountAlias?: string;
  iam: IAMClient;
  policies: PolicyDocumentCache;
  adminAnalysis: boolean;
  logger: Logger;
  signal?: AbortSignal;
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
