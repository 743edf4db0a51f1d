// When the change consumer stops gathering a burst, and how soon a failed change comes back: plain inputs.
import { describe, expect, it } from '@jest/globals';
import { keepGathering, retryVisibilitySeconds } from '../../src/daemon/change-consumer.js';

describe('keepGathering', () => {
  const base = { lastReceived: 10, maxMessages: 10, held: 10, elapsedMs: 0, coalesceMs: 1000 };

  it('gathers while receives come back full, within the window and the burst size', () => {
    expect(keepGathering(base)).toBe(true);
    expect(keepGathering({ ...base, elapsedMs: 1000 })).toBe(false);
    expect(keepGathering({ ...base, held: 100 })).toBe(false);
    expect(keepGathering({ ...base, coalesceMs: 0 })).toBe(false);
  });

  it('applies at once when a receive came back with fewer than max_messages (the queue is drained)', () => {
    expect(keepGathering({ ...base, lastReceived: 1, held: 1 })).toBe(false);
    expect(keepGathering({ ...base, lastReceived: 0, held: 30 })).toBe(false);
    expect(keepGathering({ ...base, lastReceived: 1, maxMessages: 1, held: 1 })).toBe(true);
  });
});

describe('retryVisibilitySeconds', () => {
  it('doubles from 5 s with each receive, up to the visibility timeout', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryVisibilitySeconds(n, 120))).toEqual([
      5, 10, 20, 40, 80, 120, 120,
    ]);
    expect(retryVisibilitySeconds(1, 1)).toBe(1);
    expect(retryVisibilitySeconds(0, 120)).toBe(5);
    expect(retryVisibilitySeconds(1000, 120)).toBe(120);
  });
});
