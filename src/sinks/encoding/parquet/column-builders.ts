// Records -> Arrow column buffers (validity bitmaps, offsets, values), one pass over the records, written
// straight into typed arrays: no Arrow builder objects, no intermediate array per column, no value copied
// twice. A slot nobody writes is null: a builder only records how many slots it has, and the bitmaps
// start zeroed, so a subtree no record carries costs nothing per row. A value that does not fit its
// column (a string where the schema says integer, a member the schema does not define) is an error naming
// its path: the encoder never writes null in place of a value.
import { jsonColumnPaths, type ColumnField, type ColumnType } from './columns.js';
import {
  BooleanBuilder,
  ColumnBuilder,
  Float64Builder,
  OffsetColumnBuilder,
  Int64Builder,
  Utf8Builder,
  isRecord,
  join,
  mismatch,
  bytesOf,
  type ColumnBuffers,
} from './scalar-columns.js';

export type { ColumnBuffers } from './scalar-columns.js';

/** Adds a struct's members to its children; returns how many members had a value (null included). */
type MemberWriter = (
  value: Record<string, unknown>,
  slot: number,
  written: number,
  children: readonly ColumnBuilder[],
) => number;

/** One writer per struct of a schema, kept for every encode: V8's caches live in the function. */
const writers = new WeakMap<readonly ColumnField[], MemberWriter>();

/**
 * A struct's member loop unrolled, one block per member with its name and index written in the code. V8
 * then caches each property load for the shape the records share (a load by a variable name, the same
 * line for every member of every struct, goes through its slow, megamorphic path), and each block's
 * `add` call always meets the same builder class, so it is inlined, where the one call of a loop met
 * every class. The names are embedded as JSON string literals, never as code.
 */
function memberWriter(fields: readonly ColumnField[]): MemberWriter {
  let writer = writers.get(fields);
  if (writer === undefined) {
    const blocks = fields.map(
      (f, i) => `m = value[${JSON.stringify(f.name)}];
if (m !== undefined) {
  taken++;
  if (m !== null && written !== ${i}) {
    const child = children[${i}];
    if (child.count < slot) child.padTo(slot);
    child.add(m);
  }
}`,
    );
    const body = `let taken = 0;\nlet m;\n${blocks.join('\n')}\nreturn taken;`;
    writer = new Function('value', 'slot', 'written', 'children', body) as MemberWriter;
    writers.set(fields, writer);
  }
  return writer;
}

class StructBuilder extends ColumnBuilder {
  private readonly known: ReadonlySet<string>;
  private readonly write: MemberWriter;

  constructor(
    path: string,
    capacity: number,
    private readonly children: readonly ColumnBuilder[],
    fields: readonly ColumnField[],
  ) {
    super(path, capacity);
    this.known = new Set(fields.map((f) => f.name));
    this.write = memberWriter(fields);
  }

  /** `written`: the index of a member the caller writes itself (see columnBuffers). */
  add(value: unknown, written = -1): void {
    if (!isRecord(value)) throw mismatch(this.path, 'an object', value);
    const slot = this.count;
    const taken = this.write(value, slot, written, this.children);
    // Every member with a value has a column: counting the keys (for-in, no array) is the cheap check.
    let keys = 0;
    for (const _ in value) keys++;
    if (keys !== taken) this.checkMembers(value);
    this.markValid(slot);
    this.count = slot + 1;
  }

  private checkMembers(value: Record<string, unknown>): void {
    const key = Object.keys(value).find((k) => !this.known.has(k) && value[k] !== undefined);
    if (key !== undefined) {
      throw new Error(
        `Parquet encoding: ${join(this.path, key)} has no column (the record schema does not define it)`,
      );
    }
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    for (const child of this.children) child.finish(length, out);
  }

  child(index: number): ColumnBuilder {
    return this.children[index]!;
  }

  reset(): void {
    super.reset();
    for (const child of this.children) child.reset();
  }

  /** The record itself: its members are the top-level columns, it is no column of its own. */
  finishAsRecord(length: number, out: ColumnBuffers): void {
    this.finishValues(length, out);
  }
}

class ListBuilder extends OffsetColumnBuilder {
  constructor(
    path: string,
    capacity: number,
    private readonly item: ColumnBuilder,
  ) {
    super(path, capacity);
  }

  add(value: unknown): void {
    if (!Array.isArray(value)) throw mismatch(this.path, 'a list', value);
    for (const element of value as unknown[]) {
      if (element !== undefined && element !== null) {
        if (this.item.count < this.end) this.item.padTo(this.end);
        this.item.add(element);
      }
      this.end++;
    }
    this.closeSlot();
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    out.buffers.push(bytesOf(this.offsets.subarray(0, length + 1)));
    this.item.finish(this.end, out);
  }

  reset(): void {
    super.reset();
    this.item.reset();
  }
}

/** List items start small: their count is unknown until the records are read. */
const ITEM_CAPACITY = 64;

function builderOf(type: ColumnType, path: string, capacity: number): ColumnBuilder {
  switch (type.kind) {
    case 'struct':
      return structBuilder(type.fields, path, capacity);
    case 'list':
      return new ListBuilder(path, capacity, builderOf(type.item, `${path}[]`, ITEM_CAPACITY));
    case 'string':
      return new Utf8Builder(path, capacity, false);
    case 'json':
      return new Utf8Builder(path, capacity, true);
    case 'int64':
      return new Int64Builder(path, capacity);
    case 'float64':
      return new Float64Builder(path, capacity);
    case 'boolean':
      return new BooleanBuilder(path, capacity);
  }
}

function structBuilder(fields: readonly ColumnField[], path: string, capacity: number): StructBuilder {
  const children = fields.map((f) => builderOf(f.type, join(path, f.name), capacity));
  return new StructBuilder(path, capacity, children, fields);
}

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

  constructor(columns: readonly ColumnField[], capacity = 1024) {
    this.record = structBuilder(columns, '', capacity);
    const cut = cuttableColumn(columns);
    this.cut = cut ?? -1;
    this.name = cut === undefined ? undefined : columns[cut]!.name;
    this.column = cut === undefined ? undefined : (this.record.child(cut) as Utf8Builder);
  }

  /** Builds the column buffers of `records` (in that order), gives them to `use`, then empties itself. */
  write<T>(records: readonly EncodableRecord[], use: (buffers: ColumnBuffers) => T): T {
    try {
      return use(this.buffers(records));
    } finally {
      this.record.reset();
    }
  }

  /** The column buffers of `records`, valid until this writer is reset (write does that). */
  buffers(records: readonly EncodableRecord[]): ColumnBuffers {
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
    const out: ColumnBuffers = { nodes: [], buffers: [] };
    record.finishAsRecord(records.length, out);
    return out;
  }
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
