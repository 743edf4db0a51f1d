// The per-account client rate limiter on plain inputs and a fake clock: the SDK's adaptive algorithm with one
// cut per congestion event, a measured rate made of admitted (not throttled) answers, and no limit before
// the first throttle.
import { describe, expect, it } from '@jest/globals';
import { AccountRateLimiter, type RateLimiterClock } from '../../src/collector/aws/rate-limiter.js';

class FakeClock implements RateLimiterClock {
  t = 1_000;
  slept = 0;
  now(): number {
    return this.t;
  }
  /** As setTimeout: at least a millisecond. */
  async sleep(ms: number): Promise<void> {
    const waited = Math.max(1, Math.ceil(ms));
    this.slept += waited;
    this.t += waited / 1000;
  }
}

const THROTTLED = { errorType: 'THROTTLING' };
const OK = {};
const THROTTLING_EXCEPTION = { error: { name: 'ThrottlingException', $metadata: {} } };

/** Our congestion: the account's bucket ran dry and answers every request in flight Throttling. */
function congestion(limiter: AccountRateLimiter, answers = 16): void {
  for (let i = 0; i < answers; i++) limiter.updateClientSendingRate(THROTTLED);
}

/** `n` answers `spacing` seconds apart, without waiting for send tokens (requests already sent). */
function answers(limiter: AccountRateLimiter, clock: FakeClock, n: number, spacing: number, answer: object) {
  for (let i = 0; i < n; i++) {
    clock.t += spacing;
    limiter.updateClientSendingRate(answer);
  }
}

/** `perSecond` successful answers a second for `seconds` seconds, sent through the limiter. */
async function succeed(limiter: AccountRateLimiter, clock: FakeClock, perSecond: number, seconds: number) {
  for (let i = 0; i < perSecond * seconds; i++) {
    await limiter.getSendToken();
    clock.t += 1 / perSecond;
    limiter.updateClientSendingRate(OK);
  }
}

describe('AccountRateLimiter', () => {
  it('does not limit before the first throttle', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 50, 2);
    expect(clock.slept).toBe(0);
    expect(limiter.rate.enabled).toBe(false);
  });

  it('cuts once for a burst of throttling answers, not once per answer', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 20, 3);
    congestion(limiter);
    const { enabled, fillRate } = limiter.rate;
    expect(enabled).toBe(true);
    // 0.7 x the measured 20/s: one cut. Sixteen cuts would leave 20 x 0.7^16 = 0.07.
    expect(fillRate).toBeGreaterThan(12);
    expect(fillRate).toBeLessThan(15);
  });

  it("does not start limiting for a sparse throttle: it may be somebody else's share", async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    for (let i = 0; i < 5; i++) {
      await succeed(limiter, clock, 20, 1);
      limiter.updateClientSendingRate(THROTTLED);
    }
    expect(limiter.rate.enabled).toBe(false);
  });

  it('cuts again for a throttle after the event is over, and recognises the SDK throttling errors', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 20, 3);
    congestion(limiter);
    const first = limiter.rate.fillRate;
    clock.t += 1.1;
    limiter.updateClientSendingRate(THROTTLING_EXCEPTION);
    expect(limiter.rate.fillRate).toBeLessThan(first);
  });

  it('takes an aborted attempt for no answer', async () => {
    const run = async (aborts: boolean) => {
      const clock = new FakeClock();
      const limiter = new AccountRateLimiter(clock);
      await succeed(limiter, clock, 10, 3);
      if (aborts) answers(limiter, clock, 200, 0.0001, { error: { name: 'AbortError' } });
      else for (let i = 0; i < 200; i++) clock.t += 0.0001;
      congestion(limiter);
      return limiter.rate;
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('measures the rate from admitted answers: fast throttled answers do not inflate it', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 10, 3);
    // A flood of throttled answers while 10/s are admitted: the cut is from about 10, not from the flood.
    answers(limiter, clock, 200, 0.005, THROTTLED);
    expect(limiter.rate.fillRate).toBeLessThan(10);
    expect(limiter.rate.fillRate).toBeGreaterThan(5);
  });

  it('paces sends at the cut rate, then climbs back to the rate it was cut from', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 20, 3);
    congestion(limiter);
    const cut = limiter.rate.fillRate;
    const start = clock.t;
    // 20 sends as fast as the limiter allows take about 20 / cut seconds: no burst right after the cut.
    for (let i = 0; i < 20; i++) {
      await limiter.getSendToken();
      limiter.updateClientSendingRate(OK);
    }
    expect(clock.t - start).toBeGreaterThan((20 / cut) * 0.8);
    // Sending on as fast as allowed, the cubic climbs back past the cut within its time window.
    const until = clock.t + 3;
    while (clock.t < until) {
      await limiter.getSendToken();
      limiter.updateClientSendingRate(OK);
    }
    expect(limiter.rate.fillRate).toBeGreaterThan(cut * 1.2);
  });

  it('starts measuring at the first answer, not when the client was created', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    clock.t += 600; // the account was opened ten minutes before its first call
    await succeed(limiter, clock, 20, 2);
    congestion(limiter);
    expect(limiter.rate.enabled).toBe(true);
    expect(limiter.rate.fillRate).toBeGreaterThan(10);
  });

  it.each([
    // Sequential reads at 4/s: the SDK's smoothed measure still said about 4/s (a cut to 2.8/s).
    ['after a slow phase', 4, 3, 0],
    // Opening the account, then its reads when an account slot frees up 40 s later: the SDK's measure is
    // one call over 40 s (a cut to its floor of 0.5/s).
    ['long after the account was opened', 1, 1, 40],
  ])('cuts from what the bucket just admitted, %s', async (_, perSecond, seconds, idle) => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, perSecond, seconds);
    clock.t += idle;
    // The per-user reads spend the bucket's 20 saved tokens at once.
    answers(limiter, clock, 20, 0.005, OK);
    congestion(limiter);
    expect(limiter.rate.fillRate).toBeGreaterThan(10);
  });

  it('corrects a cut from above the bucket once the climb is throttled too', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    // A first congestion and a clean climb after it: no background share of others' throttles.
    await succeed(limiter, clock, 20, 3);
    congestion(limiter);
    await succeed(limiter, clock, 14, 3);
    // Fewer reads for a while (the bucket fills up), then 40/s admitted while it spends what it saved: the
    // cut from that (to 28/s) is above the bucket's 20/s, and no recent throttle tells better.
    await succeed(limiter, clock, 10, 12);
    answers(limiter, clock, 40, 1 / 40, OK);
    congestion(limiter);
    expect(limiter.rate.fillRate).toBeGreaterThan(20);
    // Sending as fast as allowed into the empty 20/s bucket: past the congestion event, a throttle shows
    // what the bucket admitted since the cut. (Taken for others' share, it would keep the rate above.)
    let tokens = 0;
    let at = clock.t;
    const until = clock.t + 1.5;
    while (clock.t < until) {
      await limiter.getSendToken();
      clock.t += 0.001;
      tokens = Math.min(20, tokens + (clock.t - at) * 20);
      at = clock.t;
      const admitted = tokens >= 1;
      if (admitted) tokens -= 1;
      limiter.updateClientSendingRate(admitted ? OK : THROTTLED);
    }
    expect(limiter.rate.fillRate).toBeLessThan(20);
  });

  it("learns others' share at a low rate too, instead of cutting for each of its throttles", async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 2, 3);
    congestion(limiter);
    // A third of the answers throttled whatever the rate, for a minute, at what the limiter allows.
    for (let i = 0; i < 120; i++) {
      await limiter.getSendToken();
      limiter.updateClientSendingRate(i % 3 === 2 ? THROTTLED : OK);
    }
    // The cubic's window after a cut from 2/s is 1.1 s, the congestion event's 1 s: without a longer climb
    // no background is learned, every throttle cuts again and the rate ends at the 0.5/s floor.
    expect(limiter.rate.fillRate).toBeGreaterThan(1);
    expect(limiter.congested).toBe(false);
  });

  it('says congested within the event of a cut and while throttles are dense', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter(clock);
    await succeed(limiter, clock, 20, 3);
    expect(limiter.congested).toBe(false);
    congestion(limiter);
    expect(limiter.congested).toBe(true);
    clock.t += 1.1;
    answers(limiter, clock, 20, 0.05, OK);
    expect(limiter.congested).toBe(false);
  });
});
