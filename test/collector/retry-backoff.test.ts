// The retry delay: short first retries after a throttle, as patient as the SDK's when throttled again and
// again; the SDK's own backoff after other transient errors.
import { describe, expect, it } from '@jest/globals';
import type { RetryErrorType, RetryToken, StandardRetryToken } from '@smithy/types';
import { retryStrategy } from '../../src/collector/aws/clients.js';
import { AccountRateLimiter } from '../../src/collector/aws/rate-limiter.js';
import { MAX_RETRY_DELAY_MS, RetryBackoff } from '../../src/collector/aws/retry-backoff.js';

const delays = (backoff: RetryBackoff, base: number, retries: number): number[] =>
  Array.from({ length: retries }, (_, i) => {
    backoff.setDelayBase(base); // as the SDK does before each retry
    return backoff.computeNextBackoffDelay(i);
  });

describe('RetryBackoff', () => {
  const top = new RetryBackoff(() => 0.999999);

  it('after a throttle: 10 ms first, x8 up to the cap, about the SDK total over ten attempts', () => {
    const throttled = delays(top, 1_000, 9);
    expect(throttled.slice(0, 4)).toEqual([9, 79, 639, 5119]);
    expect(throttled[8]).toBe(MAX_RETRY_DELAY_MS - 1);
    // The SDK's: 1 s x 2^i capped at 20 s.
    const sdk = Array.from({ length: 9 }, (_, i) => Math.min(1_000 * 2 ** i, MAX_RETRY_DELAY_MS));
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(throttled)).toBeGreaterThan(0.9 * sum(sdk));
  });

  it("after a throttle the limiter takes for others' share: 10 ms first, doubling", () => {
    const share = new RetryBackoff(
      () => 0.999999,
      () => false,
    );
    expect(delays(share, 1_000, 5)).toEqual([9, 19, 39, 79, 159]);
  });

  it('after another transient error: the SDK backoff, 50 ms doubling, jittered', () => {
    expect(delays(top, 50, 4)).toEqual([49, 99, 199, 399]);
    const half = new RetryBackoff(() => 0.5);
    half.setDelayBase(50);
    expect(half.computeNextBackoffDelay(1)).toBe(50);
  });

  it("tells a throttle from another error by the SDK's own retry strategy, not by its defaults' sizes", async () => {
    // The SDK's AdaptiveRetryStrategy as clients.ts builds it; the backoff records what it computed.
    class RecordingBackoff extends RetryBackoff {
      readonly computed: number[] = [];
      override computeNextBackoffDelay(retries: number): number {
        const delay = super.computeNextBackoffDelay(retries);
        this.computed.push(delay);
        return delay;
      }
    }
    const limiter = new AccountRateLimiter();
    const backoff = new RecordingBackoff(
      () => 0.999999,
      () => limiter.congested,
    );
    const strategy = retryStrategy(10, limiter, backoff);
    const retry = async (token: RetryToken, errorType: RetryErrorType): Promise<RetryToken> =>
      strategy.refreshRetryTokenForRetry(token as StandardRetryToken, { errorType });
    let token = await strategy.acquireInitialRetryToken('iam');
    for (const errorType of ['THROTTLING', 'THROTTLING', 'TRANSIENT', 'TRANSIENT'] as const)
      token = await retry(token, errorType);
    // Throttled: 10 ms, doubling (two throttles are not congestion); then 50 ms x 2^retry.
    expect(backoff.computed).toEqual([9, 19, 199, 399]);
  });
});
