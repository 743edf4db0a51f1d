// The collector's entry point for a run: which accounts, opened with which credentials, collected by which
// strategy, plus the Identity Center store when enabled. Targets that cannot be opened come back as failures
// (named by account) next to the sources that did open.
import pLimit from 'p-limit';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import {
  AccountOpenError,
  openAccount,
  type AccountDeps,
  type CallerIdentity,
  type ResolvedAccountTarget,
} from './aws/accounts.js';
import { resolveAccountTargets } from './aws/targets.js';
import { inShard, type Shard } from './aws/shard.js';
import { autoSource } from './strategies/auto.js';
import { bulkSource } from './strategies/bulk.js';
import { baseCredentials } from './aws/credentials.js';
import { describeAwsError } from './aws/aws-error.js';
import { perUserSource } from './strategies/per-user.js';
import { PolicyDocumentCache } from './iam/policy-documents.js';
import type { AccountHandle, AwsCallObserver, IdentitySource, SourceFailure } from './source.js';

export interface OpenSourcesDeps {
  logger: Logger;
  observer?: AwsCallObserver;
  /** Restrict the run to these accounts (backfill --account). */
  accountIds?: string[];
  /** Only the accounts (and the Identity Center store) of this shard (`--shard K/N`). */
  shard?: Shard;
}

export interface OpenedSources {
  sources: IdentitySource[];
  failures: SourceFailure[];
  /** The open account handles (for closing their clients when the run ends). */
  handles: AccountHandle[];
  /**
   * With a shard: the configured accounts that belong to other shards, and whether the Identity Center
   * store does. Their replicas collect them; a change consumer must leave their messages for those.
   */
  elsewhere: { accountIds: Set<string>; identityCenter: boolean };
  /** The Identity Center store's failure to open, when it failed (also among `failures`). */
  identityCenterFailure?: SourceFailure;
  /** Destroys every SDK client of this opening: the handles' and the sources' own. Call once. */
  close(): void;
}

/** Opening accounts is a few calls each; a small fixed limit keeps STS and IAM bursts modest. */
const OPEN_CONCURRENCY = 4;

export async function openSources(config: Config, deps: OpenSourcesDeps): Promise<OpenedSources> {
  const accountDeps: AccountDeps = {
    logger: deps.logger,
    baseCredentials: baseCredentials(config.aws.credentials),
    ...(deps.observer !== undefined ? { observer: deps.observer } : {}),
  };
  const resolved = await resolveAccountTargets(config.aws, accountDeps);
  const { failures, elsewhere } = shardSelection(config, resolved, deps.shard);
  let targets = resolved.targets.filter((t) => inShard(t.accountId, deps.shard));
  if (deps.accountIds !== undefined) {
    const wanted = new Set(deps.accountIds);
    targets = targets.filter((t) => wanted.has(t.accountId));
    for (const id of wanted) {
      if (!targets.some((t) => t.accountId === id) && !failures.some((f) => f.accountId === id)) {
        const why = elsewhere.accountIds.has(id)
          ? `in another shard than ${deps.shard?.index}/${deps.shard?.count}`
          : 'not among the configured accounts';
        failures.push({ scope: id, accountId: id, error: `account ${id}: ${why}` });
      }
    }
  }

  const openOptions = {
    aws: config.aws,
    durationSeconds: config.aws.assume_role_duration_seconds,
    caller: resolved.caller,
  };
  const limit = pLimit(OPEN_CONCURRENCY);
  const opened = await Promise.all(
    targets.map((target) =>
      limit(async (): Promise<AccountHandle | SourceFailure> => {
        try {
          return await openAccount(target, openOptions, accountDeps);
        } catch (error) {
          return openFailure(target, error);
        }
      }),
    ),
  );

  const handles: AccountHandle[] = [];
  for (const result of opened) {
    if ('iam' in result) handles.push(result);
    else failures.push(result);
  }

  const policies = new PolicyDocumentCache();
  const strategyDeps = {
    logger: deps.logger,
    policies,
    ...(deps.observer !== undefined ? { observer: deps.observer } : {}),
  };
  const sources: IdentitySource[] = handles.map((handle) => {
    switch (config.collector.strategy) {
      case 'bulk':
        return bulkSource(handle, config.collector, strategyDeps);
      case 'auto':
        return autoSource(handle, config.collector, strategyDeps);
      default:
        return perUserSource(handle, config.collector, strategyDeps);
    }
  });

  // The closer sees the store's source too: it is pushed below.
  const result = { sources, failures, handles, elsewhere, close: closer(handles, sources) };
  if (
    config.identity_center.enabled &&
    resolved.caller.accountId !== '' &&
    inShard(identityCenterScope(config), deps.shard)
  ) {
    const ic = await openIdentityCenter(config, resolved.caller, handles, accountDeps, { ...deps, policies });
    if (!('scope' in ic && 'pages' in ic)) {
      failures.push(ic);
      return { ...result, identityCenterFailure: ic };
    }
    sources.push(ic);
  }
  return result;
}

function closer(handles: readonly AccountHandle[], sources: readonly IdentitySource[]): () => void {
  return () => {
    for (const h of handles) h.iam.destroy();
    for (const s of sources) s.close?.();
  };
}

/**
 * The shard's failures and what belongs to other shards. Another shard's account is its replica's to
 * collect, and to fail; the credentials or the organization listing failing fails every shard.
 */
function shardSelection(
  config: Config,
  resolved: { targets: readonly ResolvedAccountTarget[]; failures: readonly SourceFailure[] },
  shard: Shard | undefined,
): { failures: SourceFailure[]; elsewhere: OpenedSources['elsewhere'] } {
  const others = resolved.targets.filter((t) => !inShard(t.accountId, shard));
  return {
    failures: resolved.failures.filter((f) => f.scope !== f.accountId || inShard(f.accountId, shard)),
    elsewhere: {
      accountIds: new Set(others.map((t) => t.accountId)),
      identityCenter: config.identity_center.enabled && !inShard(identityCenterScope(config), shard),
    },
  };
}

function openFailure(target: ResolvedAccountTarget, error: unknown): SourceFailure {
  const message =
    error instanceof AccountOpenError
      ? error.message
      : `account ${target.accountId}: ${describeAwsError(error)}`;
  return { scope: target.accountId, accountId: target.accountId, error: message };
}

/** The Identity Center store's scope name (its shard is the hash of this name). */
function identityCenterScope(config: Config): string {
  return config.identity_center.identity_store_id
    ? `identity-center:${config.identity_center.identity_store_id}`
    : 'identity-center';
}

/**
 * The Identity Center store is read in the caller's account (the management or delegated-admin account),
 * with the caller's own credentials: reuse that account's handle when it is collected anyway.
 */
async function openIdentityCenter(
  config: Config,
  caller: CallerIdentity,
  handles: AccountHandle[],
  accountDeps: AccountDeps,
  deps: OpenSourcesDeps & { policies: PolicyDocumentCache },
): Promise<IdentitySource | SourceFailure> {
  const scope = identityCenterScope(config);
  // The inventoried accounts, before the host is added for the store alone: a customer managed policy is
  // read only in an account the configuration collects.
  const accounts = new Map(handles.map((h) => [h.accountId, h]));
  try {
    let host = handles.find(
      (h) => h.accountId === caller.accountId && h.credentials === accountDeps.baseCredentials,
    );
    if (host === undefined) {
      host = await openAccount(
        { accountId: caller.accountId },
        { aws: config.aws, durationSeconds: config.aws.assume_role_duration_seconds, caller },
        accountDeps,
      );
      handles.push(host);
    }
    // Loaded only when Identity Center is collected: its two SDK clients cost ~3 MB of resident memory.
    const { identityCenterSource } = await import('./identity-center/identity-center-source.js');
    return await identityCenterSource({
      config,
      hostHandle: host,
      logger: deps.logger,
      accounts,
      policies: deps.policies,
      ...(deps.observer !== undefined ? { observer: deps.observer } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : describeAwsError(error);
    return { scope, accountId: caller.accountId, error: `identity center: ${message}` };
  }
}
