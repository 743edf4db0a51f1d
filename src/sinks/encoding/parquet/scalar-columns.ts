// The scalar columns (strings, JSON text, integers, doubles, booleans): each reads its values from the
// record's JSON text (scan) straight into the typed arrays of its Arrow buffers. See
// column-buffer-writer.ts for how records reach them.
import {
  ColumnBuilder,
  OffsetColumnBuilder,
  bytesOf,
  grown,
  mismatch,
  textMismatch,
  type ColumnBuffers,
  type PendingBytes,
} from './column-builder.js';
import {
  BACKSLASH,
  QUOTE,
  decodedString,
  literalAt,
  numberEnd,
  stringEnd,
  syntaxError,
  valueEnd,
  valueKindAt,
} from './json-text.js';

/** A view for Buffer's native UTF-8 encoder. */
const bufferOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Texts longer than this go through Buffer's native encoder; shorter ones through a loop (no call). */
const NATIVE_TEXT_UNITS = 64;

/** A text column makes room for at most this many more units than it holds (see scan). */
const ROOM_FOR_TEXT_UNITS = 16 * 1024;

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
 * One class for both: a fifth builder class in the schemas of 1.1.0 and 1.3.0 turned the builders' calls
 * from polymorphic (up to four classes, inlined) into megamorphic, measured slower.
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

  /** A string decoded from its JSON text (escapes, non-ASCII characters). */
  private addString(value: string): void {
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

  scan(text: string, at: number): number {
    if (this.json) {
      const end = valueEnd(text, at, this.path);
      this.addText(text.slice(at, end));
      return end;
    }
    if (text.charCodeAt(at) !== QUOTE) throw textMismatch(this.path, 'a string', text, at);
    // The text up to the closing quote, copied one unit per byte while it is ASCII without escapes
    // (nearly every value), in one pass: room for the rest of the text is made first, so that the loop
    // needs no bound but the quote (a search for the quote first cost a native call per string, a bound
    // checked per unit as much). Where the rest of the text is long, the quote is searched for first
    // instead, so that no column keeps room for a long text. A string with escapes or other characters is
    // decoded by JSON.parse, which also refuses what is not JSON; the end of the text (NaN) takes that
    // way too, and fails there.
    const start = this.end;
    const rest = text.length - at;
    if (start + rest > this.bytes.length) {
      if (rest > ROOM_FOR_TEXT_UNITS) return this.scanSearched(text, at);
      this.bytes = grown(this.bytes, start + rest);
    }
    const bytes = this.bytes;
    let i = at + 1;
    let out = start;
    for (; ; i++, out++) {
      const unit = text.charCodeAt(i);
      if (unit === QUOTE) break;
      if (!(unit >= 0x20 && unit <= 0x7f) || unit === BACKSLASH) return this.scanDecoded(text, at);
      bytes[out] = unit;
    }
    this.end = out;
    this.closeSlot();
    return i + 1;
  }

  /** `scan` for a string searched for its closing quote first. */
  private scanSearched(text: string, at: number): number {
    const close = text.indexOf('"', at + 1);
    if (close < 0) throw syntaxError(text, text.length, 'the end of a string', this.path);
    const start = this.end;
    this.bytes = grown(this.bytes, start + close - at);
    const bytes = this.bytes;
    for (let i = at + 1, out = start; i < close; i++, out++) {
      const unit = text.charCodeAt(i);
      if (!(unit >= 0x20 && unit <= 0x7f) || unit === BACKSLASH) return this.scanDecoded(text, at);
      bytes[out] = unit;
    }
    this.end = start + close - at - 1;
    this.closeSlot();
    return close + 1;
  }

  /** `scan` for a string with escapes or non-ASCII characters: decoded by JSON.parse. */
  private scanDecoded(text: string, at: number): number {
    const end = stringEnd(text, at, this.path);
    this.addString(decodedString(text, at, end, this.path));
    return end;
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

/** The number whose JSON text starts at `at`, given to the column's `add`; returns where it ends. */
function scanNumber(
  column: ColumnBuilder & { add(value: number): void },
  text: string,
  at: number,
  expected: string,
) {
  const end = numberEnd(text, at);
  if (end === at) {
    // Text that starts like a number but is none ("1.", "1e") is no value of another kind either.
    if (valueKindAt(text, at) === 'number') throw syntaxError(text, at, 'a number', column.path);
    throw textMismatch(column.path, expected, text, at);
  }
  column.add(Number(text.slice(at, end)));
  return end;
}

/** int64 as two little-endian 32-bit words: no BigInt per value. */
export class Int64Builder extends ColumnBuilder {
  private words: Int32Array;

  constructor(path: string, capacity: number) {
    super(path, capacity);
    this.words = new Int32Array(capacity * 2);
  }

  /** A number read from the text; one that is no safe integer (a fraction, or past 2^53) is refused. */
  add(n: number): void {
    if (!Number.isSafeInteger(n)) throw mismatch(this.path, 'an integer', n);
    const slot = this.count;
    this.words = grown(this.words, slot * 2 + 2);
    this.words[slot * 2] = n >>> 0;
    this.words[slot * 2 + 1] = Math.floor(n / 4294967296);
    this.markValid(slot);
    this.count = slot + 1;
  }

  scan(text: string, at: number): number {
    // Digits summed while they stay exact (up to 15 of them); anything longer or not an integer's
    // notation goes through Number(), and add refuses what is not a safe integer.
    let i = at;
    const negative = text.charCodeAt(i) === 0x2d;
    if (negative) i++;
    const digits = i;
    let n = 0;
    let c = text.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39 && i - digits < 15) {
      n = n * 10 + (c - 0x30);
      c = text.charCodeAt(++i);
    }
    // A leading zero before a digit is no JSON number: numberEnd ends it there, and the caller refuses it.
    const zeroLed = i - digits > 1 && text.charCodeAt(digits) === 0x30;
    if (i === digits || zeroLed || c === 0x2e || c === 0x65 || c === 0x45 || (c >= 0x30 && c <= 0x39))
      return scanNumber(this, text, at, 'an integer');
    this.add(negative ? -n : n);
    return i;
  }

  /** The value in slot `slot`, undefined for null. */
  valueAt(slot: number): number | undefined {
    if (!this.hasValue(slot)) return undefined;
    return (this.words[slot * 2]! >>> 0) + this.words[slot * 2 + 1]! * 4294967296;
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

  add(value: number): void {
    const slot = this.count;
    this.values = grown(this.values, slot + 1);
    this.values[slot] = value;
    this.markValid(slot);
    this.count = slot + 1;
  }

  scan(text: string, at: number): number {
    return scanNumber(this, text, at, 'a number');
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

  private add(value: boolean): void {
    const slot = this.count;
    this.bits = grown(this.bits, (slot >> 3) + 1);
    if (value) this.bits[slot >> 3]! |= 1 << (slot & 7);
    this.markValid(slot);
    this.count = slot + 1;
  }

  scan(text: string, at: number): number {
    if (literalAt(text, at, 'true')) {
      this.add(true);
      return at + 4;
    }
    if (literalAt(text, at, 'false')) {
      this.add(false);
      return at + 5;
    }
    throw textMismatch(this.path, 'true or false', text, at);
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
