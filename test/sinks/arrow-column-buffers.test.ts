// Column buffers and the hand-written IPC record batch, read back by apache-arrow's own IPC reader: every
// kind of column, nulls at every level, empty strings, non-ASCII text (short and long), negative and large
// integers, and the JSON column cut out of the record's own JSON equal to a fresh serialization.
import { describe, expect, it } from '@jest/globals';
import { tableFromIPC } from 'apache-arrow';
import { orderByTime } from '../../src/sinks/encoding/order-by-time.js';
import { ipcStream, schemaMessage } from '../../src/sinks/encoding/parquet/arrow-ipc.js';
import { arrowSchema } from '../../src/sinks/encoding/parquet/arrow-schema.js';
import {
  ColumnBufferWriter,
  columnBuffers,
  type EncodableRecord,
} from '../../src/sinks/encoding/parquet/column-buffer-writer.js';
import { columnsFromJsonSchema, type JsonSchemaNode } from '../../src/sinks/encoding/parquet/columns.js';

const schema: JsonSchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    time: { type: 'integer' },
    name: { type: 'string' },
    score: { type: 'number' },
    ok: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    owner: {
      type: 'object',
      additionalProperties: false,
      properties: {
        uid: { type: 'string' },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { name: { type: 'string' }, ids: { type: 'array', items: { type: 'integer' } } },
          },
        },
      },
    },
    unmapped: { type: 'object' },
  },
};
const columns = columnsFromJsonSchema(schema);

const long = (s: string) => s.repeat(300);
const events: Record<string, unknown>[] = [
  {
    time: 1796139441773,
    name: 'zoë',
    score: 1.5,
    ok: true,
    tags: ['a', '', 'ü'],
    owner: { uid: 'u1', groups: [{ name: 'g', ids: [1, -2] }, null, { name: '' }] },
    unmapped: { note: long('ünïcode ') },
  },
  { time: -5, name: '', tags: [], owner: null, unmapped: { n: 1 } },
  { time: 2 ** 53 - 1, ok: false, owner: { groups: [] }, unmapped: { x: long('ascii ') } },
  { time: 0, name: null, tags: null, owner: { uid: '✓' } },
  {
    time: 7,
    name: 'n'.repeat(100),
    tags: ['é'.repeat(70), 'a'.repeat(65)],
    owner: { uid: `${'u'.repeat(40)}ü` },
  },
];

const streamOf = (records: EncodableRecord[], buffers = columnBuffers(columns, records)) =>
  ipcStream(schemaMessage(arrowSchema(columns)), records.length, buffers);

function readBack(records: EncodableRecord[]) {
  const table = tableFromIPC(streamOf(records));
  return table
    .toArray()
    .map(
      (row) =>
        JSON.parse(
          JSON.stringify(row.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
        ) as Record<string, unknown>,
    );
}

/** What a row holds for an event: every column, null where the event has no value. */
function expected(event: Record<string, unknown>) {
  const owner = event.owner as Record<string, unknown> | null | undefined;
  return {
    time: event.time,
    name: event.name ?? null,
    score: event.score ?? null,
    ok: event.ok ?? null,
    tags: event.tags ?? null,
    owner:
      owner === null || owner === undefined
        ? null
        : {
            uid: owner.uid ?? null,
            groups:
              (owner.groups as (Record<string, unknown> | null)[] | undefined)?.map((g) =>
                g === null ? null : { name: g.name ?? null, ids: g.ids ?? null },
              ) ?? null,
          },
    unmapped: event.unmapped === undefined ? null : JSON.stringify(event.unmapped),
  };
}

describe('column buffers as an Arrow IPC stream', () => {
  it('apache-arrow reads back every value, null and empty string, with and without the record JSON', () => {
    const withJson = events.map((event) => ({ event, json: JSON.stringify(event) }));
    const withoutJson = events.map((event) => ({ event }));
    expect(readBack(withJson)).toEqual(events.map(expected));
    expect(readBack(withoutJson)).toEqual(events.map(expected));
  });

  it('grows past its first capacity (list items, long columns)', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      event: { time: i, tags: Array.from({ length: i % 7 }, (_x, j) => `t${j}`), owner: { uid: `u${i}` } },
    }));
    expect(readBack(many)).toEqual(many.map((r) => expected(r.event)));
  });
});

describe('ColumnBufferWriter', () => {
  it('writes the same stream after a larger batch as a new writer does (its arrays are reused)', () => {
    const writer = new ColumnBufferWriter(columns, 2);
    const big = [...events, ...events].map((event) => ({ event, json: JSON.stringify(event) }));
    const small = events.slice(1, 3).map((event) => ({ event }));
    writer.write(big, (buffers) => streamOf(big, buffers));
    const again = writer.write(small, (buffers) => streamOf(small, buffers));
    expect(again).toEqual(streamOf(small));
  });

  it('is empty again after a record that does not fit', () => {
    const writer = new ColumnBufferWriter(columns);
    const bad = [{ event: events[0]! }, { event: { time: 1, name: 5 } }];
    expect(() => writer.write(bad, () => undefined)).toThrow('name must be a string');
    const small = events.slice(1, 2).map((event) => ({ event }));
    expect(writer.write(small, (buffers) => streamOf(small, buffers))).toEqual(streamOf(small));
  });
});

describe('records read from their JSON text', () => {
  const texts = (records: readonly Record<string, unknown>[], space?: number) =>
    records.map((event) => JSON.stringify(event, null, space));
  const fromText = (writer: ColumnBufferWriter, lines: readonly string[], records: EncodableRecord[]) =>
    writer.writeTextsByTime(lines, (buffers) => streamOf(records, buffers));
  /** The records as JSON.stringify writes them, in time order. */
  const fromObjects = (records: EncodableRecord[]) => {
    const ordered = [...orderByTime(records)];
    return new ColumnBufferWriter(columns).write(ordered, (buffers) => streamOf(ordered, buffers));
  };

  it('give the stream the objects give, with whitespace, escapes and non-ASCII text', () => {
    const escaped: Record<string, unknown>[] = [
      ...events,
      { time: 3, name: 'quote " backslash \\ tab \t nl \n \u0001 é 😀', tags: ['\\', '"', '/'] },
      { time: 4, name: 'x'.repeat(70) + 'ü', owner: { uid: 'a"b', groups: [null, { name: '\u2028' }] } },
      // Texts longer than a column makes room for ahead: searched for their end first.
      { time: 5, name: 'y'.repeat(20_000), tags: ['after', `${'z'.repeat(17_000)}é`, 'a\\b'.repeat(5_000)] },
    ];
    const records = escaped.map((event) => ({ event }));
    const expected = fromObjects(records);
    expect(fromText(new ColumnBufferWriter(columns), texts(escaped), records)).toEqual(expected);
    // Whitespace between tokens (a JSON text column keeps its value's text as written: left out here).
    const compact = escaped.map(({ unmapped: _unmapped, ...event }) => event);
    const compactRecords = compact.map((event) => ({ event }));
    expect(fromText(new ColumnBufferWriter(columns, 1), texts(compact, 2), compactRecords)).toEqual(
      fromObjects(compactRecords),
    );
    // Escapes JSON.stringify does not write, in names and values.
    const raw =
      '{"t\\u0069me":3,"name":"\\u0071uote \\" backslash \\\\ tab \\t nl \\n \\u0001 \\u00e9 \\ud83d\\ude00","tags":["\\\\","\\"","\\/"]}';
    const written = texts(escaped);
    written[5] = raw;
    expect(fromText(new ColumnBufferWriter(columns), written, records)).toEqual(expected);
  });

  it('are ordered by time, equal times in their order', () => {
    const records = [5, 1, 5, 0].map((time, i) => ({ event: { time, name: `r${i}` } }));
    const lines = records.map((r) => JSON.stringify(r.event));
    const expected = streamOf([3, 1, 0, 2].map((i) => records[i]!));
    expect(new ColumnBufferWriter(columns).writeTextsByTime(lines, (b) => streamOf(records, b))).toEqual(
      expected,
    );
  });

  it('fail naming the path and what was expected, and leave the writer empty', () => {
    const writer = new ColumnBufferWriter(columns);
    const fails = (line: string, error: RegExp) =>
      expect(() => writer.writeTextsByTime([JSON.stringify(events[1]), line], () => 0)).toThrow(error);
    fails('{"time":1,"owner":{"uid":"u","x":null}}', /owner\.x has no column/);
    fails('{"time":1,"name":5}', /name must be a string for its column, got number/);
    fails('{"time":1.5}', /time must be an integer for its column, got number/);
    fails('{"time":9007199254740993}', /time must be an integer/);
    fails('{"time":1,"tags":"a"}', /tags must be a list for its column, got string/);
    fails('{"time":1,"ok":"true"}', /ok must be true or false for its column, got string/);
    fails('{"time":1,"owner":{"groups":[{"ids":[1,"2"]}]}}', /owner\.groups\[\]\.ids\[\] must be an integer/);
    fails('{"time":1,"name":"a","name":"b"}', /name appears twice in one object/);
    fails(
      '{"time":1,"name":"a"',
      /the record is not JSON: expected "," or "}" at character 20, found the end/,
    );
    fails('{"time":1} x', /not JSON: expected the end of the text at character 11/);
    fails('{"time":1,"name":"a}', /the JSON text of name is not JSON: expected the end of a string/);
    fails('{"name":"a"}', /record 1: time must be a number/);
    // What JSON.parse refuses is refused, never written as a value.
    for (const line of ['{"time":01}', '{"time":-01}', '{"time":+1}', '{"time":1,"score":.5}']) {
      fails(line, /is not JSON/);
    }
    fails('{"time":1,"score":1.}', /the JSON text of score is not JSON: expected a number at character 18/);
    fails('{"time":1,"score":1e}', /is not JSON/);
    fails('{"time":1,"tags":["a",,"b"]}', /the JSON text of tags\[\] is not JSON: expected a value/);
    fails('{"time":1,"unmapped":{"a":[1}]}}', /the JSON text of unmapped is not JSON: expected "," or "]"/);
    fails('{"time":1,"unmapped":{"a":nope}}', /unmapped is not JSON: expected a value/);
    fails('{"time":1,"unmapped":{"a":1,}}', /unmapped is not JSON: expected a member name/);
    fails('{"time":1,"unmapped":{"a" 1}}', /unmapped is not JSON: expected ":"/);
    fails('{"time":1,"unmapped":["tab\there"]}', /unmapped is not JSON: expected a character of a string/);
    fails('{"time":1,"unmapped":["\\x"]}', /unmapped is not JSON: expected an escape/);
    const small = events.slice(1, 2).map((event) => ({ event }));
    expect(writer.writeTextsByTime(texts(events.slice(1, 2)), (b) => streamOf(small, b))).toEqual(
      streamOf(small),
    );
  });
});
