// The delay before an AWS call is retried. The SDK waits random(0, base x 2^retry) ms, with a base of 1,000 ms
// for a throttling answer (50 ms otherwise), so that the backoff itself slows a client down. Here the
// account's rate limiter (rate-limiter.ts) already does that for throttling that follows our own rate: the
// retry waits for a send token at the rate it cut to. A throttle that does not follow our rate (other tools
// spending the account's share: a steady fraction of answers whatever we send) is not helped by waiting at
// all, and the SDK's long delays stretched a 2 s run to 45 s at 20 % of such answers. So a throttled call
// waits no longer than any other transient failure: the same exponential backoff with full jitter, on the
// short base, within aws.max_attempts.
import type { StandardRetryBackoffStrategy } from '@smithy/types';

/** The SDK's base delay of retries after transient errors (5xx, resets), ms. */
export const RETRY_BASE_MS = 50;
/** The SDK's cap of one retry delay, ms. */
export const MAX_RETRY_DELAY_MS = 20_000;

export class RetryBackoff implements StandardRetryBackoffStrategy {
  constructor(private readonly random: () => number = Math.random) {}

  computeNextBackoffDelay(retries: number): number {
    return Math.floor(this.random() * Math.min(RETRY_BASE_MS * 2 ** retries, MAX_RETRY_DELAY_MS));
  }

  /** The SDK sets a longer base before a throttled call's retry: deliberately ignored (see the top). */
  setDelayBase(): void {}
}
