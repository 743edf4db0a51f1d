// The admitted rate a cut starts from, on plain inputs: counted since the bucket was last seen empty (a
// throttle at least a second ago), else over the last second or so.
import { describe, expect, it } from '@jest/globals';
import { AdmittedRate } from '../../src/collector/aws/admitted-rate.js';

/** `perSecond` admitted answers a second from `from` for `seconds` seconds. */
function admit(rate: AdmittedRate, from: number, perSecond: number, seconds: number): number {
  const n = Math.round(perSecond * seconds);
  for (let i = 1; i <= n; i++) rate.record(from + i / perSecond, false);
  return from + seconds;
}

describe('AdmittedRate', () => {
  it('takes the first moments of answers for a second: a burst spent at once is not a rate of 200/s', () => {
    const rate = new AdmittedRate();
    expect(rate.rate(0)).toBeUndefined();
    admit(rate, 0, 200, 0.1);
    // The first answer opens the window: the 19 after it, over a second.
    expect(rate.rate(0.1)).toBeCloseTo(19, 5);
  });

  it('counts from the last throttle at least a second old: the saved-up burst before it does not count', () => {
    const rate = new AdmittedRate();
    // 40/s while the bucket spends what it saved, then empty (a throttle), then its refill rate of 20/s.
    let t = admit(rate, 0, 40, 1);
    rate.record(t, true);
    t = admit(rate, t, 20, 2);
    rate.record(t, true);
    expect(rate.rate(t)).toBeCloseTo(20, 5);
  });

  it('without a throttle, counts the last second or so', () => {
    const rate = new AdmittedRate();
    let t = admit(rate, 0, 4, 3);
    t = admit(rate, t, 40, 1);
    const r = rate.rate(t) as number;
    // The slow phase three seconds ago does not drag it down to a few calls a second.
    expect(r).toBeGreaterThan(25);
    expect(r).toBeLessThanOrEqual(41);
  });

  it('forgets throttles older than its lookback', () => {
    const rate = new AdmittedRate();
    rate.record(0, true);
    const t = admit(rate, 0, 10, 30);
    // Not the 30 s since that throttle (10/s either way), but a recent window: still 10/s.
    expect(rate.rate(t)).toBeCloseTo(10, 0);
    expect(rate.count).toBe(300);
  });
});
