// The IdentitySource of one AWS account, whatever the strategy that reads it (per-user, bulk): the scope,
// the estimate and the read context of a pages() pass are the same; only how the pages are read differs.
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { describeAwsError } from '../aws/aws-error.js';
import type { AccountReadContext } from '../iam/iam-requests.js';
import { PolicyDocumentCache } from '../iam/policy-documents.js';
import { readChangedIdentities } from '../changes/change-reader.js';
import type {
  AccountHandle,
  AwsCallObserver,
  CollectedChunk,
  CollectOptions,
  IdentitySource,
} from '../source.js';

export interface AccountSourceDeps {
  logger: Logger;
  observer?: AwsCallObserver;
  /** The run's policy document cache, shared by every account (AWS managed documents are read once). */
  policies?: PolicyDocumentCache;
}

/** How a strategy reads the pages of one account during one pages() pass. */
export type AccountPages = (
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
) => AsyncIterable<CollectedChunk>;

export function accountSource(
  handle: AccountHandle,
  config: CollectorConfig,
  deps: AccountSourceDeps,
  pages: AccountPages,
): IdentitySource {
  const policies = deps.policies ?? new PolicyDocumentCache();
  const source: IdentitySource = {
    scope: handle.accountId,
    kind: 'aws_account',
    accountId: handle.accountId,
    hasCreationCheckpoint: true,
    estimatedTotal: () => estimateIdentities(handle, config, deps.logger),
    pages: (options) => pages(readContext(handle, config, deps, policies, options.signal), config, options),
    readChanged: (targets, signal) =>
      readChangedIdentities(readContext(handle, config, deps, policies, signal), config, targets),
  };
  if (handle.accountAlias !== undefined) source.accountAlias = handle.accountAlias;
  return source;
}

function readContext(
  handle: AccountHandle,
  config: CollectorConfig,
  deps: AccountSourceDeps,
  policies: PolicyDocumentCache,
  signal: AbortSignal | undefined,
): AccountReadContext {
  return {
    accountId: handle.accountId,
    iam: handle.iam,
    policies,
    adminAnalysis: config.admin_analysis,
    logger: deps.logger,
    ...(handle.accountAlias !== undefined ? { accountAlias: handle.accountAlias } : {}),
    ...(signal !== undefined ? { signal } : {}),
  };
}

/** Users (and roles when collected) from GetAccountSummary; undefined when not permitted. */
export async function estimateIdentities(
  handle: AccountHandle,
  config: CollectorConfig,
  logger: Logger,
): Promise<number | undefined> {
  try {
    const r = await handle.iam.send(new GetAccountSummaryCommand({}));
    const users = r.SummaryMap?.Users;
    if (users === undefined) return undefined;
    return users + (config.include_roles ? (r.SummaryMap?.Roles ?? 0) : 0);
  } catch (error) {
    logger.debug(
      { accountId: handle.accountId, error: describeAwsError(error) },
      'GetAccountSummary unavailable',
    );
    return undefined;
  }
}
