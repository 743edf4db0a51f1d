// The small vocabulary every IAM read of the collector is written in: a call that names its action when it
// fails, a Marker pagination loop that copes with short pages, and the conversions from SDK shapes.
import type { IAMClient, PermissionsBoundaryAttachmentType, Tag as SdkTag } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { analyzeAdmin } from '../../identity/admin-analysis.js';
import { classifyAwsError } from '../aws/aws-error.js';
import { EnrichmentError } from '../aws/errors.js';
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

/** Runs one AWS call; a failure (after the SDK's retries) becomes an EnrichmentError naming the action. */
export async function callAws<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EnrichmentError) throw error;
    throw new EnrichmentError(action, error);
  }
}

/** A page of a Marker-paginated IAM list. */
export interface MarkerPage {
  IsTruncated?: boolean;
  Marker?: string;
}

/**
 * Every item of a Marker-paginated IAM list. A page may hold fewer items than asked for while more follow
 * (IsTruncated): only IsTruncated ends the loop. A marker that does not move would loop forever; it fails.
 */
export async function listAll<P extends MarkerPage, I>(
  action: string,
  fetchPage: (marker: string | undefined) => Promise<P>,
  itemsOf: (page: P) => I[] | undefined,
): Promise<I[]> {
  const all: I[] = [];
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await callAws(action, () => fetchPage(marker));
    all.push(...(itemsOf(page) ?? []));
    if (page.IsTruncated !== true) return all;
    if (page.Marker === undefined || seen.has(page.Marker)) {
      throw new EnrichmentError(action, new Error('IsTruncated without a new Marker'));
    }
    seen.add(page.Marker);
    marker = page.Marker;
  }
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
