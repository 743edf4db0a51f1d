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

  /**
   * Empties the column for the next encode, keeping its arrays: the bitmaps zeroed (an unwritten slot is
   * null), and the values too where a null slot would otherwise show the last encode's value.
   */
  reset(): void {
    this.validity.fill(0, 0, (this.count + 7) >> 3);
    this.count = 0;
    this.valid = 0;
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
  /** Where the next slot starts: items (a list) or UTF-8 bytes (a text) so far. */
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

  reset(): void {
    super.reset();
    this.end = 0;
  }
}

/** A view for Buffer's native UTF-8 encoder. */
const bufferOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Texts longer than this go through Buffer's native encoder; shorter ones through a loop (no call). */
const NATIVE_TEXT_UNITS = 64;

/**
 * A text column. Strings (ids, ARNs, names, timestamps as text) are written as they come into the
 * column's own bytes, which the builder keeps for the next encode: ASCII (nearly every text) one unit per
 * byte by a loop, which for texts this short costs less than a call into Buffer, and less than joining
 * the texts to encode them in one call (another copy of every text, on the heap).
 *
 * JSON documents (one per record; unmapped: about 1 KB per IAM user) are kept as strings and written
 * straight into the IPC stream, copied once: bytes of their own were 1 MB (3 MB when sized for any UTF-8)
 * outside V8's heap per 1,000 events, and that external memory is what started V8's full collections
 * (mark-compact, 5-30 ms each) every few encodes. Counting their UTF-8 bytes costs 0.2 ms per MB.
 *
 * One class for both: a fifth builder class in the schemas of 1.1.0 and 1.3.0 turns the builders' `add`
 * calls from polymorphic (up to four classes, inlined) into megamorphic, measured slower.
 */
export class Utf8Builder extends OffsetColumnBuilder {
  private readonly texts: string[] = [];
  private bytes: Uint8Array;

  constructor(
    path: string,
    capacity: number,
    private readonly json: boolean,
  ) {
    super(path, capacity);
    this.bytes = new Uint8Array(json ? 0 : capacity * 16);
  }

  add(value: unknown): void {
    if (this.json) return this.addText(JSON.stringify(value));
    if (typeof value !== 'string') throw mismatch(this.path, 'a string', value);
    const n = value.length;
    const at = this.end;
    if (n > NATIVE_TEXT_UNITS) this.end = this.encoded(value, at);
    else {
      if (at + n > this.bytes.length) this.bytes = grown(this.bytes, at + n);
      const bytes = this.bytes;
      let i = 0;
      for (; i < n; i++) {
        const unit = value.charCodeAt(i);
        if (unit > 0x7f) break;
        bytes[at + i] = unit;
      }
      this.end = i === n ? at + n : this.encoded(value, at);
    }
    this.closeSlot();
  }

  /** A JSON document already as text (cut out of the record's own JSON). */
  addText(text: string): void {
    this.texts.push(text);
    this.end += Buffer.byteLength(text);
    this.closeSlot();
  }

  /** Writes `text` at `at` as UTF-8 (at most 3 bytes per UTF-16 unit); returns where it ends. */
  private encoded(text: string, at: number): number {
    this.bytes = grown(this.bytes, at + 3 * text.length);
    return at + bufferOf(this.bytes).write(text, at);
  }

  protected finishValues(length: number, out: ColumnBuffers): void {
    const texts = this.texts;
    const documents: PendingBytes = {
      byteLength: this.end,
      writeInto(target, at) {
        const out = bufferOf(target);
        for (const text of texts) at += out.write(text, at);
      },
    };
    out.buffers.push(
      bytesOf(this.offsets.subarray(0, length + 1)),
      this.json ? documents : this.bytes.subarray(0, this.end),
    );
  }

  reset(): void {
    super.reset();
    this.texts.length = 0;
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

  reset(): void {
    this.words.fill(0, 0, this.count * 2);
    super.reset();
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

  reset(): void {
    this.values.fill(0, 0, this.count);
    super.reset();
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

  reset(): void {
    this.bits.fill(0, 0, (this.count + 7) >> 3);
    super.reset();
  }
}
