// Who can reach which account through Identity Center: the permission sets (read once per run) and the
// account assignments of every user and group, each with its admin verdict in the assigned account.
//
// Assignments: either listed per account and permission set (ListAccountsForProvisionedPermissionSet, then
// ListAccountAssignments per pair: about P + pairs calls) or per principal (ListAccountAssignmentsForPrincipal:
// one call per group and per user). As with memberships, the cheaper is chosen: per pair when P plus the
// provisioned pairs is below the number of users and groups. The pair listing is built after every user was
// listed, so it vouches for each of them: a user without a row has no assignment. A failed listing fails the
// whole scope (it never reads as "no assignment").
import type {
  AccountAssignment,
  IdentityCenterGroup,
  PermissionSet,
  PolicyDocument,
} from '../../identity/identity.js';
import { analyzePermissionSet, customerReferences, type PermissionSetVerdict } from '../../identity/index.js';
import type { Logger } from '../../log.js';
import { isNotFound } from '../aws/aws-error.js';
import { AccountCollectionError, EnrichmentError } from '../aws/errors.js';
import type { PolicyDocumentCache } from '../iam/policy-documents.js';
import { SharedReads } from '../iam/shared-reads.js';
import type { AccountHandle } from '../source.js';
import { boundedAll } from './bounded-all.js';
import type { AssignmentRow, SsoAdminReads } from './sso-admin-reads.js';

export interface AccessDeps {
  /** The inventoried accounts: customer managed policies are read there, through their IAM client. */
  handles: ReadonlyMap<string, AccountHandle>;
  policies: PolicyDocumentCache;
  logger: Logger;
}

const LIST_CONCURRENCY = 4;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const principalKey = (type: 'USER' | 'GROUP', id: string): string => `${type}:${id}`;

function byPrincipal(rows: readonly AssignmentRow[]): Map<string, AssignmentRow[]> {
  const out = new Map<string, AssignmentRow[]>();
  for (const row of rows) {
    const key = principalKey(row.principalType, row.principalId);
    const list = out.get(key);
    if (list === undefined) out.set(key, [row]);
    else list.push(row);
  }
  return out;
}

/** Every assignment per account and permission set, when that is cheaper than asking each principal. */
async function pairListing(
  reads: SsoAdminReads,
  sets: readonly PermissionSet[],
  principals: number,
): Promise<Map<string, AssignmentRow[]> | undefined> {
  if (sets.length >= principals) return undefined;
  const accounts = await boundedAll(sets, LIST_CONCURRENCY, (ps) => reads.provisionedAccounts(ps.arn));
  const pairs = sets.flatMap((ps, i) => (accounts[i] ?? []).map((accountId) => ({ ps, accountId })));
  if (sets.length + pairs.length >= principals) return undefined;
  const rows = await boundedAll(pairs, LIST_CONCURRENCY, ({ ps, accountId }) =>
    reads.accountAssignments(accountId, ps.arn),
  );
  return byPrincipal(rows.flat());
}

/** Every group's assignments, one call per group; a failure fails the scope. */
async function groupListing(
  reads: SsoAdminReads,
  groupIds: readonly string[],
  hostAccountId: string,
): Promise<Map<string, AssignmentRow[]>> {
  const rows = await boundedAll(groupIds, LIST_CONCURRENCY, (id) =>
    reads.principalAssignments('GROUP', id).catch((error: unknown) => {
      const cause = error instanceof EnrichmentError ? error.cause : error;
      throw new AccountCollectionError(hostAccountId, 'sso:ListAccountAssignmentsForPrincipal', cause);
    }),
  );
  return byPrincipal(rows.flat());
}

export class AccountAccess {
  private readonly verdicts = new SharedReads<string, PermissionSetVerdict>();

  private constructor(
    private readonly reads: SsoAdminReads,
    private readonly sets: ReadonlyMap<string, PermissionSet>,
    /** Rows by principal key; complete for users too when listed per pair (`perPair`). */
    private readonly rows: ReadonlyMap<string, AssignmentRow[]>,
    private readonly perPair: boolean,
    private readonly deps: AccessDeps,
  ) {}

  /** Reads the permission sets and the assignments the chosen way (see the top). Throws for the scope. */
  static async load(
    reads: SsoAdminReads,
    deps: AccessDeps,
    hostAccountId: string,
    users: number,
    groupIds: readonly string[],
  ): Promise<AccountAccess> {
    const sets = await reads.permissionSets();
    const pairs = await pairListing(reads, sets, users + groupIds.length);
    const rows = pairs ?? (await groupListing(reads, groupIds, hostAccountId));
    deps.logger.debug(
      { permissionSets: sets.length, assignments: pairs ? 'per-pair' : 'per-principal' },
      'identity center assignments',
    );
    return new AccountAccess(reads, new Map(sets.map((s) => [s.arn, s])), rows, pairs !== undefined, deps);
  }

  /**
   * A user's assignments (direct, then through each group) with verdicts, and the groups with the names of
   * their permission sets. Rejects with an EnrichmentError naming the failed action.
   */
  async of(
    userId: string,
    groups: readonly IdentityCenterGroup[],
    signal?: AbortSignal,
  ): Promise<{ assignments: AccountAssignment[]; groups: IdentityCenterGroup[] }> {
    const direct = this.perPair
      ? (this.rows.get(principalKey('USER', userId)) ?? [])
      : await this.reads.principalAssignments('USER', userId, signal);
    const viaRows: [string, AssignmentRow][] = direct.map((r) => ['user', r]);
    const withSets = groups.map((g) => {
      const rows = this.rows.get(principalKey('GROUP', g.groupId)) ?? [];
      for (const r of rows) viaRows.push([`group:${g.displayName}`, r]);
      const names = rows.map((r) => this.setOf(r).name);
      return { ...g, permissionSets: [...new Set(names)].sort(compare) };
    });
    const assignments = await Promise.all(viaRows.map(([via, row]) => this.assignment(via, row, signal)));
    assignments.sort(
      (a, b) =>
        compare(a.accountId, b.accountId) ||
        compare(a.permissionSetName, b.permissionSetName) ||
        compare(a.via, b.via),
    );
    return { assignments, groups: withSets };
  }

  private setOf(row: AssignmentRow): PermissionSet {
    const ps = this.sets.get(row.permissionSetArn);
    if (ps === undefined) {
      // Created after ListPermissionSets: its policies are unknown, and a guessed verdict would be wrong.
      throw new EnrichmentError(
        'sso:ListPermissionSets',
        new Error(`permission set ${row.permissionSetArn} created during collection`),
      );
    }
    return ps;
  }

  private async assignment(
    via: string,
    row: AssignmentRow,
    signal?: AbortSignal,
  ): Promise<AccountAssignment> {
    const ps = this.setOf(row);
    const verdict = await this.verdicts.get(`${row.accountId}|${ps.arn}`, () =>
      this.verdict(row.accountId, ps, signal),
    );
    const handle = this.deps.handles.get(row.accountId);
    // The organization's name, else the alias: what names the account for people.
    const name = handle?.accountName ?? handle?.accountAlias;
    return {
      accountId: row.accountId,
      ...(name !== undefined ? { accountName: name } : {}),
      permissionSetArn: ps.arn,
      permissionSetName: ps.name,
      via,
      admin: verdict.admin,
      ...(verdict.unverified ? { adminUnverified: true as const } : {}),
    };
  }

  /** The verdict in one account: customer managed documents read there when it is inventoried. */
  private async verdict(
    accountId: string,
    ps: PermissionSet,
    signal?: AbortSignal,
  ): Promise<PermissionSetVerdict> {
    const refs = customerReferences(ps);
    const handle = this.deps.handles.get(accountId);
    if (refs.length === 0 || handle === undefined) return analyzePermissionSet(ps, () => undefined);
    const partition = ps.arn.split(':')[1] ?? 'aws';
    const documents = new Map<string, PolicyDocument | null>();
    for (const ref of refs) {
      const arn = `arn:${partition}:iam::${accountId}:policy${ref.path}${ref.name}`;
      documents.set(`${ref.path}${ref.name}`, await this.customerDocument(handle, arn, signal));
    }
    return analyzePermissionSet(ps, (ref) => documents.get(`${ref.path}${ref.name}`));
  }

  private async customerDocument(
    handle: AccountHandle,
    arn: string,
    signal?: AbortSignal,
  ): Promise<PolicyDocument | null> {
    try {
      return await this.deps.policies.get(handle.iam, arn, signal);
    } catch (error) {
      // The account has no such policy: the reference grants nothing there.
      if (error instanceof EnrichmentError && isNotFound(error.cause)) return null;
      throw error;
    }
  }
}
