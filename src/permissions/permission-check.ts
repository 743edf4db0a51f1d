// The AWS side of `check`: the credentials and the caller identity, each account's AssumeRole, every
// permission the configured features need, probed with one cheap call each, and the change queue. A failed
// check is a result, never a throw.
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import {
  assumeRoleCredentials,
  baseCredentials,
  createClientFor,
  createIamClient,
  getCallerIdentity,
  resolveAccountTargets,
  type AccountDeps,
  type ResolvedAccountTarget,
} from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { callerProbedActions, probeCallerPermissions, type CallerClients } from './caller-probes.js';
import { failure, type CheckResult } from './check-result.js';
import { IAM_PROBES, probeIamPermissions } from './iam-probes.js';
import { probeChangeQueue, QUEUE_PROBE_ACTION } from './queue-probe.js';
import { requiredIamPermissions, requiredPermissions } from './required-permissions.js';

function clientOptions(config: Config, credentials: AwsCredentialIdentityProvider, accountId: string) {
  return {
    region: config.aws.region,
    ...(config.aws.endpoint !== undefined ? { endpoint: config.aws.endpoint } : {}),
    credentials,
    maxAttempts: config.aws.max_attempts,
    accountId,
  };
}

/** The caller's account and access key id, or undefined when the credentials do not work. */
interface Caller {
  accountId: string;
  accessKeyId: string | undefined;
}

async function checkCaller(
  config: Config,
  deps: AccountDeps,
  results: CheckResult[],
): Promise<Caller | undefined> {
  try {
    const accessKeyId = (await deps.baseCredentials()).accessKeyId;
    const caller = await getCallerIdentity(config.aws, deps.baseCredentials, deps);
    results.push({ check: 'sts:GetCallerIdentity', target: 'caller', status: 'ok', detail: caller.arn });
    return { accountId: caller.accountId, accessKeyId };
  } catch (error) {
    results.push(failure('sts:GetCallerIdentity', 'caller', error));
    // SignatureDoesNotMatch / InvalidClientTokenId: no permission can be probed with these credentials.
    results.push({
      check: 'aws permissions',
      target: 'caller',
      status: 'skipped',
      detail: 'the credentials do not work',
    });
    return undefined;
  }
}

/** The clients of the caller's own account that the configured features call. */
function callerClients(
  config: Config,
  base: AwsCredentialIdentityProvider,
  accountId: string,
): CallerClients {
  const options = clientOptions(config, base, accountId);
  const identityCenter = { ...options, region: config.identity_center.region ?? config.aws.region };
  return {
    ...(config.aws.organization?.enabled === true
      ? { organizations: createClientFor(OrganizationsClient, options) }
      : {}),
    ...(config.identity_center.enabled
      ? {
          sso: createClientFor(SSOAdminClient, identityCenter),
          identitystore: createClientFor(IdentitystoreClient, identityCenter),
        }
      : {}),
  };
}

/** The credentials of one target: its assumed role (checked here), or the caller's own. */
async function targetCredentials(
  config: Config,
  base: AwsCredentialIdentityProvider,
  target: ResolvedAccountTarget,
  results: CheckResult[],
): Promise<AwsCredentialIdentityProvider | undefined> {
  if (target.roleArn === undefined) return base;
  const credentials = assumeRoleCredentials({
    baseCredentials: base,
    roleArn: target.roleArn,
    region: config.aws.region,
    durationSeconds: config.aws.assume_role_duration_seconds,
    maxAttempts: config.aws.max_attempts,
    ...(target.externalId !== undefined ? { externalId: target.externalId } : {}),
    ...(config.aws.endpoint !== undefined ? { endpoint: config.aws.endpoint } : {}),
  });
  try {
    await credentials();
    results.push({ check: 'sts:AssumeRole', target: target.accountId, status: 'ok', detail: target.roleArn });
    return credentials;
  } catch (error) {
    results.push(failure('sts:AssumeRole', target.accountId, error));
    return undefined;
  }
}

/** Every account of the run: resolved, its role assumed, its IAM permissions probed. */
async function checkTargets(
  config: Config,
  deps: AccountDeps,
  caller: Caller,
  results: CheckResult[],
): Promise<void> {
  const resolved = await resolveAccountTargets(config.aws, deps);
  for (const f of resolved.failures) {
    results.push({ check: 'accounts', target: f.accountId || f.scope, status: 'failed', detail: f.error });
  }
  const needed = new Set(requiredIamPermissions(config));
  for (const target of resolved.targets) {
    const credentials = await targetCredentials(config, deps.baseCredentials, target, results);
    if (credentials === undefined) continue;
    const iam = createIamClient(clientOptions(config, credentials, target.accountId));
    try {
      const ownKey =
        target.roleArn === undefined && target.accountId === caller.accountId
          ? caller.accessKeyId
          : undefined;
      results.push(...(await probeIamPermissions(iam, target.accountId, needed, ownKey)));
    } finally {
      iam.destroy();
    }
  }
}

/** Runs every AWS check the configuration calls for. Never throws for a failed check: it is a result. */
export async function checkPermissions(config: Config, logger: Logger): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const base = baseCredentials(config.aws.credentials);
  const deps: AccountDeps = { logger, baseCredentials: base };
  const caller = await checkCaller(config, deps, results);
  if (caller === undefined) return results;

  const clients = callerClients(config, base, caller.accountId);
  try {
    const needed = new Set(requiredPermissions(config));
    results.push(...(await probeCallerPermissions(config, clients, caller.accountId, needed)));
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
  await checkTargets(config, deps, caller, results);
  results.push(...(await probeChangeQueue(config)));
  return results;
}

/** Every action some probe covers (the tests check requiredPermissions against it). */
export function probedActions(): string[] {
  return [...Object.keys(IAM_PROBES), ...callerProbedActions(), QUEUE_PROBE_ACTION];
}
