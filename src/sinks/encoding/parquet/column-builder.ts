// What every column builder shares: the Arrow buffers they append (field nodes, validity bitmaps,
// offsets), the slot bookkeeping of nullable columns, and the errors that name a value's path. The
// builders themselves are in scalar-columns.ts (texts, numbers, booleans) and column-builders.ts
// (structs and lists).
import { syntaxError, valueKindAt } from './json-text.js';

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
export const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
export const bytesOf = (a: Int32Array | Float64Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const mismatchError = (path: string, expected: string, got: string): Error =>
  new Error(`Parquet encoding: ${path} must be ${expected} for its column, got ${got}`);

export function mismatch(path: string, expected: string, value: unknown): Error {
  return mismatchError(path, expected, Array.isArray(value) ? 'a list' : typeof value);
}

/** `mismatch` for the value whose JSON text starts at `at` (a syntax error where no value starts). */
export function textMismatch(path: string, expected: string, text: string, at: number): Error {
  const kind = valueKindAt(text, at);
  return kind === undefined ? syntaxError(text, at, 'a value', path) : mismatchError(path, expected, kind);
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

  /**
   * Writes the value (never null) whose JSON text starts at `at` in `text` into slot `count`, as `add`
   * would write it parsed; returns where its text ends.
   */
  abstract scan(text: string, at: number): number;

  /** Whether slot `slot` holds a value (not null). */
  hasValue(slot: number): boolean {
    return slot < this.count && (this.validity[slot >> 3]! & (1 << (slot & 7))) !== 0;
  }

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
