// Every AWS SDK client of the collector is built here, so that all of them share the same region, endpoint
// override, credentials, adaptive retry and call accounting. One client per account and service is created
// and reused: adaptive retry's client-side rate limiter lives in the client, so sharing it keeps the whole
// account's calls under one limiter.
import { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { isThrottlingError } from './aws-error.js';
import { addCallSignalMiddleware, handleCallSignals } from './call-signal.js';
import { addMalformedAnswerMiddleware } from './malformed-answer.js';
import { AccountRateLimiter } from './rate-limiter.js';
import { RetryBackoff } from './retry-backoff.js';
import { AccountRetryStrategy } from './retry-strategy.js';
import type { AwsCallObserver } from '../source.js';
import type { MiddlewareStackLike } from './middleware-stack.js';

export interface ClientOptions {
  region: string;
  /** Endpoint override (the emulator, a VPC endpoint). */
  endpoint?: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** aws.max_attempts: total attempts per call, including the first. */
  maxAttempts: number;
  /** The account the client acts in, for the observer. */
  accountId: string;
  observer?: AwsCallObserver;
}

/** The minimal shape of an SDK v3 client that the observer middleware needs. */
interface ClientWithStack {
  middlewareStack: MiddlewareStackLike;
}
interface CollectorClient extends ClientWithStack {
  config: { requestHandler: unknown };
}

const OBSERVER_MIDDLEWARE = 'iamInventoryCallObserver';

/**
 * Reports every HTTP attempt (not every logical call: a call retried three times is three calls against the
 * account's throttle bucket) and every throttled attempt to the observer. It sits in the finalizeRequest step
 * below the retry middleware, so the retry loop passes through it once per attempt.
 */
function addObserverMiddleware(
  stack: MiddlewareStackLike,
  accountId: string,
  service: string,
  observer: AwsCallObserver,
): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown): Promise<unknown> => {
      const action = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      observer.onCall(accountId, service, action);
      try {
        return await next(args);
      } catch (error) {
        if (isThrottlingError(error)) observer.onThrottled(accountId, service, action);
        throw error;
      }
    };
  stack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: OBSERVER_MIDDLEWARE,
    override: true,
  });
}

export function attachCallObserver(
  client: ClientWithStack,
  accountId: string,
  service: string,
  observer: AwsCallObserver,
): void {
  addObserverMiddleware(client.middlewareStack, accountId, service, observer);
}

/** The same observer as a plugin, for clients the SDK builds itself (the STS client of AssumeRole). */
export function callObserverPlugin(
  accountId: string,
  service: string,
  observer: AwsCallObserver,
): { applyToStack: (stack: MiddlewareStackLike) => void } {
  return { applyToStack: (stack) => addObserverMiddleware(stack, accountId, service, observer) };
}

/** The SDK configuration every collector client shares. */
export function clientConfig(opts: ClientOptions): {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: 'adaptive';
  retryStrategy: AccountRetryStrategy;
  cacheMiddleware: true;
} {
  const rateLimiter = new AccountRateLimiter();
  return {
    region: opts.region,
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    credentials: opts.credentials,
    maxAttempts: opts.maxAttempts,
    retryMode: 'adaptive',
    // Adaptive retry with its own limiter per client (per account): see rate-limiter.ts; throttled calls
    // retry after short delays (retry-backoff.ts) and take no retry quota (retry-strategy.ts).
    retryStrategy: new AccountRetryStrategy(
      opts.maxAttempts,
      rateLimiter,
      new RetryBackoff(Math.random, () => rateLimiter.congested),
    ),
    // The resolved middleware is reused per command; a call's abort signal comes with its input instead
    // of send()'s options (see call-signal.ts).
    cacheMiddleware: true,
  };
}

/** Service name used in call counters ("iam:ListUsers"), derived from the client class. */
function serviceNameOf(ClientClass: { name: string }): string {
  const known: Record<string, string> = {
    IAMClient: 'iam',
    STSClient: 'sts',
    OrganizationsClient: 'organizations',
    IdentitystoreClient: 'identitystore',
    SSOAdminClient: 'sso',
  };
  return known[ClientClass.name] ?? ClientClass.name.replace(/Client$/, '').toLowerCase();
}

/**
 * Builds any SDK v3 client (STS, Organizations, Identity Store, SSO Admin ...) with the collector's shared
 * configuration and call observer. `service` overrides the counter prefix (default from the class name).
 */
export function createClientFor<T extends CollectorClient>(
  ClientClass: new (config: ReturnType<typeof clientConfig>) => T,
  opts: ClientOptions & { service?: string },
): T {
  const client = new ClientClass(clientConfig(opts));
  const service = opts.service ?? serviceNameOf(ClientClass);
  addMalformedAnswerMiddleware(client.middlewareStack, opts.accountId, service);
  addCallSignalMiddleware(client.middlewareStack);
  handleCallSignals(client);
  if (opts.observer !== undefined) {
    attachCallObserver(client, opts.accountId, service, opts.observer);
  }
  return client;
}

export function createIamClient(opts: ClientOptions): IAMClient {
  return createClientFor(IAMClient, { ...opts, service: 'iam' });
}
