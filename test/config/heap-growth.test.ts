import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth, nodeFlag } from '../../src/heap-growth.js';

describe('limitHeapGrowth', () => {
  it('applies the default unless told otherwise', () => {
    expect(limitHeapGrowth({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(limitHeapGrowth({ IAM_INVENTORY_HEAP_GROWTH_PERCENT: '50' })).toBe(50);
    expect(limitHeapGrowth({ IAM_INVENTORY_HEAP_GROWTH_PERCENT: '0' })).toBeUndefined();
  });

  it('leaves a growth percent given to node itself alone', () => {
    expect(limitHeapGrowth({ NODE_OPTIONS: '--heap-growing-percent=80' })).toBeUndefined();
  });

  it('reads a flag given to node, in either spelling, with or without a value', () => {
    const env = { NODE_OPTIONS: '--max_semi_space_size=16  --expose-gc' };
    expect(nodeFlag('max-semi-space-size', env)).toBe('16');
    expect(nodeFlag('expose-gc', env)).toBe('');
    expect(nodeFlag('heap-growing-percent', env)).toBeUndefined();
    expect(limitHeapGrowth({ NODE_OPTIONS: '--heap_growing_percent=80' })).toBeUndefined();
    const spaced = { NODE_OPTIONS: '--max-semi-space-size 16 --expose-gc --trace-gc' };
    expect(nodeFlag('max-semi-space-size', spaced)).toBe('16');
    expect(nodeFlag('expose-gc', spaced)).toBe('');
  });

  it('names the variable and what it expects when the value is wrong', () => {
    for (const bad of ['abc', '-1', '2.5', '5000']) {
      expect(() => limitHeapGrowth({ IAM_INVENTORY_HEAP_GROWTH_PERCENT: bad })).toThrow(
        `IAM_INVENTORY_HEAP_GROWTH_PERCENT must be an integer from 0 to 1000 (0 = V8's default), got "${bad}"`,
      );
    }
    try {
      limitHeapGrowth({ IAM_INVENTORY_HEAP_GROWTH_PERCENT: 'x' });
    } catch (error) {
      expect((error as { exitCode?: number }).exitCode).toBe(2);
    }
  });
});
