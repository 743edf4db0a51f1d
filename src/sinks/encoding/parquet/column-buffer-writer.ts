// Records -> the column buffers of one Arrow record batch, through the builder tree of the schema
// (column-builders.ts). The builders read each record's JSON text (the NDJSON lines an object sink
// buffered, or an event's own serialization) without JSON.parse: parsing 1,000 events cost about as much
// as encoding them, and the object graph of a parsed event is spread over the heap.
import { stableOrder } from '../order-by-time.js';
import type { ColumnBuffers } from './column-builder.js';
import { structBuilder, type StructBuilder } from './column-builders.js';
import type { ColumnField } from './columns.js';
import { skipSpace, syntaxError } from './json-text.js';
import type { Int64Builder } from './scalar-columns.js';

/** A record to encode, with its own JSON text (`JSON.stringify(event)`) when the caller has it. */
export interface EncodableRecord {
  event: Readonly<Record<string, unknown>>;
  json?: string;
}

/** The record's JSON text: its own, or serialized here. */
export const textOf = (record: EncodableRecord): string => record.json ?? JSON.stringify(record.event);

/**
 * Writes records into column buffers, keeping the builders and their arrays from one call to the next:
 * new typed arrays for every column of every object were garbage, and their memory, outside V8's heap,
 * is what starts its full collections. What `write` hands `use` is valid only during that call.
 */
export class ColumnBufferWriter {
  private readonly record: StructBuilder;
  /** The top-level int64 column `time`: records are ordered by it. */
  private readonly time: Int64Builder;

  constructor(columns: readonly ColumnField[], capacity = 1024) {
    this.record = structBuilder(columns, '', capacity);
    const time = columns.findIndex((c) => c.name === 'time' && c.type.kind === 'int64');
    if (time < 0)
      throw new Error('Parquet columns: the records need an integer time column to be ordered by');
    this.time = this.record.child(time) as Int64Builder;
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
   * `write` for records given as their JSON texts (each a JSON object, as JSON.stringify writes them),
   * ordered by `time`, oldest first (equal times keep their order). Whitespace between tokens is
   * allowed; a JSON text column holds its value's text as written. The texts are read in their order and
   * ordered by the time column they filled: in order (a run's events are, unless their time is the
   * identity's creation date), they are read once, else again in time order (about what JSON.parse,
   * which ordering them first needs, costs).
   */
  writeTextsByTime<T>(texts: readonly string[], use: (buffers: ColumnBuffers) => T): T {
    try {
      this.addTexts(texts);
      const order = timeOrder(this.time, texts.length);
      if (order !== undefined) {
        this.record.reset();
        this.addTexts(order.map((i) => texts[i]!));
      }
      return use(this.finish(texts.length));
    } finally {
      this.record.reset();
    }
  }

  /** The column buffers of `records`, valid until this writer is reset (write does that). */
  buffers(records: readonly EncodableRecord[]): ColumnBuffers {
    this.addTexts(records.map(textOf));
    return this.finish(records.length);
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
  for (let i = 0; i < length; i++) {
    const t = time.valueAt(i);
    if (t === undefined) throw new Error(`record ${i}: time must be a number (epoch milliseconds), got none`);
    times[i] = t;
  }
  return stableOrder(times);
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
