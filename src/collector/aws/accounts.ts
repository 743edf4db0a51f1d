// Which AWS accounts a run collects, and opening each one: credentials (an assumed role, or the caller's
// own), one IAM client per account, its alias, and an early check that the credentials work and land in the
// right account. A target that cannot be opened is a SourceFailure naming the account; the others go on.
import { ListAccountAliasesCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsConfig, OrganizationConfig } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { createClientFor, createIamClient } from './clients.js';
import { assumeRoleCredentials } from './credentials.js';
import { describeAwsError } from './aws-error.js';
import { allItems, tokenPages } from './pagination.js';
import type { AccountHandle, AwsCallObserver, SourceFailure } from '../source.js';

/** One account to collect. No role = the caller's own credentials (its own account). */
export interface ResolvedAccountTarget {
  accountId: string;
  roleArn?: string;
  externalId?: string;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** "aws", "aws-cn", "aws-us-gov": role ARNs are built in the caller's partition. */
  partition: string;
}

export interface AccountDeps {
  logger: Logger;
  observer?: AwsCallObserver;
  /** The caller's own credentials. */
  baseCredentials: AwsCredentialIdentityProvider;
}

export interface ResolvedTargets {
  caller: CallerIdentity;
  targets: ResolvedAccountTarget[];
  failures: SourceFailure[];
}

/** A target could not be resolved or opened. */
export class AccountOpenError extends Error {
  constructor(
    readonly accountId: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountOpenError';
  }
}

const ACCOUNT_ID = /^\d{12}$/;

function clientOptions(
  aws: AwsConfig,
  credentials: AwsCredentialIdentityProvider,
  accountId: string,
  deps: AccountDeps,
) {
  return {
    region: aws.region,
    ...(aws.endpoint !== undefined ? { endpoint: aws.endpoint } : {}),
    credentials,
    maxAttempts: aws.max_attempts,
    accountId,
    ...(deps.observer !== undefined ? { observer: deps.observer } : {}),
  };
}

/** STS GetCallerIdentity with the given credentials. */
export async function getCallerIdentity(
  aws: AwsConfig,
  credentials: AwsCredentialIdentityProvider,
  deps: AccountDeps,
  accountIdForCounters = '',
): Promise<CallerIdentity> {
  const sts = createClientFor(STSClient, {
    ...clientOptions(aws, credentials, accountIdForCounters, deps),
    service: 'sts',
  });
  try {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    const arn = r.Arn ?? '';
    return { accountId: r.Account ?? '', arn, partition: arn.split(':')[1] || 'aws' };
  } finally {
    sts.destroy();
  }
}

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
      if (accountId === caller.accountId) {
        // The management (or delegated admin) account is read with the caller's own credentials.
        targets.push({ accountId });
        continue;
      }
      targets.push({
        accountId,
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

export interface OpenAccountOptions {
  aws: AwsConfig;
  /** Duration of assumed-role sessions (aws.assume_role_duration_seconds). */
  durationSeconds: number;
  caller: CallerIdentity;
}

/**
 * Opens one account: resolves credentials (AssumeRole when the target has a role), checks them with
 * GetCallerIdentity, reads the alias. Throws AccountOpenError with a message naming the account and the
 * failed action.
 */
export async function openAccount(
  target: ResolvedAccountTarget,
  opts: OpenAccountOptions,
  deps: AccountDeps,
): Promise<AccountHandle> {
  const { aws } = opts;
  const { accountId } = target;
  let credentials = deps.baseCredentials;
  if (target.roleArn !== undefined) {
    credentials = assumeRoleCredentials({
      baseCredentials: deps.baseCredentials,
      roleArn: target.roleArn,
      region: aws.region,
      durationSeconds: opts.durationSeconds,
      maxAttempts: aws.max_attempts,
      callerAccountId: opts.caller.accountId,
      ...(target.externalId !== undefined ? { externalId: target.externalId } : {}),
      ...(aws.endpoint !== undefined ? { endpoint: aws.endpoint } : {}),
      ...(deps.observer !== undefined ? { observer: deps.observer } : {}),
    });
    try {
      await credentials();
    } catch (error) {
      throw new AccountOpenError(
        accountId,
        `account ${accountId}: sts:AssumeRole on ${target.roleArn} denied: ${describeAwsError(error)}`,
      );
    }
  }

  let identity: CallerIdentity;
  try {
    identity = await getCallerIdentity(aws, credentials, deps, accountId);
  } catch (error) {
    throw new AccountOpenError(
      accountId,
      `account ${accountId}: sts:GetCallerIdentity failed: ${describeAwsError(error)}`,
    );
  }
  if (identity.accountId !== accountId) {
    throw new AccountOpenError(
      accountId,
      `account ${accountId}: the credentials belong to account ${identity.accountId}` +
        (target.roleArn === undefined ? ' (configure role_arn or role_name for this account)' : ''),
    );
  }

  const iam = createIamClient(clientOptions(aws, credentials, accountId, deps));
  let accountAlias: string | undefined;
  try {
    accountAlias = await readAccountAlias(iam);
  } catch (error) {
    iam.destroy();
    throw new AccountOpenError(
      accountId,
      `account ${accountId}: iam:ListAccountAliases failed: ${describeAwsError(error)}`,
    );
  }
  const handle: AccountHandle = { accountId, region: aws.region, iam, credentials };
  if (accountAlias !== undefined) handle.accountAlias = accountAlias;
  if (aws.endpoint !== undefined) handle.endpoint = aws.endpoint;
  return handle;
}

async function readAccountAlias(iam: IAMClient): Promise<string | undefined> {
  const r = await iam.send(new ListAccountAliasesCommand({}));
  return r.AccountAliases?.[0];
}
