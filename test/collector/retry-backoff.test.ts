// The retry delay: short first retries after a throttle, as patient as the SDK's when throttled again and
// again; the SDK's own backoff after other transient errors.
import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, RetryBackoff } from '../../src/collector/aws/retry-backoff.js';

const delays = (backoff: RetryBackoff, throttled: boolean, retries: number): number[] =>
  Array.from({ length: retries }, (_, i) => backoff.delay(i, throttled));

describe('RetryBackoff', () => {
  const top = new RetryBackoff(() => 0.999999);

  it('after a throttle: 10 ms first, x8 up to the cap, about the SDK total over ten attempts', () => {
    const throttled = delays(top, true, 9);
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
    expect(delays(share, true, 5)).toEqual([9, 19, 39, 79, 159]);
  });

  it('after another transient error: the SDK backoff, 50 ms doubling, jittered', () => {
    expect(delays(top, false, 4)).toEqual([49, 99, 199, 399]);
    const half = new RetryBackoff(() => 0.5);
    expect(half.delay(1, false)).toBe(50);
  });
});
