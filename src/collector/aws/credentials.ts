// Credentials: the caller's own (default chain, a profile, or static keys) and per-account assumed roles.
// Assumed-role credentials are shared by every client of one account (IAM, Identity Store ...), so they are
// memoized here, refreshed ahead of expiry with a single AssumeRole in flight.
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
import type { AwsCredentialsConfig } from '../../config/config.js';
import { callObserverPlugin } from './clients.js';
import type { AwsCallObserver } from '../source.js';

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** The caller's own credentials, as the configuration says. */
export function baseCredentials(config: AwsCredentialsConfig | undefined): AwsCredentialIdentityProvider {
  if (config?.access_key_id !== undefined && config.secret_access_key !== undefined) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      ...(config.session_token !== undefined ? { sessionToken: config.session_token } : {}),
    };
    return async () => identity;
  }
  if (config?.profile !== undefined) return fromIni({ profile: config.profile });
  return fromNodeProviderChain();
}

export interface AssumeRoleOptions {
  baseCredentials: AwsCredentialIdentityProvider;
  roleArn: string;
  externalId?: string;
  region: string;
  endpoint?: string;
  durationSeconds: number;
  /** Session name in CloudTrail (default "iam-inventory"). */
  sessionName?: string;
  /** Attempts of the AssumeRole call (aws.max_attempts). */
  maxAttempts?: number;
  /** Counts the AssumeRole calls; they are made in the caller's account. */
  observer?: AwsCallObserver;
  callerAccountId?: string;
}

/** A provider of assumed-role credentials, refreshed before expiry. */
export function assumeRoleCredentials(opts: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const fetch = fromTemporaryCredentials({
    masterCredentials: opts.baseCredentials,
    params: {
      RoleArn: opts.roleArn,
      RoleSessionName: opts.sessionName ?? 'iam-inventory',
      DurationSeconds: opts.durationSeconds,
      ...(opts.externalId !== undefined ? { ExternalId: opts.externalId } : {}),
    },
    clientConfig: {
      region: opts.region,
      ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts, retryMode: 'adaptive' } : {}),
    },
    ...(opts.observer !== undefined
      ? {
          clientPlugins: [
            callObserverPlugin(opts.callerAccountId ?? '', 'sts', opts.observer) as Pluggable<object, object>,
          ],
        }
      : {}),
  });
  return memoizeCredentials(() => fetch());
}

/**
 * Caches credentials until REFRESH_MARGIN_MS before their expiration; concurrent callers during a refresh
 * share one request. A failed refresh is not cached: the next caller retries.
 */
export function memoizeCredentials(
  fetch: () => Promise<AwsCredentialIdentity>,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const fresh =
      current !== undefined &&
      (current.expiration === undefined || current.expiration.getTime() - REFRESH_MARGIN_MS > now());
    if (fresh && current !== undefined) return current;
    if (inFlight === undefined) {
      inFlight = fetch().then(
        (creds) => {
          current = creds;
          inFlight = undefined;
          return creds;
        },
        (error: unknown) => {
          inFlight = undefined;
          throw error;
        },
      );
    }
    return inFlight;
  };
}
