// IAM Identity Center users from the Identity Store API. The store lives in one account (the organization's
// management account or a delegated admin); its users are not IAM users and have no CreateDate, so this
// source has no creation checkpoint and is synced by full-mode fingerprints.
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import pLimit from 'p-limit';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { createClientFor } from '../aws/clients.js';
import { AccountCollectionError } from '../aws/errors.js';
import { allItems, tokenPages } from '../aws/pagination.js';
import type { AccountHandle, AwsCallObserver, IdentitySource } from '../source.js';
import { IdentityStore } from './identity-store.js';
import { PolicyDocumentCache } from '../iam/policy-documents.js';
import { AccountAccess } from './account-access.js';
import { SsoAdminReads } from './sso-admin-reads.js';
import { IdentityStoreReader, type AccessLoader } from './store-reader.js';

export interface IdentityCenterSourceParams {
  config: Config;
  /** Credentials and endpoint of the account that hosts the identity store. */
  hostHandle: AccountHandle;
  logger: Logger;
  observer?: AwsCallObserver;
  /** MaxResults of every Identity Store list call (AWS max 100); small values in tests. */
  pageSize?: number;
  /** The inventoried accounts (customer managed policies of permission sets are read there). */
  accounts?: ReadonlyMap<string, AccountHandle>;
  /** The run's policy document cache, shared with the IAM readers. */
  policies?: PolicyDocumentCache;
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
  const sso = createClientFor(SSOAdminClient, clientOptions);
  let resolved: { storeId: string; instanceArn?: string };
  try {
    resolved = await resolveInstance(config, sso, hostHandle.accountId);
  } catch (error) {
    sso.destroy();
    throw error;
  }
  const { storeId, instanceArn } = resolved;
  const client = createClientFor(IdentitystoreClient, clientOptions);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, params.pageSize ?? MAX_PAGE_SIZE));
  const store = new IdentityStore(client, storeId, pageSize, hostHandle.accountId);
  const loadAccess =
    instanceArn !== undefined
      ? accessLoader(new SsoAdminReads(sso, instanceArn, hostHandle.accountId, pageSize), params)
      : undefined;
  const limit = pLimit(config.collector.concurrency);
  const reader = new IdentityStoreReader(store, hostHandle, params.logger, limit, loadAccess);
  return {
    scope: `identity-center:${storeId}`,
    kind: 'identity_center',
    accountId: hostHandle.accountId,
    ...(hostHandle.accountAlias !== undefined ? { accountAlias: hostHandle.accountAlias } : {}),
    hasCreationCheckpoint: false,
    pages: (options) => reader.pages(options),
    // A daemon opens the store for every run and change burst: sockets are not left to the GC.
    close: () => {
      sso.destroy();
      client.destroy();
    },
  };
}

/** The store id, and the instance ARN when access is read: configured, else discovered (ListInstances). */
async function resolveInstance(
  config: Config,
  sso: SSOAdminClient,
  accountId: string,
): Promise<{ storeId: string; instanceArn?: string }> {
  const ic = config.identity_center;
  const needsInstance = ic.access && ic.instance_arn === undefined;
  if (ic.identity_store_id !== undefined && !needsInstance) {
    return { storeId: ic.identity_store_id, ...(ic.access ? { instanceArn: ic.instance_arn } : {}) };
  }
  const found = await discoverInstance(sso, accountId, ic.identity_store_id);
  return {
    storeId: found.identityStoreId,
    ...(ic.access ? { instanceArn: ic.instance_arn ?? found.instanceArn } : {}),
  };
}

function accessLoader(reads: SsoAdminReads, params: IdentityCenterSourceParams): AccessLoader {
  const host = params.hostHandle;
  const deps = {
    handles: params.accounts ?? new Map([[host.accountId, host]]),
    policies: params.policies ?? new PolicyDocumentCache(),
    logger: params.logger,
  };
  return (users, groupIds) => AccountAccess.load(reads, deps, host.accountId, users, groupIds);
}

export interface DiscoveredInstance {
  identityStoreId: string;
  instanceArn: string;
}

/**
 * The (single) Identity Center instance visible to the host account, or the one of the configured
 * identity store id.
 */
export async function discoverInstance(
  sso: SSOAdminClient,
  accountId: string,
  identityStoreId?: string,
): Promise<DiscoveredInstance> {
  const action = 'sso:ListInstances';
  const pages = tokenPages({
    action,
    fetchPage: (NextToken) => sso.send(new ListInstancesCommand({ NextToken })),
    fail: (cause) => new AccountCollectionError(accountId, action, cause),
  });
  const instances = (await allItems(pages, (p) => p.Instances)).flatMap((i) =>
    i.IdentityStoreId !== undefined &&
    i.InstanceArn !== undefined &&
    (identityStoreId === undefined || i.IdentityStoreId === identityStoreId)
      ? [{ identityStoreId: i.IdentityStoreId, instanceArn: i.InstanceArn }]
      : [],
  );
  const ids = instances.map((i) => i.identityStoreId);
  const [first] = instances;
  if (first === undefined) {
    throw new AccountCollectionError(
      accountId,
      'sso:ListInstances',
      new Error(
        identityStoreId === undefined
          ? 'no IAM Identity Center instance found: set identity_center.identity_store_id or region'
          : `no IAM Identity Center instance of identity store ${identityStoreId}: set identity_center.instance_arn or region`,
      ),
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
