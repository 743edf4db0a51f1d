// GetAccountAuthorizationDetails read in full for one account and boiled down to what the bulk strategy
// needs: per user its groups, attached and inline policies, tags and boundary; per group its policies; per
// role the same. Raw responses are dropped page by page; policy documents are decoded once and, for managed
// policies, handed to the run's PolicyDocumentCache so every holder shares one object.
import {
  GetAccountAuthorizationDetailsCommand,
  type AttachedPermissionsBoundary,
  type AttachedPolicy,
  type EntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag as SdkTag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { AccountCollectionError } from '../aws/errors.js';
import { markerPages } from '../aws/pagination.js';
import { sendOptions, toMillis, toTags, type AccountReadContext } from './iam-requests.js';
import type { PolicyDocument, Tag } from '../../identity/identity.js';
import { decodePolicyDocument } from './policy-documents.js';

/** An inline policy as GAAD gave it: its decoded document, or why it could not be decoded. */
export interface DetailInlinePolicy {
  name: string;
  document?: PolicyDocument;
  documentError?: string;
}

export interface DetailAttachment {
  name: string;
  arn: string;
}

export interface DetailBoundary {
  PermissionsBoundaryArn?: string;
  PermissionsBoundaryType?: string;
}

export interface DetailUser {
  userId: string;
  groupNames: string[];
  attached: DetailAttachment[];
  inline: DetailInlinePolicy[];
  tags: Tag[];
  boundary?: DetailBoundary;
}

export interface DetailGroup {
  name: string;
  arn: string;
  groupId?: string;
  path?: string;
  attached: DetailAttachment[];
  inline: DetailInlinePolicy[];
}

export interface DetailRole {
  roleId: string;
  attached: DetailAttachment[];
  inline: DetailInlinePolicy[];
  tags: Tag[];
  boundary?: DetailBoundary;
  lastUsedTime?: number;
}

export interface AuthorizationDetails {
  /** By user ARN. */
  users: Map<string, DetailUser>;
  /** By group name (what a user's GroupList names). */
  groups: Map<string, DetailGroup>;
  /** By role ARN; empty unless roles were asked for. */
  roles: Map<string, DetailRole>;
}

export interface ReadDetailsOptions {
  includeRoles: boolean;
  /**
   * Keep inline documents, and list the account's customer managed policies with their versions, priming
   * the run's document cache with the default versions: what admin analysis needs, in the same few calls.
   */
  withPolicyDocuments: boolean;
  /**
   * Also list the AWS managed policies in use (with every version: large in real accounts). Worth it once
   * per run; the other accounts find those documents in the run's cache.
   */
  withAwsManagedDocuments?: boolean;
  /** MaxItems per call (AWS max 1000). */
  maxItems?: number;
}

export const GAAD_ACTION = 'iam:GetAccountAuthorizationDetails';

/** Reads every page; any failed call is an account-level failure (nothing partial is returned). */
export async function readAuthorizationDetails(
  ctx: AccountReadContext,
  options: ReadDetailsOptions,
): Promise<AuthorizationDetails> {
  const filter: EntityType[] = ['User', 'Group'];
  if (options.includeRoles) filter.push('Role');
  if (options.withPolicyDocuments) filter.push('LocalManagedPolicy');
  if (options.withPolicyDocuments && options.withAwsManagedDocuments === true)
    filter.push('AWSManagedPolicy');
  const keepDocuments = options.withPolicyDocuments;
  const details: AuthorizationDetails = { users: new Map(), groups: new Map(), roles: new Map() };
  const pages = markerPages({
    action: GAAD_ACTION,
    fetchPage: (Marker) =>
      ctx.iam.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: filter,
          MaxItems: options.maxItems ?? 1000,
          Marker,
        }),
        sendOptions(ctx.signal),
      ),
    fail: (cause) => new AccountCollectionError(ctx.accountId, GAAD_ACTION, cause),
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
  });
  for await (const page of pages) {
    addUsers(details, page.UserDetailList, keepDocuments);
    addGroups(details, page.GroupDetailList, keepDocuments);
    addRoles(details, page.RoleDetailList, keepDocuments);
    if (keepDocuments) primeDocuments(ctx, page.Policies);
  }
  return details;
}

function addUsers(
  details: AuthorizationDetails,
  list: UserDetail[] | undefined,
  keepDocuments: boolean,
): void {
  for (const u of list ?? []) {
    if (u.Arn === undefined) continue;
    const user: DetailUser = {
      userId: u.UserId ?? '',
      groupNames: u.GroupList ?? [],
      attached: attachments(u.AttachedManagedPolicies),
      inline: inlineOf(u.UserPolicyList, keepDocuments),
      tags: tagsOf(u.Tags),
    };
    const boundary = boundaryOf(u.PermissionsBoundary);
    if (boundary !== undefined) user.boundary = boundary;
    details.users.set(u.Arn, user);
  }
}

function addGroups(
  details: AuthorizationDetails,
  list: GroupDetail[] | undefined,
  keepDocuments: boolean,
): void {
  for (const g of list ?? []) {
    // Incomplete entries are left out: their members are then read per user (see strategies/bulk.ts).
    if (g.GroupName === undefined || g.Arn === undefined) continue;
    const group: DetailGroup = {
      name: g.GroupName,
      arn: g.Arn,
      attached: attachments(g.AttachedManagedPolicies),
      inline: inlineOf(g.GroupPolicyList, keepDocuments),
    };
    if (g.GroupId !== undefined) group.groupId = g.GroupId;
    if (g.Path !== undefined) group.path = g.Path;
    details.groups.set(g.GroupName, group);
  }
}

function addRoles(
  details: AuthorizationDetails,
  list: RoleDetail[] | undefined,
  keepDocuments: boolean,
): void {
  for (const r of list ?? []) {
    if (r.Arn === undefined) continue;
    const role: DetailRole = {
      roleId: r.RoleId ?? '',
      attached: attachments(r.AttachedManagedPolicies),
      inline: inlineOf(r.RolePolicyList, keepDocuments),
      tags: tagsOf(r.Tags),
    };
    const boundary = boundaryOf(r.PermissionsBoundary);
    if (boundary !== undefined) role.boundary = boundary;
    const lastUsed = toMillis(r.RoleLastUsed?.LastUsedDate);
    if (lastUsed !== undefined) role.lastUsedTime = lastUsed;
    details.roles.set(r.Arn, role);
  }
}

/** Hands the default version of each listed managed policy to the run's document cache. */
function primeDocuments(ctx: AccountReadContext, policies: ManagedPolicyDetail[] | undefined): void {
  for (const p of policies ?? []) {
    const version = p.PolicyVersionList?.find((v) => v.IsDefaultVersion === true);
    if (p.Arn === undefined || version?.Document === undefined || version.VersionId === undefined) continue;
    try {
      ctx.policies.prime(p.Arn, version.VersionId, decodePolicyDocument(version.Document));
    } catch {
      // Left out of the cache: a holder's GetPolicyVersion then fails (or succeeds) on its own.
      ctx.logger.debug({ accountId: ctx.accountId, policy: p.Arn }, 'undecodable policy document in GAAD');
    }
  }
}

function attachments(list: AttachedPolicy[] | undefined): DetailAttachment[] {
  const out: DetailAttachment[] = [];
  for (const a of list ?? []) {
    if (a.PolicyArn === undefined) continue;
    out.push({ name: a.PolicyName ?? a.PolicyArn.split('/').pop() ?? a.PolicyArn, arn: a.PolicyArn });
  }
  return out;
}

function inlineOf(list: PolicyDetail[] | undefined, keepDocuments: boolean): DetailInlinePolicy[] {
  return (list ?? []).map((p) => {
    const name = p.PolicyName ?? '';
    if (!keepDocuments) return { name };
    if (p.PolicyDocument === undefined) return { name, documentError: 'response carried no policy document' };
    try {
      return { name, document: decodePolicyDocument(p.PolicyDocument) };
    } catch (error) {
      return { name, documentError: error instanceof Error ? error.message : String(error) };
    }
  });
}

function tagsOf(tags: SdkTag[] | undefined): Tag[] {
  return toTags(tags);
}

function boundaryOf(b: AttachedPermissionsBoundary | undefined): DetailBoundary | undefined {
  if (b?.PermissionsBoundaryArn === undefined) return undefined;
  const out: DetailBoundary = { PermissionsBoundaryArn: b.PermissionsBoundaryArn };
  if (b.PermissionsBoundaryType !== undefined) out.PermissionsBoundaryType = b.PermissionsBoundaryType;
  return out;
}
