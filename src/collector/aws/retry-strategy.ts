// The retry strategy of every collector client: the SDK's adaptive retry (a send token from the account's
// rate limiter before each attempt, every answer reported to it) with the collector's backoff, and a retry
// quota for transient errors only.
//
// Why not the SDK's AdaptiveRetryStrategy: its quota (500 tokens per client, 5 taken by each throttled
// retry and 14 by any other, and a success gives back only what its own last retry took) is a circuit
// breaker for an outage, and it ran dry under others' throttling: at 40 % of answers throttled whatever
// the rate, 0, 74 and 28 of 1,000 users failed in `npm run bench -- --throttle-error-rate 0.4 --seed
// 42 / 1 / 2`, each a call refused a retry; without the quota for throttles, 0, 0 and 1 (throttled ten
// times in a row). Throttled calls are paced by the account's limiter, which cuts its rate for our own
// congestion (rate-limiter.ts), and each call still stops at aws.max_attempts: the quota would only turn
// others' throttling into missing identities. For 5xx answers and resets the quota stays as the SDK has
// it: an endpoint failing many calls at once is not retried on at full rate. The backoff is told which
// kind of error it is (the SDK's hands its backoff only a base delay).
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import type { RateLimiter } from '@smithy/core/retry';
import type { RetryBackoff } from './retry-backoff.js';

/** The SDK's quota: tokens per client, the cost of a retry after a transient error, a success's refund. */
const QUOTA_TOKENS = 500;
const TRANSIENT_RETRY_COST = 14;
const SUCCESS_REFUND = 1;
/** The SDK's bound of a server's Retry-After hint beyond the computed delay, ms. */
const RETRY_AFTER_SLACK_MS = 5_000;

class AttemptToken implements StandardRetryToken {
  constructor(
    private readonly retries: number,
    /** Quota tokens the retry took (0 for a throttled one, undefined for the first attempt). */
    private readonly cost: number | undefined,
    private readonly longPoll: boolean,
  ) {}

  getRetryCount(): number {
    return this.retries;
  }

  /** The strategy waits before it hands out the token: nothing is left for the SDK to wait. */
  getRetryDelay(): number {
    return 0;
  }

  getRetryCost(): number | undefined {
    return this.cost;
  }

  isLongPoll(): boolean {
    return this.longPoll;
  }
}

export class AccountRetryStrategy implements RetryStrategyV2 {
  /** Read by the SDK for its user-agent features (retry mode). */
  readonly mode = 'adaptive';
  private quota = QUOTA_TOKENS;

  constructor(
    private readonly maxAttempts: number,
    private readonly limiter: RateLimiter,
    private readonly backoff: RetryBackoff,
    private readonly sleep: (ms: number) => Promise<unknown> = sleepFor,
  ) {}

  async acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    await this.limiter.getSendToken();
    return new AttemptToken(0, undefined, retryTokenScope.includes(':longpoll'));
  }

  /** Waits, then a token for the next attempt; throws when the call is not to be retried. */
  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    this.limiter.updateClientSendingRate(errorInfo);
    const throttled = errorInfo.errorType === 'THROTTLING';
    const retryable = throttled || errorInfo.errorType === 'TRANSIENT';
    const retries = token.getRetryCount();
    if (!retryable || retries + 1 >= this.maxAttempts) throw new Error('No retry token available');
    const cost = throttled ? 0 : TRANSIENT_RETRY_COST;
    const delay = this.delay(retries, throttled, errorInfo);
    if (this.quota < cost) {
      // As the SDK: a long poll refused for the quota waits its delay, so that its caller's loop does not
      // spin against a failing endpoint.
      if (token.isLongPoll?.() === true) await this.sleep(delay);
      throw new Error('No retry token available');
    }
    this.quota -= cost;
    await this.sleep(delay);
    await this.limiter.getSendToken();
    return new AttemptToken(retries + 1, cost, token.isLongPoll?.() ?? false);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.limiter.updateClientSendingRate({});
    this.quota = Math.min(QUOTA_TOKENS, this.quota + (token.getRetryCost() ?? SUCCESS_REFUND));
  }

  private delay(retries: number, throttled: boolean, errorInfo: RetryErrorInfo): number {
    const delay = this.backoff.delay(retries, throttled);
    const hint = errorInfo.retryAfterHint;
    if (!(hint instanceof Date)) return delay;
    return Math.max(delay, Math.min(hint.getTime() - Date.now(), delay + RETRY_AFTER_SLACK_MS));
  }
}
