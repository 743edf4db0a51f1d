// The auto strategy: bulk when the credentials allow GetAccountAuthorizationDetails, per-user otherwise.
// Bulk reads GAAD before it yields anything, so a denial is known before the first page and the switch
// loses or repeats nothing. The decision is kept for the life of the source (one run): later passes go
// straight to per-user without asking again.
import type { CollectorConfig } from '../../config/config.js';
import { bulkSource, type BulkDeps } from './bulk.js';
import { isAccessDenied } from '../aws/aws-error.js';
import { AccountCollectionError } from '../aws/errors.js';
import { perUserSource } from './per-user.js';
import type { AccountHandle, CollectedChunk, CollectOptions, IdentitySource } from '../source.js';

export function autoSource(handle: AccountHandle, config: CollectorConfig, deps: BulkDeps): IdentitySource {
  const bulk = bulkSource(handle, config, deps);
  const perUser = perUserSource(handle, config, deps);
  let bulkDenied = false;

  async function* pages(options: CollectOptions): AsyncGenerator<CollectedChunk> {
    if (bulkDenied) {
      yield* perUser.pages(options);
      return;
    }
    let yielded = false;
    try {
      for await (const chunk of bulk.pages(options)) {
        yielded = true;
        yield chunk;
      }
    } catch (error) {
      if (yielded || !isGaadDenied(error)) throw error;
      bulkDenied = true;
      deps.logger.warn(
        { accountId: handle.accountId, error: error.message },
        'GetAccountAuthorizationDetails denied: collecting this account with the per-user strategy',
      );
      yield* perUser.pages(options);
    }
  }

  const source: IdentitySource = {
    scope: handle.accountId,
    kind: 'aws_account',
    accountId: handle.accountId,
    hasCreationCheckpoint: true,
    pages,
  };
  if (perUser.estimatedTotal !== undefined) source.estimatedTotal = perUser.estimatedTotal;
  // A change reads its few identities one by one (as every strategy does), never the whole account again.
  if (perUser.readChanged !== undefined) source.readChanged = perUser.readChanged;
  if (handle.accountAlias !== undefined) source.accountAlias = handle.accountAlias;
  return source;
}

function isGaadDenied(error: unknown): error is AccountCollectionError {
  return (
    error instanceof AccountCollectionError &&
    error.action === 'iam:GetAccountAuthorizationDetails' &&
    isAccessDenied(error)
  );
}
