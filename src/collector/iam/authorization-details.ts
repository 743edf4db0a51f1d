// GetAccountAuthorizationDetails (GAAD) for one account, boiled down to what the bulk strategy needs: per
// user its groups, attached and inline policies, tags and boundary; per group its policies; per role the
// same. Raw responses are dropped page by page; policy documents are decoded once and, for managed
// policies, handed to the run's PolicyDocumentCache so every holder shares one object.
//
// Two listings, so that an account's details are not held whole: groups, roles and policies first (in
// full: every user may need them), then the users streamed (DetailUserStream), read page by page as the
// ListUsers pages ask for them and dropped once their listing page is done. Memory holds about one page of
// user details instead of all of them; the calls are the same pages, plus at most one.
import {
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
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
import { markerCursor, markerPages, type PageReader, type Pagination } from '../aws/pagination.js';
import { toMillis, toTags, type AccountReadContext } from './iam-requests.js';
import type { PolicyDocument, Tag } from '../../identity/identity.js';
import { decodePolicyDocument } from './policy-documents.js';
import { withSignal } from '../aws/call-signal.js';

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
  /** By user ARN, streamed: ask for a listing page's users (prepare) before looking them up. */
  users: DetailUserStream;
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

type GaadPage = GetAccountAuthorizationDetailsCommandOutput;

function gaadListing(
  ctx: AccountReadContext,
  filter: EntityType[],
  maxItems: number | undefined,
): Pagination<GaadPage> {
  return {
    action: GAAD_ACTION,
    fetchPage: (Marker) =>
      ctx.iam.send(
        withSignal(
          new GetAccountAuthorizationDetailsCommand({ Filter: filter, MaxItems: maxItems ?? 1000, Marker }),
          ctx.signal,
        ),
      ),
    fail: (cause) => new AccountCollectionError(ctx.accountId, GAAD_ACTION, cause),
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
  };
}

/**
 * Reads the groups, roles and policies in full, and opens the stream of users; any failed call is an
 * account-level failure (nothing partial is used). The first call is made here, so a denial is known
 * before any user is enriched.
 */
export async function readAuthorizationDetails(
  ctx: AccountReadContext,
  options: ReadDetailsOptions,
): Promise<AuthorizationDetails> {
  const filter: EntityType[] = ['Group'];
  if (options.includeRoles) filter.push('Role');
  if (options.withPolicyDocuments) filter.push('LocalManagedPolicy');
  if (options.withPolicyDocuments && options.withAwsManagedDocuments === true)
    filter.push('AWSManagedPolicy');
  const keepDocuments = options.withPolicyDocuments;
  const groups = new Map<string, DetailGroup>();
  const roles = new Map<string, DetailRole>();
  for await (const page of markerPages(gaadListing(ctx, filter, options.maxItems))) {
    addGroups(groups, page.GroupDetailList, keepDocuments);
    addRoles(roles, page.RoleDetailList, keepDocuments);
    if (keepDocuments) primeDocuments(ctx, page.Policies);
  }
  const users = new DetailUserStream(
    markerCursor(gaadListing(ctx, ['User'], options.maxItems)),
    keepDocuments,
  );
  return { users, groups, roles };
}

/**
 * The users' details, read from GAAD as the listing asks for them. prepare() reads GAAD pages until it
 * has every user of the listing page to enrich (or GAAD has no more), after dropping the page before's:
 * each user is enriched once per pass, while its listing page is. A user GAAD never lists is absent
 * (created after GAAD read that part; the caller reads it per user). When GAAD's order is not ListUsers'
 * order, the details read ahead wait in memory until their page comes: never wrong, only larger.
 */
export class DetailUserStream {
  private readonly pending = new Map<string, DetailUser>();
  private previous: string[] = [];
  private exhausted = false;

  constructor(
    private readonly pages: PageReader<GaadPage>,
    private readonly keepDocuments: boolean,
  ) {}

  /** `listed`: the listing page's users; `wanted`: those of them about to be enriched. */
  async prepare(listed: readonly string[], wanted: readonly string[]): Promise<void> {
    for (const arn of this.previous) this.pending.delete(arn);
    this.previous = [...listed];
    while (!this.exhausted && wanted.some((arn) => !this.pending.has(arn))) {
      const page = await this.pages.read();
      if (page === undefined) this.exhausted = true;
      else addUsers(this.pending, page.UserDetailList, this.keepDocuments);
    }
  }

  /** The user's details, once prepare() was given its listing page. */
  get(arn: string): DetailUser | undefined {
    return this.pending.get(arn);
  }
}

function addUsers(
  users: Map<string, DetailUser>,
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
    users.set(u.Arn, user);
  }
}

function addGroups(
  groups: Map<string, DetailGroup>,
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
    groups.set(g.GroupName, group);
  }
}

function addRoles(
  roles: Map<string, DetailRole>,
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
    roles.set(r.Arn, role);
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
