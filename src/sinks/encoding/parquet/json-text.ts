// Reading one record's JSON text where the column builders need it (see column-buffer-writer.ts): the builders
// take their values straight from the text, so an object buffered as NDJSON lines becomes columns without
// JSON.parse building every event's object graph first. These are the token-level steps: whitespace,
// what kind of value starts at a position, where a string, a number or a whole value ends. Texts are
// whole JSON documents as JSON.stringify writes them, whitespace allowed; anything else is an error that
// says where.

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;

/** The position of the first character at or after `at` that is not JSON whitespace. */
export function skipSpace(text: string, at: number): number {
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++at);
  return at;
}

/** A JSON text that is not what its position needs: where, and what was expected. */
export function syntaxError(text: string, at: number, expected: string, path: string): Error {
  const found = at >= text.length ? 'the end of the text' : JSON.stringify(text.slice(at, at + 12));
  const where = path === '' ? 'the record' : path;
  return new Error(
    `Parquet encoding: the JSON text of ${where} is not JSON: expected ${expected} at character ${at}, found ${found}`,
  );
}

/** What the value at `at` is, in the words column errors use (typeof, and "a list"). */
export function valueKindAt(text: string, at: number): string {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return 'string';
  if (c === OPEN_BRACKET) return 'a list';
  if (c === OPEN_BRACE || c === 0x6e) return 'object';
  if (c === 0x74 || c === 0x66) return 'boolean';
  return 'number';
}

/** True when `literal` (null, true, false) is at `at` and ends there. */
export function literalAt(text: string, at: number, literal: string): boolean {
  return text.startsWith(literal, at) && !isWordChar(text.charCodeAt(at + literal.length));
}

const isWordChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e;

/** Where the string starting at `at` (its opening quote) ends: just after its closing quote. */
export function stringEnd(text: string, at: number, path: string): number {
  let i = at + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) throw syntaxError(text, text.length, 'the end of a string', path);
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if ((backslashes & 1) === 0) return q + 1;
    i = q + 1;
  }
}

/** The string starting at `at` whose text holds escapes or non-ASCII characters, decoded by JSON.parse. */
export function decodedString(text: string, at: number, end: number, path: string): string {
  try {
    return JSON.parse(text.slice(at, end)) as string;
  } catch {
    throw syntaxError(text, at, 'a string', path);
  }
}

/** Where the number starting at `at` ends (JSON's number grammar, checked by Number() on the slice). */
export function numberEnd(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  for (;;) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS) i++;
    else return i;
  }
}

/**
 * Where the value starting at `at` ends. Objects and lists are followed by their brackets, outside
 * strings; strings are skipped to their closing quote by indexOf. What is inside is not checked here: a
 * JSON text column takes the value as the text it is (the record's own serialization).
 */
export function valueEnd(text: string, at: number, path: string): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at, path);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    if (first === 0x6e || first === 0x74 || first === 0x66) {
      for (const literal of ['null', 'true', 'false'])
        if (literalAt(text, at, literal)) return at + literal.length;
      throw syntaxError(text, at, 'a value', path);
    }
    const end = numberEnd(text, at);
    if (end === at || Number.isNaN(Number(text.slice(at, end)))) throw syntaxError(text, at, 'a value', path);
    return end;
  }
  let depth = 0;
  let i = at;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(text, i, path);
    else {
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
  }
  throw syntaxError(text, length, 'the end of an object or list', path);
}
