// IAM roles (collector.include_roles): a second phase of an account's source, after its users. ListRoles
// carries the trust policy; attached and inline policies and (with tags) GetRole complete each role.
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type Role,
} from '@aws-sdk/client-iam';
import type { LimitFunction } from 'p-limit';
import type { CollectorConfig } from '../config/config.js';
import { AccountCollectionError, describeAwsError, EnrichmentError } from './errors.js';
import {
  callAws,
  inlinePolicies,
  isNoSuchEntityFrom,
  listAll,
  managedPolicyRefs,
  needsBoundaryForAdmin,
  readBoundary,
  sendOptions,
  toMillis,
  toTags,
  type AccountReadContext,
} from './iam-requests.js';
import type { IamRole } from './identity.js';
import { decodeDocumentOf } from './policy-documents.js';
import type { CollectedItem, CollectedPage, CollectOptions, ListedIdentity } from './source.js';

/** Calls about the role itself: NoSuchEntity from them means the role was deleted mid-run. */
const ROLE_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRole',
]);

export function listedRole(r: Role): ListedIdentity {
  return { key: r.Arn ?? '', name: r.RoleName ?? '', createDate: toMillis(r.CreateDate) ?? 0 };
}

export async function enrichRole(
  ctx: AccountReadContext,
  config: CollectorConfig,
  r: Role,
): Promise<CollectedItem> {
  const key = r.Arn ?? '';
  const name = r.RoleName ?? '';
  try {
    return { status: 'ok', identity: await readRole(ctx, config, r) };
  } catch (error) {
    if (isNoSuchEntityFrom(error, ROLE_ACTIONS)) {
      ctx.logger.debug({ accountId: ctx.accountId, role: name }, 'role vanished during collection');
      return { status: 'vanished', key, name };
    }
    const action = error instanceof EnrichmentError ? error.action : 'collector';
    const cause = error instanceof EnrichmentError ? error.cause : error;
    return { status: 'failed', key, name, action, error: describeAwsError(cause) };
  }
}

async function readRole(ctx: AccountReadContext, config: CollectorConfig, r: Role): Promise<IamRole> {
  const { iam } = ctx;
  const RoleName = r.RoleName ?? '';
  const opts = sendOptions(ctx.signal);
  const attached = await listAll(
    'iam:ListAttachedRolePolicies',
    (Marker) => iam.send(new ListAttachedRolePoliciesCommand({ RoleName, Marker }), opts),
    (p) => p.AttachedPolicies,
  );
  const inlineNames = await listAll(
    'iam:ListRolePolicies',
    (Marker) => iam.send(new ListRolePoliciesCommand({ RoleName, Marker }), opts),
    (p) => p.PolicyNames,
  );
  const role: IamRole = {
    kind: 'iam_role',
    accountId: ctx.accountId,
    roleName: RoleName,
    roleId: r.RoleId ?? '',
    arn: r.Arn ?? '',
    path: r.Path ?? '/',
    createDate: toMillis(r.CreateDate) ?? 0,
    attachedPolicies: await managedPolicyRefs(ctx, attached),
    inlinePolicies: await inlinePolicies(ctx, inlineNames, async (PolicyName) => {
      const p = await callAws('iam:GetRolePolicy', () =>
        iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }), opts),
      );
      return decodeDocumentOf('iam:GetRolePolicy', p.PolicyDocument);
    }),
  };
  if (ctx.accountAlias !== undefined) role.accountAlias = ctx.accountAlias;
  if (r.Description !== undefined && r.Description !== '') role.description = r.Description;
  if (r.AssumeRolePolicyDocument !== undefined) {
    role.trustPolicy = decodeDocumentOf('iam:ListRoles', r.AssumeRolePolicyDocument);
  }
  if (config.tags || needsBoundaryForAdmin(config, role)) {
    const got = await callAws('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName }), opts));
    if (config.tags) {
      role.tags = toTags(got.Role?.Tags);
      const lastUsed = toMillis(got.Role?.RoleLastUsed?.LastUsedDate);
      if (lastUsed !== undefined) role.lastUsedTime = lastUsed;
    }
    const boundary = await readBoundary(ctx, got.Role?.PermissionsBoundary);
    if (boundary !== undefined) role.permissionsBoundary = boundary;
  }
  return role;
}

/** Pages of roles, each enriched (under the account's limit) before the next page is requested. */
export async function* rolePages(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
  limit: LimitFunction,
): AsyncGenerator<CollectedPage> {
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    options.signal?.throwIfAborted();
    let page;
    try {
      page = await ctx.iam.send(
        new ListRolesCommand({ MaxItems: config.page_size, Marker: marker }),
        sendOptions(options.signal),
      );
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new AccountCollectionError(ctx.accountId, 'iam:ListRoles', error);
    }
    const roles = page.Roles ?? [];
    const items = await Promise.all(
      roles
        .filter((r) => options.shouldEnrich(listedRole(r)))
        .map((r) => limit(() => enrichRole(ctx, config, r))),
    );
    options.signal?.throwIfAborted();
    yield { listed: roles.map(listedRole), items };
    if (page.IsTruncated !== true) return;
    if (page.Marker === undefined || seen.has(page.Marker)) {
      throw new AccountCollectionError(
        ctx.accountId,
        'iam:ListRoles',
        new Error('IsTruncated without a new Marker'),
      );
    }
    seen.add(page.Marker);
    marker = page.Marker;
  }
}
