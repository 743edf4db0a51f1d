// GetAccountAuthorizationDetails read in full for one account and boiled down to what the bulk strategy
// needs: per user its groups, attached and inline policies, tags and boundary; per group its policies; per
// role the same. Raw responses are dropped page by page; policy documents are decoded once and, for managed
// policies, handed to the run's PolicyDocumentCache so every holder shares one object.
import {
  GetAccountAuthorizationDetailsCommand,
  type AttachedPermissionsBoundary,
  type AttachedPolicy,
  type EntityType,
  type PolicyDetail,
  type Tag as SdkTag,
} from '@aws-sdk/client-iam';
import { AccountCollectionError } from '../aws/errors.js';
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
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    ctx.signal?.throwIfAborted();
    let page;
    try {
      page = await ctx.iam.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: filter,
          MaxItems: options.maxItems ?? 1000,
          Marker: marker,
        }),
        sendOptions(ctx.signal),
      );
    } catch (error) {
      ctx.signal?.throwIfAborted();
      throw new AccountCollectionError(ctx.accountId, 'iam:GetAccountAuthorizationDetails', error);
    }
    for (const u of page.UserDetailList ?? []) {
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
    for (const g of page.GroupDetailList ?? []) {
      // Incomplete entries are left out: their members are then read per user (see bulk-strategy).
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
    for (const r of page.RoleDetailList ?? []) {
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
    if (keepDocuments) {
      for (const p of page.Policies ?? []) {
        const version = p.PolicyVersionList?.find((v) => v.IsDefaultVersion === true);
        if (p.Arn === undefined || version?.Document === undefined || version.VersionId === undefined)
          continue;
        try {
          ctx.policies.prime(p.Arn, version.VersionId, decodePolicyDocument(version.Document));
        } catch {
          // Left out of the cache: a holder's GetPolicyVersion then fails (or succeeds) on its own.
          ctx.logger.debug(
            { accountId: ctx.accountId, policy: p.Arn },
            'undecodable policy document in GAAD',
          );
        }
      }
    }
    if (page.IsTruncated !== true) return details;
    if (page.Marker === undefined || seen.has(page.Marker)) {
      throw new AccountCollectionError(
        ctx.accountId,
        'iam:GetAccountAuthorizationDetails',
        new Error('IsTruncated without a new Marker'),
      );
    }
    seen.add(page.Marker);
    marker = page.Marker;
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
