import { describe, expect, it } from '@jest/globals';
import { boundedAll } from '../../src/collector/identity-center/bounded-all.js';

describe('boundedAll', () => {
  it('keeps order, and after a failure starts nothing more and waits for the started calls', async () => {
    expect(await boundedAll([3, 1, 2], 2, async (n) => n * 10)).toEqual([30, 10, 20]);
    const started: number[] = [];
    const finished: number[] = [];
    const run = boundedAll([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setTimeout(r, n === 1 ? 1 : 20));
      if (n === 1) throw new Error('first failed');
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('first failed');
    // 1 failed while 2 ran; 3 started when 1's slot freed, before the failure was seen.
    expect(started.length).toBeLessThanOrEqual(3);
    expect(finished.sort()).toEqual(started.filter((n) => n !== 1).sort());
  });
});
