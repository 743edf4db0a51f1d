// IamUser, IamGroup and IamRole records from what GetAccountAuthorizationDetails (GAAD) said about them,
// with the per-user calls GAAD does not replace (MFA devices or the credential report's mfa_active, access
// keys, login profile), made only when configured. They are the records the identity's own calls give
// (users.ts, groups.ts, roles.ts) for the same account and configuration: same fields, same array order,
// same shared helpers for policy references. Where the credential report replaces calls, the records say so
// (mfaProvenance, mfaActive).
//
// With mfa_source: credential_report, the user's MFA, access keys and login profile come from the account-wide
// answers where they can (report-credentials.ts, shared with the per-user strategy); users missing from the
// report (created after it, or a name reused since) take the per-user calls.
import type { Role, User } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { IamGroup, IamRole, IamUser, PolicyDocument } from '../../identity/identity.js';
import { EnrichmentError } from '../aws/errors.js';
import {
  GAAD_ACTION,
  type AuthorizationDetails,
  type DetailGroup,
  type DetailInlinePolicy,
  type DetailRole,
  type DetailUser,
} from './authorization-details.js';
import {
  inlinePolicies,
  managedPolicyRefs,
  needsBoundaryForAdmin,
  readBoundary,
  type HolderPolicies,
} from './holder-policies.js';
import type { AccountReadContext } from './iam-requests.js';
import { readUserCredentials, type AccountCredentialFacts } from './report-credentials.js';
import { roleRecord } from './roles.js';
import { SharedReads } from './shared-reads.js';
import { userRecord } from './users.js';

/** What the records of one account pass share: GAAD's picture, the report, the groups built from them. */
export interface DetailReads {
  ctx: AccountReadContext;
  config: CollectorConfig;
  details: AuthorizationDetails;
  /** The credential report and virtual MFA listing, when the configuration uses them and they were had. */
  facts?: AccountCredentialFacts;
  groups: DetailGroupCache;
}

/** Thrown when GAAD's picture of an identity is incomplete: the identity is read per user instead. */
export class NotInDetails extends Error {}

/** The user GAAD describes; throws NotInDetails when GAAD's picture of it is incomplete. */
export async function readDetailUser(e: DetailReads, u: User, d: DetailUser): Promise<IamUser> {
  const { ctx, config } = e;
  const groups: IamGroup[] = [];
  for (const groupName of d.groupNames) {
    const group = await e.groups.get(groupName);
    if (group === undefined) throw new NotInDetails(`group ${groupName} not in GAAD`);
    groups.push(group);
  }
  const credentials = await readUserCredentials(ctx, config, e.facts, u);
  const user = userRecord(ctx, u, groups, await detailPolicies(ctx, d), credentials);
  // Same rule as per-user, so both strategies report the same thing (see needsBoundaryForAdmin).
  if (config.tags) user.tags = d.tags;
  if (config.tags || needsBoundaryForAdmin(config, user)) {
    const boundary = await readBoundary(ctx, d.boundary);
    if (boundary !== undefined) user.permissionsBoundary = boundary;
  }
  return user;
}

export async function readDetailRole(e: DetailReads, r: Role, d: DetailRole): Promise<IamRole> {
  const { ctx, config } = e;
  const role = roleRecord(ctx, r, await detailPolicies(ctx, d));
  if (config.tags) {
    role.tags = d.tags;
    if (d.lastUsedTime !== undefined) role.lastUsedTime = d.lastUsedTime;
  }
  if (config.tags || needsBoundaryForAdmin(config, role)) {
    const boundary = await readBoundary(ctx, d.boundary);
    if (boundary !== undefined) role.permissionsBoundary = boundary;
  }
  return role;
}

/** A user's, group's or role's policies as GAAD describes them (documents included when it has them). */
async function detailPolicies(
  ctx: AccountReadContext,
  d: { attached: DetailGroup['attached']; inline: DetailInlinePolicy[] },
): Promise<HolderPolicies> {
  const byName = new Map(d.inline.map((p) => [p.name, p]));
  return {
    attachedPolicies: await managedPolicyRefs(
      ctx,
      d.attached.map((a) => ({ PolicyName: a.name, PolicyArn: a.arn })),
    ),
    inlinePolicies: await inlinePolicies(
      ctx,
      d.inline.map((p) => p.name),
      async (name): Promise<PolicyDocument> => {
        const p = byName.get(name);
        if (p?.document !== undefined) return p.document;
        throw new EnrichmentError(
          GAAD_ACTION,
          new Error(`inline policy ${name}: ${p?.documentError ?? 'no document'}`),
        );
      },
    ),
  };
}

/**
 * Each group of the account built once per pass from GAAD and shared by its members (documents included).
 * A failed build (a policy document that could not be read) is evicted so the next member retries it.
 */
export class DetailGroupCache {
  private readonly byName = new SharedReads<string, IamGroup>();

  constructor(
    private readonly ctx: AccountReadContext,
    private readonly details: AuthorizationDetails,
  ) {}

  /** undefined when GAAD did not list the group. */
  get(name: string): Promise<IamGroup> | undefined {
    const detail = this.details.groups.get(name);
    return detail === undefined ? undefined : this.byName.get(name, () => this.build(detail));
  }

  private async build(d: DetailGroup): Promise<IamGroup> {
    const out: IamGroup = {
      name: d.name,
      arn: d.arn,
      ...(await detailPolicies(this.ctx, d)),
    };
    if (d.groupId !== undefined) out.groupId = d.groupId;
    if (d.path !== undefined) out.path = d.path;
    return out;
  }
}
