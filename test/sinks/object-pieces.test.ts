// How a partition's lines fill objects of at most max_object_bytes (NDJSON bytes: a line and its newline).
import { describe, expect, it } from '@jest/globals';
import { objectPieces } from '../../src/sinks/object-store/object-sink.js';

const line = (n: number) => 'x'.repeat(n - 1); // n bytes with its newline

describe('objectPieces', () => {
  it('keeps lines that fit in one piece, topping up what is pending', () => {
    expect(objectPieces([line(10), line(10)], 0, 30)).toEqual([[line(10), line(10)]]);
    expect(objectPieces([line(10)], 20, 30)).toEqual([[line(10)]]);
  });

  it('starts a new piece where the next line would overflow, the pending part first', () => {
    expect(objectPieces([line(10), line(10)], 25, 30)).toEqual([[], [line(10), line(10)]]);
    expect(objectPieces([line(10), line(10), line(10), line(10)], 0, 30)).toEqual([
      [line(10), line(10), line(10)],
      [line(10)],
    ]);
  });

  it('puts a line larger than the limit alone', () => {
    expect(objectPieces([line(5), line(50), line(5)], 0, 30)).toEqual([[line(5)], [line(50)], [line(5)]]);
    expect(objectPieces([line(50)], 0, 30)).toEqual([[line(50)]]);
  });
});
