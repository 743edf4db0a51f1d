import * as zlib from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { encodeNdjson, supportedNdjsonCompressions } from '../../src/sinks/encoding/ndjson.js';
import { orderByTime } from '../../src/sinks/encoding/order-by-time.js';
import { ndjsonFormat } from '../../src/sinks/object-store/object-formats.js';

const record = (time: number, id: string) => {
  const event = { time, id, text: 'é ✓' };
  return { event, json: JSON.stringify(event) };
};
const records = [record(30, 'c'), record(10, 'a'), record(20, 'b1'), record(20, 'b2')];
const expected = ['a', 'b1', 'b2', 'c'].map((id) =>
  JSON.stringify(records.find((r) => r.event.id === id)!.event),
);

describe('NDJSON encoding', () => {
  it('one event per line, ordered by time (stable for equal times), the run’s JSON text as is', () => {
    const text = Buffer.from(encodeNdjson(records, 'none')).toString('utf8');
    expect(text).toBe(`${expected.join('\n')}\n`);
    expect(orderByTime(records).map((r) => r.event.id)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(records.map((r) => r.event.id)).toEqual(['c', 'a', 'b1', 'b2']);
  });

  it('gzip', () => {
    expect(zlib.gunzipSync(encodeNdjson(records, 'gzip')).toString('utf8')).toBe(`${expected.join('\n')}\n`);
  });

  it('zstd where node:zlib has it (Node >= 22.15), a clear error elsewhere', () => {
    const decompress: unknown = Reflect.get(zlib, 'zstdDecompressSync');
    if (supportedNdjsonCompressions().includes('zstd') && typeof decompress === 'function') {
      const out = (decompress as (b: Uint8Array) => Buffer)(encodeNdjson(records, 'zstd'));
      expect(out.toString('utf8')).toBe(`${expected.join('\n')}\n`);
    } else {
      expect(supportedNdjsonCompressions()).toEqual(['gzip', 'none']);
      expect(() => encodeNdjson(records, 'zstd')).toThrow(/zstd compression needs Node >= 22.15/);
    }
  });

  it("an object sink's buffered lines, ordered by their times, as they are", async () => {
    const format = ndjsonFormat('none');
    const lines = records.map((r) => r.json);
    expect(Buffer.from(await format.encode(lines)).toString('utf8')).toBe(`${expected.join('\n')}\n`);
    await expect(async () => format.encode([...lines, '{"id":"x"}'])).rejects.toThrow(
      /record 4: time must be a number/,
    );
    await expect(async () => format.encode([...lines, '{"time":1,'])).rejects.toThrow(SyntaxError);
  });
});
