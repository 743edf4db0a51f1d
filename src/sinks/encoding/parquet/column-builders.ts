// The nested columns (structs, lists) and the builder tree of a schema. Records -> Arrow column buffers
// (validity bitmaps, offsets, values), one pass over the records (column-buffer-writer.ts), written
// straight into typed arrays: no Arrow builder objects, no intermediate array per column, no value copied
// twice. A slot nobody writes is null: a builder only records how many slots it has, and the bitmaps
// start zeroed, so a subtree no record carries costs nothing per row. A value that does not fit its
// column (a string where the schema says integer, a member the schema does not define) is an error naming
// its path: the encoder never writes null in place of a value.
import {
  ColumnBuilder,
  OffsetColumnBuilder,
  bytesOf,
  join,
  textMismatch,
  type ColumnBuffers,
} from './column-builder.js';
import { type ColumnField, type ColumnType } from './columns.js';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  NULL_START,
  QUOTE,
  SPACE,
  decodedString,
  literalAt,
  spaceEnd,
  stringEnd,
  syntaxError,
} from './json-text.js';
import { BooleanBuilder, Float64Builder, Int64Builder, Utf8Builder } from './scalar-columns.js';

/**
 * Reads the value of member `index` at `at` into its child (padded with nulls up to the struct's slot
 * `slot` first); returns where the value ends.
 */
type MemberScanner = (
  children: readonly ColumnBuilder[],
  index: number,
  text: string,
  at: number,
  slot: number,
) => number;

const scanners = new WeakMap<readonly ColumnField[], MemberScanner>();

/**
 * One `scan` call per member, written in the code: each call site meets one builder class, so it is
 * inlined, where one call for every member met them all. The padding is written there too: `count` read
 * at one site for every builder class was a megamorphic load per member (a fifth of the scan).
 */
function memberScanner(fields: readonly ColumnField[]): MemberScanner {
  let scanner = scanners.get(fields);
  if (scanner === undefined) {
    const cases = fields.map(
      (_, i) =>
        `case ${i}: { const c = children[${i}]; if (c.count < slot) c.padTo(slot); return c.scan(text, at); }`,
    );
    const body = `switch (index) {\n${cases.join('\n')}\n}\nthrow new Error('no member ' + index);`;
    scanner = new Function('children', 'index', 'text', 'at', 'slot', body) as MemberScanner;
    scanners.set(fields, scanner);
  }
  return scanner;
}

export class StructBuilder extends ColumnBuilder {
  private readonly scanMember: MemberScanner;
  private readonly names: readonly string[];
  private readonly indexes: ReadonlyMap<string, number>;
  /**
   * For scan: the child index of the k-th member of the last object read. JSON.stringify writes the
   * members of objects built alike in one order, so the name at k is compared with one expected name,
   * character by character, and looked up only when it is another.
   */
  private readonly expected: Int32Array;
  /**
   * For scan: per child, the object read that wrote it last (a member written twice is an error).
   * Doubles, so that the count of objects read stays exact for as long as a daemon runs.
   */
  private readonly writtenBy: Float64Array;
  private objectsRead = 0;
  /** Where the member name scan just read ends (after its closing quote). */
  private nameEnd = 0;

  constructor(
    path: string,
    capacity: number,
    private readonly children: readonly ColumnBuilder[],
    fields: readonly ColumnField[],
  ) {
    super(path, capacity);
    this.scanMember = memberScanner(fields);
    this.names = fields.map((f) => f.name);
    this.indexes = new Map(fields.map((f, i) => [f.name, i]));
    this.expected = new Int32Array(fields.length).fill(-1);
    this.writtenBy = new Float64Array(fields.length);
  }

  scan(text: string, at: number): number {
    if (text.charCodeAt(at) !== OPEN_BRACE) throw textMismatch(this.path, 'an object', text, at);
    const slot = this.count;
    const read = ++this.objectsRead;
    const children = this.children;
    // Whitespace is looked for only where the character that must come is not there: JSON.stringify
    // writes none, and a skipSpace before every token cost a sixth of the scan.
    let i = at + 1;
    let c = text.charCodeAt(i);
    if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
    if (c !== CLOSE_BRACE) {
      for (let k = 0; ; k++) {
        if (c !== QUOTE) throw syntaxError(text, i, 'a member name', this.path);
        const index = this.memberIndex(text, i, k);
        i = this.nameEnd;
        if (text.charCodeAt(i) !== COLON) {
          i = spaceEnd(text, i);
          if (text.charCodeAt(i) !== COLON) throw syntaxError(text, i, '":"', this.path);
        }
        c = text.charCodeAt(++i);
        if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
        if (this.writtenBy[index] === read) {
          throw new Error(
            `Parquet encoding: ${join(this.path, this.names[index]!)} appears twice in one object`,
          );
        }
        this.writtenBy[index] = read;
        if (c === NULL_START && literalAt(text, i, 'null')) i += 4;
        else i = this.scanMember(children, index, text, i, slot);
        c = text.charCodeAt(i);
        if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
        if (c === COMMA) {
          c = text.charCodeAt(++i);
          if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
        } else if (c === CLOSE_BRACE) break;
        else throw syntaxError(text, i, '"," or "}"', this.path);
      }
    }
    this.markValid(slot);
    this.count = slot + 1;
    return i + 1;
  }

  /** The child index of the member whose name starts at `at` (its quote), k-th in its object. */
  private memberIndex(text: string, at: number, k: number): number {
    const guess = k < this.expected.length ? this.expected[k]! : -1;
    if (guess >= 0) {
      const name = this.names[guess]!;
      const n = name.length;
      let j = 0;
      while (j < n && text.charCodeAt(at + 1 + j) === name.charCodeAt(j)) j++;
      if (j === n && text.charCodeAt(at + 1 + n) === QUOTE) {
        this.nameEnd = at + n + 2;
        return guess;
      }
    }
    const end = stringEnd(text, at, this.path);
    const raw = text.slice(at + 1, end - 1);
    const name = raw.includes('\\') ? decodedString(text, at, end, this.path) : raw;
    const index = this.indexes.get(name);
    if (index === undefined) {
      throw new Error(
        `Parquet encoding: ${join(this.path, name)} has no column (the record schema does not define it)`,
      );
    }
    if (k < this.expected.length) this.expected[k] = index;
    this.nameEnd = end;
    return index;
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

  scan(text: string, at: number): number {
    if (text.charCodeAt(at) !== OPEN_BRACKET) throw textMismatch(this.path, 'a list', text, at);
    const item = this.item;
    let i = at + 1;
    let c = text.charCodeAt(i);
    if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
    if (c !== CLOSE_BRACKET) {
      for (;;) {
        if (c === NULL_START && literalAt(text, i, 'null')) i += 4;
        else {
          if (item.count < this.end) item.padTo(this.end);
          i = item.scan(text, i);
        }
        this.end++;
        c = text.charCodeAt(i);
        if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
        if (c === COMMA) {
          c = text.charCodeAt(++i);
          if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
        } else if (c === CLOSE_BRACKET) break;
        else throw syntaxError(text, i, '"," or "]"', this.path);
      }
    }
    this.closeSlot();
    return i + 1;
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

export function structBuilder(fields: readonly ColumnField[], path: string, capacity: number): StructBuilder {
  const children = fields.map((f) => builderOf(f.type, join(path, f.name), capacity));
  return new StructBuilder(path, capacity, children, fields);
}
