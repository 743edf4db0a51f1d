// Opening one AWS account: credentials (an assumed role, or the caller's own), one IAM client per account,
// its alias, and an early check that the credentials work and land in the right account.
import { ListAccountAliasesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsConfig } from '../../config/config.js';
import type { Logger } from '../../log.js';
import type { AccountHandle, AwsCallObserver } from '../source.js';
import { describeAwsError } from './aws-error.js';
import { createClientFor, createIamClient } from './clients.js';
import { assumeRoleCredentials } from './credentials.js';

/** One account to collect. No role = the caller's own credentials (its own account). */
export interface ResolvedAccountTarget {
  accountId: string;
  /** The organization's name of the account, when discovered through Organizations. */
  name?: string;
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

/** The client options of one account's clients. */
export function clientOptions(
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
  if (target.name !== undefined) handle.accountName = target.name;
  if (aws.endpoint !== undefined) handle.endpoint = aws.endpoint;
  return handle;
}

async function readAccountAlias(iam: IAMClient): Promise<string | undefined> {
  const r = await iam.send(new ListAccountAliasesCommand({}));
  return r.AccountAliases?.[0];
}
