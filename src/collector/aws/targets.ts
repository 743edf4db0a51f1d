// Which AWS accounts a run collects: aws.accounts, or the organization's ACTIVE accounts filtered by
// include/exclude (account ids, OUs or roots), or the caller's own account. A target that cannot be
// resolved is a SourceFailure naming the account; the others go on.
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import type { AwsConfig, OrganizationConfig } from '../../config/config.js';
import type { SourceFailure } from '../source.js';
import {
  clientOptions,
  getCallerIdentity,
  type AccountDeps,
  type CallerIdentity,
  type ResolvedAccountTarget,
} from './accounts.js';
import { describeAwsError } from './aws-error.js';
import { createClientFor } from './clients.js';
import { allItems, tokenPages } from './pagination.js';

export interface ResolvedTargets {
  caller: CallerIdentity;
  targets: ResolvedAccountTarget[];
  failures: SourceFailure[];
}

const ACCOUNT_ID = /^\d{12}$/;

export function roleArnFor(partition: string, accountId: string, roleName: string): string {
  // role_name may carry a path ("collector/iam-inventory"); ARNs keep it.
  return `arn:${partition}:iam::${accountId}:role/${roleName.replace(/^\/+/, '')}`;
}

/**
 * The accounts of the run: aws.accounts, or the organization's ACTIVE accounts filtered by include/exclude,
 * or the caller's own account. Sorted by account id so that runs are repeatable.
 */
export async function resolveAccountTargets(aws: AwsConfig, deps: AccountDeps): Promise<ResolvedTargets> {
  let caller: CallerIdentity;
  try {
    caller = await getCallerIdentity(aws, deps.baseCredentials, deps);
  } catch (error) {
    // Without a working caller identity nothing can be collected; the run reports it as one failure.
    return {
      caller: { accountId: '', arn: '', partition: 'aws' },
      targets: [],
      failures: [
        {
          scope: 'credentials',
          accountId: '',
          error: `sts:GetCallerIdentity failed: ${describeAwsError(error)}`,
        },
      ],
    };
  }
  if (aws.accounts !== undefined && aws.accounts.length > 0) {
    const targets = aws.accounts.map((a): ResolvedAccountTarget => {
      const roleArn =
        a.role_arn ??
        (a.role_name !== undefined ? roleArnFor(caller.partition, a.id, a.role_name) : undefined);
      return {
        accountId: a.id,
        ...(roleArn !== undefined ? { roleArn } : {}),
        ...(a.external_id !== undefined ? { externalId: a.external_id } : {}),
      };
    });
    return { caller, targets: sortTargets(dedupe(targets)), failures: [] };
  }
  if (aws.organization?.enabled === true) {
    return resolveOrganization(aws, aws.organization, caller, deps);
  }
  return { caller, targets: [{ accountId: caller.accountId }], failures: [] };
}

function dedupe(targets: ResolvedAccountTarget[]): ResolvedAccountTarget[] {
  const byId = new Map<string, ResolvedAccountTarget>();
  for (const t of targets) if (!byId.has(t.accountId)) byId.set(t.accountId, t);
  return [...byId.values()];
}

function sortTargets(targets: ResolvedAccountTarget[]): ResolvedAccountTarget[] {
  return [...targets].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

function accountStatus(a: Account): string | undefined {
  return a.Status ?? a.State;
}

async function resolveOrganization(
  aws: AwsConfig,
  org: OrganizationConfig,
  caller: CallerIdentity,
  deps: AccountDeps,
): Promise<ResolvedTargets> {
  const client = createClientFor(OrganizationsClient, {
    ...clientOptions(aws, deps.baseCredentials, caller.accountId, deps),
    service: 'organizations',
  });
  try {
    const all = await listOrgAccounts(client, undefined);
    const byId = new Map(all.map((a) => [a.Id ?? '', a]));
    const failures: SourceFailure[] = [];

    const expand = async (ids: string[]): Promise<Set<string>> => {
      const out = new Set<string>();
      for (const id of ids) {
        if (ACCOUNT_ID.test(id)) out.add(id);
        else for (const accountId of await accountsUnder(client, id)) out.add(accountId);
      }
      return out;
    };
    const included = org.include.length > 0 ? await expand(org.include) : new Set(byId.keys());
    const excluded = await expand(org.exclude);

    const targets: ResolvedAccountTarget[] = [];
    for (const accountId of included) {
      if (excluded.has(accountId)) continue;
      const account = byId.get(accountId);
      if (account === undefined) {
        failures.push({
          scope: accountId,
          accountId,
          error: `account ${accountId}: listed in aws.organization.include but not a member of the organization`,
        });
        continue;
      }
      const status = accountStatus(account);
      if (status !== 'ACTIVE') {
        deps.logger.info({ accountId, status }, 'skipping organization account that is not ACTIVE');
        continue;
      }
      const named = account.Name !== undefined && account.Name !== '' ? { name: account.Name } : {};
      if (accountId === caller.accountId) {
        // The management (or delegated admin) account is read with the caller's own credentials.
        targets.push({ accountId, ...named });
        continue;
      }
      targets.push({
        accountId,
        ...named,
        roleArn: roleArnFor(caller.partition, accountId, org.role_name),
        ...(org.external_id !== undefined ? { externalId: org.external_id } : {}),
      });
    }
    return { caller, targets: sortTargets(targets), failures };
  } catch (error) {
    return {
      caller,
      targets: [],
      failures: [
        {
          scope: 'organization',
          accountId: caller.accountId,
          error: `organization: listing accounts failed: ${describeAwsError(error)}`,
        },
      ],
    };
  } finally {
    client.destroy();
  }
}

/** ListAccounts (parentId undefined) or ListAccountsForParent, all pages. */
function listOrgAccounts(client: OrganizationsClient, parentId: string | undefined): Promise<Account[]> {
  const pages =
    parentId === undefined
      ? tokenPages({
          action: 'organizations:ListAccounts',
          fetchPage: (NextToken) => client.send(new ListAccountsCommand({ NextToken })),
        })
      : tokenPages({
          action: 'organizations:ListAccountsForParent',
          fetchPage: (NextToken) =>
            client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })),
        });
  return allItems(pages, (r) => r.Accounts);
}

/** Every account under an OU or root, through nested OUs. */
async function accountsUnder(client: OrganizationsClient, parentId: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [parentId];
  const visited = new Set<string>();
  while (pending.length > 0) {
    const parent = pending.shift() as string;
    if (visited.has(parent)) continue;
    visited.add(parent);
    for (const a of await listOrgAccounts(client, parent)) if (a.Id !== undefined) out.push(a.Id);
    const units = tokenPages({
      action: 'organizations:ListOrganizationalUnitsForParent',
      fetchPage: (NextToken) =>
        client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken })),
    });
    for (const ou of await allItems(units, (r) => r.OrganizationalUnits)) {
      if (ou.Id !== undefined) pending.push(ou.Id);
    }
  }
  return out;
}
