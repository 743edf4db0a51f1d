// The checks of `check`: credentials and the caller identity, each account's AssumeRole, every permission the
// configured features need (one cheap call each), and every sink's reachability.
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { getCallerIdentity, type AccountDeps } from '../collector/aws/accounts.js';
import { resolveAccountTargets } from '../collector/aws/targets.js';
import { createClientFor, createIamClient } from '../collector/aws/clients.js';
import { assumeRoleCredentials, baseCredentials } from '../collector/aws/credentials.js';
import type { Config } from '../config/config.js';
import { maskSecrets, silentLogger, type Logger } from '../log.js';
import { createSinks } from '../sinks/registry.js';
import type { Sink } from '../sinks/sink.js';
import {
  failure,
  probeCallerPermissions,
  probeIamPermissions,
  type CheckResult,
} from './permission-probes.js';
import { requiredIamPermissions, requiredPermissions } from './required-permissions.js';

export type { CheckResult } from './permission-probes.js';

export interface CheckOptions {
  logger?: Logger;
}

function clientOptions(config: Config, credentials: AwsCredentialIdentityProvider, accountId: string) {
  return {
    region: config.aws.region,
    ...(config.aws.endpoint !== undefined ? { endpoint: config.aws.endpoint } : {}),
    credentials,
    maxAttempts: config.aws.max_attempts,
    accountId,
  };
}

/** Runs every check the configuration calls for. Never throws for a failed check: it is a result. */
export async function runChecks(config: Config, options: CheckOptions = {}): Promise<CheckResult[]> {
  const logger = options.logger ?? silentLogger();
  const results: CheckResult[] = [];
  const base = baseCredentials(config.aws.credentials);
  const deps: AccountDeps = { logger, baseCredentials: base };

  let callerAccount: string | undefined;
  let callerKeyId: string | undefined;
  try {
    callerKeyId = (await base()).accessKeyId;
    const caller = await getCallerIdentity(config.aws, base, deps);
    callerAccount = caller.accountId;
    results.push({ check: 'sts:GetCallerIdentity', target: 'caller', status: 'ok', detail: caller.arn });
  } catch (error) {
    results.push(failure('sts:GetCallerIdentity', 'caller', error));
    // SignatureDoesNotMatch / InvalidClientTokenId: no permission can be probed with these credentials.
    results.push({
      check: 'aws permissions',
      target: 'caller',
      status: 'skipped',
      detail: 'the credentials do not work',
    });
  }

  if (callerAccount !== undefined) {
    const needed = new Set(requiredPermissions(config));
    const callerClients = {
      ...(config.aws.organization?.enabled === true
        ? { organizations: createClientFor(OrganizationsClient, clientOptions(config, base, callerAccount)) }
        : {}),
      ...(config.identity_center.enabled
        ? {
            sso: createClientFor(SSOAdminClient, {
              ...clientOptions(config, base, callerAccount),
              region: config.identity_center.region ?? config.aws.region,
            }),
            identitystore: createClientFor(IdentitystoreClient, {
              ...clientOptions(config, base, callerAccount),
              region: config.identity_center.region ?? config.aws.region,
            }),
          }
        : {}),
    };
    try {
      results.push(...(await probeCallerPermissions(config, callerClients, callerAccount, needed)));
    } finally {
      for (const c of Object.values(callerClients)) c.destroy();
    }

    const resolved = await resolveAccountTargets(config.aws, deps);
    for (const f of resolved.failures) {
      results.push({ check: 'accounts', target: f.accountId || f.scope, status: 'failed', detail: f.error });
    }
    const iamNeeded = new Set(requiredIamPermissions(config));
    for (const target of resolved.targets) {
      let credentials = base;
      if (target.roleArn !== undefined) {
        credentials = assumeRoleCredentials({
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
          results.push({
            check: 'sts:AssumeRole',
            target: target.accountId,
            status: 'ok',
            detail: target.roleArn,
          });
        } catch (error) {
          results.push(failure('sts:AssumeRole', target.accountId, error));
          continue;
        }
      }
      const iam = createIamClient(clientOptions(config, credentials, target.accountId));
      try {
        const ownKey =
          target.roleArn === undefined && target.accountId === callerAccount ? callerKeyId : undefined;
        results.push(...(await probeIamPermissions(iam, target.accountId, iamNeeded, ownKey)));
      } finally {
        iam.destroy();
      }
    }
  }

  results.push(...(await checkSinks(config, logger)));
  return results.map((r) => maskResult(r, config.secrets));
}

async function checkSinks(config: Config, logger: Logger): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let sinks: Sink[];
  try {
    sinks = createSinks(config.sinks, { logger, baseDir: config.baseDir });
  } catch (error) {
    return [{ check: 'sink', target: 'sinks', status: 'failed', detail: (error as Error).message }];
  }
  for (const sink of sinks) {
    try {
      results.push({
        check: `sink ${sink.type}`,
        target: sink.name,
        status: 'ok',
        detail: await sink.check(),
      });
    } catch (error) {
      results.push({
        check: `sink ${sink.type}`,
        target: sink.name,
        status: 'failed',
        detail: (error as Error).message,
      });
    }
  }
  await Promise.allSettled(sinks.map((s) => s.close()));
  return results;
}

function maskResult(r: CheckResult, secrets: readonly string[]): CheckResult {
  return r.detail === undefined ? r : { ...r, detail: maskSecrets(r.detail, secrets) };
}

export function checksPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status !== 'failed');
}

function resultText(r: CheckResult): string {
  if (r.status === 'ok') return r.detail !== undefined ? `ok (${r.detail})` : 'ok';
  if (r.status === 'skipped') return `skipped: ${r.detail ?? ''}`;
  const parts = [`FAILED ${r.errorCode ?? ''}`.trimEnd()];
  if (r.missingPermission !== undefined) parts.push(`missing permission ${r.missingPermission}`);
  else if (r.detail !== undefined) parts.push(firstLine(r.detail));
  return parts.join(': ');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** The results as an aligned text table. */
export function formatCheckTable(results: readonly CheckResult[]): string {
  const rows = [['CHECK', 'TARGET', 'RESULT'], ...results.map((r) => [r.check, r.target, resultText(r)])];
  const w0 = Math.max(...rows.map((r) => (r[0] as string).length));
  const w1 = Math.max(...rows.map((r) => (r[1] as string).length));
  const lines = rows.map(
    (r) => `${(r[0] as string).padEnd(w0)}  ${(r[1] as string).padEnd(w1)}  ${r[2] as string}`,
  );
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push(
    '',
    failed === 0 ? `all ${results.length} checks ok` : `${failed} of ${results.length} checks FAILED`,
  );
  return `${lines.join('\n')}\n`;
}
