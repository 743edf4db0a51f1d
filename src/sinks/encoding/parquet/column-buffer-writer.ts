// Records -> the column buffers of one Arrow record batch, through the builder tree of the schema
// (column-builders.ts), in time order. Records come either as objects (an event, with its JSON text when
// the caller has it) or as JSON texts alone (the NDJSON lines an object sink buffered), which the
// builders read without JSON.parse: parsing 1,000 events costs about as much as encoding them.
import { orderByTime } from '../order-by-time.js';
import type { ColumnBuffers } from './column-builder.js';
import { structBuilder, type StructBuilder } from './column-builders.js';
import { jsonColumnPaths, type ColumnField } from './columns.js';
import { skipSpace, syntaxError } from './json-text.js';
import type { Int64Builder, Utf8Builder } from './scalar-columns.js';

/** A record to encode, with its own JSON text (`JSON.stringify(event)`) when the caller has it. */
export interface EncodableRecord {
  event: Readonly<Record<string, unknown>>;
  json?: string;
}

/**
 * The JSON text of the record's last member `name`, cut out of the record's own JSON (`json`, which is
 * JSON.stringify(record)) instead of serialized again: for unmapped, that is a third of the encoding time.
 * JSON.stringify writes members in enumeration order, so the last member's value runs from its key to the
 * closing brace. Its key is the first `"name":` in the text when no other column is named `name` and no
 * other column holds free-form JSON (see cuttableColumn): the members before it are columns the record
 * builder checks, and a string value cannot contain the key (its quotes would be escaped).
 */
export function lastMemberText(json: string, name: string): string | undefined {
  if (json.charCodeAt(json.length - 1) !== 0x7d) return undefined;
  // The key without its opening quote, which is checked apart: V8 finds a pattern starting with a letter
  // twice as fast as one starting with `"`, the commonest character of JSON.
  const key = `${name}":`;
  let at = json.indexOf(key);
  while (at > 0 && json.charCodeAt(at - 1) !== 0x22) at = json.indexOf(key, at + 1);
  return at < 1 ? undefined : json.slice(at + key.length, -1);
}

function memberNames(fields: readonly ColumnField[], into: string[] = []): string[] {
  for (const { name, type } of fields) {
    into.push(name);
    let item = type;
    while (item.kind === 'list') item = item.item;
    if (item.kind === 'struct') memberNames(item.fields, into);
  }
  return into;
}

/** The top-level JSON column whose text lastMemberText may cut out of a record's JSON, if any. */
function cuttableColumn(columns: readonly ColumnField[]): number | undefined {
  const json = jsonColumnPaths(columns);
  const index = columns.findIndex((c) => c.type.kind === 'json');
  if (json.length !== 1 || index < 0) return undefined;
  const name = columns[index]!.name;
  return memberNames(columns).filter((n) => n === name).length === 1 ? index : undefined;
}

function lastKey(event: Readonly<Record<string, unknown>>): string | undefined {
  let last: string | undefined;
  for (const key in event) last = key;
  return last;
}

/**
 * Writes records into column buffers, keeping the builders and their arrays from one call to the next:
 * new typed arrays for every column of every object were garbage, and their memory, outside V8's heap,
 * is what starts its full collections. What `write` hands `use` is valid only during that call.
 */
export class ColumnBufferWriter {
  private readonly record: StructBuilder;
  /** The top-level JSON column cut out of each record's own JSON (see lastMemberText), if any. */
  private readonly cut: number;
  private readonly name: string | undefined;
  private readonly column: Utf8Builder | undefined;
  /** The top-level int64 column `time`, if the columns have it. */
  private readonly time: Int64Builder | undefined;

  constructor(columns: readonly ColumnField[], capacity = 1024) {
    this.record = structBuilder(columns, '', capacity);
    const cut = cuttableColumn(columns);
    this.cut = cut ?? -1;
    this.name = cut === undefined ? undefined : columns[cut]!.name;
    this.column = cut === undefined ? undefined : (this.record.child(cut) as Utf8Builder);
    const time = columns.findIndex((c) => c.name === 'time' && c.type.kind === 'int64');
    this.time = time < 0 ? undefined : (this.record.child(time) as Int64Builder);
  }

  /** Builds the column buffers of `records` (in that order), gives them to `use`, then empties itself. */
  write<T>(records: readonly EncodableRecord[], use: (buffers: ColumnBuffers) => T): T {
    try {
      return use(this.buffers(records));
    } finally {
      this.record.reset();
    }
  }

  /**
   * `write` for the records ordered by `event.time`, oldest first (equal times keep their order). They
   * are ordered first: reading each event's time costs less than a second pass when they are not.
   */
  writeByTime<T>(records: readonly EncodableRecord[], use: (buffers: ColumnBuffers) => T): T {
    return this.write(orderByTime(records), use);
  }

  /**
   * `writeByTime` for records given as their JSON texts (each a JSON object, as JSON.stringify writes
   * them), read by the builders without JSON.parse. Whitespace between tokens is allowed; a JSON text
   * column holds its value's text as written.
   */
  writeTextsByTime<T>(texts: readonly string[], use: (buffers: ColumnBuffers) => T): T {
    if (this.time === undefined) {
      const records = texts.map((json) => ({ json, event: JSON.parse(json) as Record<string, unknown> }));
      return this.writeByTime(records, use);
    }
    return this.byTime(
      texts.length,
      (order) => this.addTexts(order ? order.map((i) => texts[i]!) : texts),
      use,
    );
  }

  /** The column buffers of `records`, valid until this writer is reset (write does that). */
  buffers(records: readonly EncodableRecord[]): ColumnBuffers {
    this.addRecords(records);
    return this.finish(records.length);
  }

  /**
   * Fills the builders in the order given, then orders the records by the time column they filled:
   * records in order (a run's events are, unless their time is the identity's creation date) are read
   * once, others again in time order (about what JSON.parse, which ordering them first needs, costs).
   */
  private byTime<T>(length: number, fill: (order?: number[]) => void, use: (buffers: ColumnBuffers) => T): T {
    try {
      fill();
      const order = timeOrder(this.time!, length);
      if (order !== undefined) {
        this.record.reset();
        fill(order);
      }
      return use(this.finish(length));
    } finally {
      this.record.reset();
    }
  }

  private addRecords(records: readonly EncodableRecord[]): void {
    const { record, name, column } = this;
    for (const { event, json } of records) {
      const slot = record.count;
      record.add(event, this.cut);
      const value = name === undefined ? undefined : event[name];
      if (value === undefined || value === null) continue;
      const text = json === undefined || lastKey(event) !== name ? undefined : lastMemberText(json, name!);
      column!.padTo(slot);
      if (text === undefined) column!.add(value);
      else column!.addText(text);
    }
  }

  private addTexts(texts: readonly string[]): void {
    const record = this.record;
    for (const text of texts) {
      const end = skipSpace(text, record.scan(text, skipSpace(text, 0)));
      if (end !== text.length) throw syntaxError(text, end, 'the end of the text', '');
    }
  }

  private finish(length: number): ColumnBuffers {
    const out: ColumnBuffers = { nodes: [], buffers: [] };
    this.record.finishAsRecord(length, out);
    return out;
  }
}

/** The order of the records by their times in `time` (stable), or undefined when they are in order. */
function timeOrder(time: Int64Builder, length: number): number[] | undefined {
  const times = new Float64Array(length);
  let ordered = true;
  for (let i = 0; i < length; i++) {
    const t = time.valueAt(i);
    if (t === undefined) throw new Error(`record ${i}: time must be a number (epoch milliseconds), got none`);
    times[i] = t;
    if (i > 0 && times[i - 1]! > t) ordered = false;
  }
  if (ordered) return undefined;
  return Array.from({ length }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
}

/**
 * The column buffers of `records` (in that order) for the top-level columns `columns`, as the field
 * nodes and buffers of one Arrow record batch.
 */
export function columnBuffers(
  columns: readonly ColumnField[],
  records: readonly EncodableRecord[],
): ColumnBuffers {
  return new ColumnBufferWriter(columns, records.length).buffers(records);
}
