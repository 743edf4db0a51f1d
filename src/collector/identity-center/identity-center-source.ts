// IAM Identity Center users from the Identity Store API. The store lives in one account (the organization's
// management account or a delegated admin); its users are not IAM users and have no CreateDate, so this
// source has no creation checkpoint and is synced by full-mode fingerprints.
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { createClientFor } from '../aws/clients.js';
import { AccountCollectionError } from '../aws/errors.js';
import { allItems, tokenPages } from '../aws/pagination.js';
import type { AccountHandle, AwsCallObserver, IdentitySource } from '../source.js';
import { IdentityStore } from './identity-store.js';
import { IdentityStoreReader } from './store-reader.js';

export interface IdentityCenterSourceParams {
  config: Config;
  /** Credentials and endpoint of the account that hosts the identity store. */
  hostHandle: AccountHandle;
  logger: Logger;
  observer?: AwsCallObserver;
  /** MaxResults of every Identity Store list call (AWS max 100); small values in tests. */
  pageSize?: number;
}

const MAX_PAGE_SIZE = 100;

/**
 * Opens the Identity Center source. Async because, without identity_center.identity_store_id, the store id
 * (which names the source's scope) is discovered first with sso-admin ListInstances.
 */
export async function identityCenterSource(params: IdentityCenterSourceParams): Promise<IdentitySource> {
  const { config, hostHandle } = params;
  const region = config.identity_center.region ?? config.aws.region;
  const clientOptions = {
    region,
    ...(hostHandle.endpoint !== undefined ? { endpoint: hostHandle.endpoint } : {}),
    credentials: hostHandle.credentials,
    maxAttempts: config.aws.max_attempts,
    accountId: hostHandle.accountId,
    ...(params.observer !== undefined ? { observer: params.observer } : {}),
  };
  const storeId =
    config.identity_center.identity_store_id ??
    (await discoverIdentityStoreId(createClientFor(SSOAdminClient, clientOptions), hostHandle.accountId));
  const client = createClientFor(IdentitystoreClient, clientOptions);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, params.pageSize ?? MAX_PAGE_SIZE));
  const store = new IdentityStore(client, storeId, pageSize, hostHandle.accountId);
  const reader = new IdentityStoreReader(store, hostHandle, params.logger);
  return {
    scope: `identity-center:${storeId}`,
    kind: 'identity_center',
    accountId: hostHandle.accountId,
    ...(hostHandle.accountAlias !== undefined ? { accountAlias: hostHandle.accountAlias } : {}),
    hasCreationCheckpoint: false,
    pages: (options) => reader.pages(options),
  };
}

/** The identity store id of the (single) Identity Center instance visible to the host account. */
export async function discoverIdentityStoreId(sso: SSOAdminClient, accountId: string): Promise<string> {
  const action = 'sso:ListInstances';
  const pages = tokenPages({
    action,
    fetchPage: (NextToken) => sso.send(new ListInstancesCommand({ NextToken })),
    fail: (cause) => new AccountCollectionError(accountId, action, cause),
  });
  const ids = (await allItems(pages, (p) => p.Instances)).flatMap((i) =>
    i.IdentityStoreId !== undefined ? [i.IdentityStoreId] : [],
  );
  const [first] = ids;
  if (first === undefined) {
    throw new AccountCollectionError(
      accountId,
      'sso:ListInstances',
      new Error('no IAM Identity Center instance found: set identity_center.identity_store_id or region'),
    );
  }
  if (ids.length > 1) {
    throw new AccountCollectionError(
      accountId,
      'sso:ListInstances',
      new Error(
        `several Identity Center instances (${ids.join(', ')}): set identity_center.identity_store_id`,
      ),
    );
  }
  return first;
}
