// The column builders' common part and the scalar columns (strings, JSON text, integers, doubles,
// booleans): each writes its values straight into the typed arrays of its Arrow buffers. See
// column-builders.ts for how records reach them.

/** One column's Arrow IPC field node and buffers, appended in schema pre-order. */
export interface ColumnBuffers {
  nodes: { length: number; nullCount: number }[];
  buffers: (Uint8Array | PendingBytes)[];
}

/** A buffer whose bytes are written where they go (the IPC stream): long texts, copied once. */
export interface PendingBytes {
  readonly byteLength: number;
  writeInto(target: Uint8Array, at: number): void;
}

const NO_BUFFER = new Uint8Array(0);
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
export const bytesOf = (a: Int32Array | Float64Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function mismatch(path: string, expected: string, value: unknown): Error {
  const got = Array.isArray(value) ? 'a list' : typeof value;
  return new Error(`Parquet encoding: ${path} must be ${expected} for its column, got ${got}`);
}

export function grown<T extends Uint8Array | Int32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export abstract class ColumnBuilder {
  /** Slots so far (values and nulls). */
  count = 0;
  protected valid = 0;
  private validity: Uint8Array;

  constructor(
    readonly path: string,
    capacity: number,
  ) {
    this.validity = new Uint8Array((capacity + 7) >> 3);
  }

  /** Makes every slot before `slot` exist (null unless written). */
  padTo(slot: number): void {
    if (slot > this.count) {
      this.fillNulls(this.count, slot);
      this.count = slot;
    }
  }

  /** Variable-width columns repeat their end offset over null slots. */
  protected fillNulls(_from: number, _to: number): void {}

  /** Writes a value (never undefined or null) into slot `count`. */
  abstract add(value: unknown): void;

  protected markValid(slot: number): void {
    const byte = slot >> 3;
    if (byte >= this.validity.length) this.validity = grown(this.validity, byte + 1);
    this.validity[byte]! |= 1 << (slot & 7);
    this.valid++;
  }

  /** Appends this column (and its children) for `length` slots. */
  finish(length: number, out: ColumnBuffers): void {
    this.padTo(length);
    const nullCount = length - this.valid;
    out.nodes.push({ length, nullCount });
    out.buffers.push(
      nullCount === 0 ? NO_BUFFER : grown(this.validity, (length + 7) >> 3).subarray(0, (length + 7) >> 3),
    );
    this.finishValues(length, out);
  }

  protected abstract finishValues(length: number, out: ColumnBuffers): void;
}

/** A variable-width column (list, string): an end offset per slot, repeated over null slots. */
export abstract class OffsetColumnBuilder extends ColumnBuilder {
  protected offsets: Int32Array;
  /** Where the next slot starts: items (a list) or UTF-16 units (a string) so far. */
  protected end = 0;

  constructor(path: string, capacity: number) {
    super(path, capacity);
    this.offsets = new Int32Array(capacity + 1);
  }

  /** Ends slot `count` at `end`, as a value. */
  protected closeSlot(): void {
    const slot = this.count;
    this.offsets = grown(this.offsets, slot + 2);
    this.offsets[slot + 1] = this.end;
    this.markValid(slot);
    this.count = slot + 1;
  }

  protected fillNulls(from: number, to: number): void {
    this.offsets = grown(this.offsets, to + 1);
    this.offsets.fill(this.end, from + 1, to + 1);
  }
}

const latin1 = (target: Uint8Array, at: number, text: string): number =>
  Buffer.from(target.buffer, target.byteOffset, target.byteLength).write(text, at, 'latin1');

/** Average UTF-16 length above which a column's texts are encoded one by one. */
const LONG_TEXT_UNITS = 256;

/** The offsets count UTF-16 units: they are the byte offsets while every text is ASCII (nearly always). */
export class Utf8Builder extends OffsetColumnBuilder {
  private readonly texts: string[] = [];

  constructor(
    path: string,
    capacity: number,
    private readonly json: boolean,
  ) {
    super(path, capacity);
  }

  add(value: unknown): void {
    let text: string;
    if (this.json) text = JSON.stringify(value);
    else if (typeof value === 'string') text = value;
    else throw mismatch(this.path, 'a string', value);
    this.addText(text);
  }

  /** A value already as its column's text (a JSON column's document). */
  addText(text: string): void {
    this.texts.push(text);
    this.end += text.length;
    this.closeSlot();
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    const offsets = this.offsets.subarray(0, length + 1);
    const data =
      this.end > LONG_TEXT_UNITS * this.texts.length ? this.written(offsets) : this.joined(offsets);
    out.buffers.push(bytesOf(offsets), data);
  }

  /**
   * Long texts (JSON documents) are encoded one by one, straight into the IPC stream (counting their
   * UTF-8 bytes first costs 0.2 ms per MB). A buffer of their own was 1 MB (3 MB when sized for any
   * UTF-8) outside V8's heap per 1,000 events, and that external memory is what started V8's full
   * collections (mark-compact, 5-30 ms each) every few encodes.
   */
  private written(offsets: Int32Array): PendingBytes {
    const texts = this.texts;
    const byteLength = this.byteEnds(offsets, (text) => Buffer.byteLength(text));
    return {
      byteLength,
      writeInto(target, at) {
        const out = Buffer.from(target.buffer, target.byteOffset, target.byteLength);
        for (const text of texts) at += out.write(text, at);
      },
    };
  }

  /** Short texts (ids, ARNs, names) are joined and encoded in one call: a call per text costs more. */
  private joined(offsets: Int32Array): Uint8Array | PendingBytes {
    const joined = this.texts.join('');
    const byteLength = Buffer.byteLength(joined);
    // ASCII (nearly always): one byte per unit, written where it goes, as the long texts are.
    if (byteLength === joined.length)
      return { byteLength, writeInto: (target, at) => latin1(target, at, joined) };
    this.byteEnds(offsets, (text) => Buffer.byteLength(text));
    return Buffer.from(joined, 'utf8');
  }

  /**
   * Turns the UTF-16 offsets into byte offsets, `bytes` giving each text's byte length (and writing it at
   * `at` if it will). A slot whose UTF-16 length is not zero holds the next non-empty text (empty texts
   * and nulls add no bytes either way). Returns the total.
   */
  private byteEnds(offsets: Int32Array, bytes: (text: string, at: number) => number): number {
    let text = 0;
    let previous = 0;
    let end = 0;
    for (let i = 0; i + 1 < offsets.length; i++) {
      const units = offsets[i + 1]!;
      if (units !== previous) {
        while (this.texts[text] === '') text++;
        end += bytes(this.texts[text++]!, end);
      }
      previous = units;
      offsets[i + 1] = end;
    }
    return end;
  }
}

/** int64 as two little-endian 32-bit words: no BigInt per value. */
export class Int64Builder extends ColumnBuilder {
  private words: Int32Array;

  constructor(path: string, capacity: number) {
    super(path, capacity);
    this.words = new Int32Array(capacity * 2);
  }

  add(value: unknown): void {
    if (!Number.isSafeInteger(value)) throw mismatch(this.path, 'an integer', value);
    const slot = this.count;
    const n = value as number;
    this.words = grown(this.words, slot * 2 + 2);
    this.words[slot * 2] = n >>> 0;
    this.words[slot * 2 + 1] = Math.floor(n / 4294967296);
    this.markValid(slot);
    this.count = slot + 1;
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    this.words = grown(this.words, length * 2);
    out.buffers.push(bytesOf(this.words.subarray(0, length * 2)));
  }
}

export class Float64Builder extends ColumnBuilder {
  private values: Float64Array;

  constructor(path: string, capacity: number) {
    super(path, capacity);
    this.values = new Float64Array(capacity);
  }

  add(value: unknown): void {
    if (typeof value !== 'number') throw mismatch(this.path, 'a number', value);
    const slot = this.count;
    this.values = grown(this.values, slot + 1);
    this.values[slot] = value;
    this.markValid(slot);
    this.count = slot + 1;
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    this.values = grown(this.values, length);
    out.buffers.push(bytesOf(this.values.subarray(0, length)));
  }
}

export class BooleanBuilder extends ColumnBuilder {
  private bits: Uint8Array;

  constructor(path: string, capacity: number) {
    super(path, capacity);
    this.bits = new Uint8Array((capacity + 7) >> 3);
  }

  add(value: unknown): void {
    if (typeof value !== 'boolean') throw mismatch(this.path, 'true or false', value);
    const slot = this.count;
    this.bits = grown(this.bits, (slot >> 3) + 1);
    if (value) this.bits[slot >> 3]! |= 1 << (slot & 7);
    this.markValid(slot);
    this.count = slot + 1;
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    const bytes = (length + 7) >> 3;
    this.bits = grown(this.bits, bytes);
    out.buffers.push(this.bits.subarray(0, bytes));
  }
}
