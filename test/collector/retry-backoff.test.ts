// The retry delay: the SDK's exponential backoff with full jitter on the short base, for throttled calls too.
import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, RetryBackoff } from '../../src/collector/aws/retry-backoff.js';

describe('RetryBackoff', () => {
  it('doubles from 50 ms up to the cap, jittered, whatever base the SDK sets for throttling', () => {
    const top = new RetryBackoff(() => 0.999999);
    top.setDelayBase();
    expect([0, 1, 2, 3].map((i) => top.computeNextBackoffDelay(i))).toEqual([49, 99, 199, 399]);
    expect(top.computeNextBackoffDelay(20)).toBe(MAX_RETRY_DELAY_MS - 1);
    expect(new RetryBackoff(() => 0.5).computeNextBackoffDelay(1)).toBe(50);
  });
});
