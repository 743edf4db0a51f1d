// The collector's retry strategy on plain inputs: a send token before every attempt and every answer told to
// the limiter, the backoff's delays, aws.max_attempts, and a retry quota that only transient errors take.
import { describe, expect, it } from '@jest/globals';
import type { RateLimiter } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryErrorType, StandardRetryToken } from '@smithy/types';
import { RetryBackoff } from '../../src/collector/aws/retry-backoff.js';
import { AccountRetryStrategy } from '../../src/collector/aws/retry-strategy.js';

/** Records what the strategy asks of the account's limiter. */
class RecordingLimiter implements RateLimiter {
  readonly calls: string[] = [];
  async getSendToken(): Promise<void> {
    this.calls.push('token');
  }
  updateClientSendingRate(response: unknown): void {
    this.calls.push((response as { errorType?: string }).errorType ?? 'ok');
  }
}

function strategy(maxAttempts = 10) {
  const limiter = new RecordingLimiter();
  const slept: number[] = [];
  const s = new AccountRetryStrategy(
    maxAttempts,
    limiter,
    new RetryBackoff(
      () => 0.999999,
      () => false,
    ),
    async (ms) => {
      slept.push(ms);
    },
  );
  return { s, limiter, slept };
}

/** One call: `errors` answers in a row, then (unless refused first) a success. Resolves to attempts made. */
async function call(s: AccountRetryStrategy, errors: RetryErrorType[], scope = ''): Promise<number> {
  let token: StandardRetryToken = await s.acquireInitialRetryToken(scope);
  for (const errorType of errors) token = await s.refreshRetryTokenForRetry(token, { errorType });
  s.recordSuccess(token);
  return token.getRetryCount() + 1;
}

describe('AccountRetryStrategy', () => {
  it('takes a send token before each attempt and tells the limiter every answer', async () => {
    const { s, limiter, slept } = strategy();
    expect(await call(s, ['THROTTLING', 'TRANSIENT'])).toBe(3);
    expect(limiter.calls).toEqual(['token', 'THROTTLING', 'token', 'TRANSIENT', 'token', 'ok']);
    // The backoff's delays: 10 ms after a throttle, then 50 ms x 2 after the transient error.
    expect(slept).toEqual([9, 99]);
  });

  it('does not retry client errors, and stops at aws.max_attempts', async () => {
    const { s } = strategy(3);
    await expect(call(s, ['CLIENT_ERROR'])).rejects.toThrow();
    await expect(call(s, ['SERVER_ERROR'])).rejects.toThrow();
    expect(await call(s, ['THROTTLING', 'THROTTLING'])).toBe(3);
    await expect(call(s, ['THROTTLING', 'THROTTLING', 'THROTTLING'])).rejects.toThrow();
  });

  it("lets throttled calls retry whatever their number: others' throttling is paced, not refused", async () => {
    // The SDK's quota (500, 5 per retry, a success refunding its last retry's 5) refuses the 51st of these.
    const { s } = strategy();
    for (let i = 0; i < 300; i++) expect(await call(s, ['THROTTLING', 'THROTTLING', 'THROTTLING'])).toBe(4);
  });

  it('refuses transient retries once their quota is spent, and successes earn it back', async () => {
    const { s } = strategy();
    // 35 retries of 14 tokens each, never answered: 10 of the quota's 500 are left.
    for (let i = 0; i < 35; i++) {
      const token = await s.acquireInitialRetryToken('');
      await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT' });
    }
    await expect(call(s, ['TRANSIENT'])).rejects.toThrow();
    // Throttles still retry, and a first-attempt success gives back one token: four more make a retry.
    expect(await call(s, ['THROTTLING'])).toBe(2);
    for (let i = 0; i < 3; i++) await call(s, []);
    await expect(call(s, ['TRANSIENT'])).rejects.toThrow();
    await call(s, []);
    expect(await call(s, ['TRANSIENT'])).toBe(2);
  });

  it('waits before refusing a long poll for the quota, so that its loop does not spin', async () => {
    const { s, slept } = strategy();
    for (let i = 0; i < 35; i++) {
      const token = await s.acquireInitialRetryToken('');
      await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT' });
    }
    slept.length = 0;
    await expect(call(s, ['TRANSIENT'], 'sqs:longpoll')).rejects.toThrow();
    expect(slept).toEqual([49]);
  });

  it("waits for a server's Retry-After, up to 5 s beyond the backoff", async () => {
    const { s, slept } = strategy();
    const hint = (ms: number): RetryErrorInfo => ({
      errorType: 'THROTTLING',
      retryAfterHint: new Date(Date.now() + ms),
    });
    let token = await s.acquireInitialRetryToken('');
    token = await s.refreshRetryTokenForRetry(token, hint(2_000));
    await s.refreshRetryTokenForRetry(token, hint(60_000));
    expect(slept[0]).toBeGreaterThan(1_900);
    expect(slept[0]).toBeLessThanOrEqual(2_000);
    expect(slept[1]).toBeLessThanOrEqual(19 + 5_000);
    expect(slept[1]).toBeGreaterThan(5_000);
  });
});
