import { describe, expect, it } from '@jest/globals';
import { inCi } from './skip.js';

describe('inCi', () => {
  it('is true when CI is set to anything but empty, "false" or "0"', () => {
    expect([undefined, '', 'false', 'FALSE', '0', ' '].map((CI) => inCi({ CI }))).toEqual(
      Array(6).fill(false),
    );
    expect(['true', '1', 'yes', 'github'].map((CI) => inCi({ CI }))).toEqual(Array(4).fill(true));
  });
});
