// Column buffers and the hand-written IPC record batch, read back by apache-arrow's own IPC reader: every
// kind of column, nulls at every level, empty strings, non-ASCII text (short and long), negative and large
// integers, and the JSON column cut out of the record's own JSON equal to a fresh serialization.
import { describe, expect, it } from '@jest/globals';
import { tableFromIPC } from 'apache-arrow';
import { ipcStream, schemaMessage } from '../../src/sinks/encoding/parquet/arrow-ipc.js';
import { arrowSchema } from '../../src/sinks/encoding/parquet/arrow-schema.js';
import {
  ColumnBufferWriter,
  columnBuffers,
  lastMemberText,
  type EncodableRecord,
} from '../../src/sinks/encoding/parquet/column-builders.js';
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

describe('lastMemberText', () => {
  it("cuts the last member's JSON text out of the record's JSON", () => {
    const event = { a: 1, b: { c: '"unmapped":' }, unmapped: { unmapped: { d: [1, 'x'] } } };
    const json = JSON.stringify(event);
    expect(lastMemberText(json, 'unmapped')).toBe(JSON.stringify(event.unmapped));
    const suffixed = { a: { xunmapped: 1 }, unmapped: { b: 2 } };
    expect(lastMemberText(JSON.stringify(suffixed), 'unmapped')).toBe('{"b":2}');
  });

  it('gives up on text that does not end the record', () => {
    expect(lastMemberText('{"a":1}', 'unmapped')).toBeUndefined();
    expect(lastMemberText('{"unmapped":{}} ', 'unmapped')).toBeUndefined();
  });
});
