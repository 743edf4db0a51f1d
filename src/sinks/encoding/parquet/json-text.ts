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
/** The highest code unit that may be JSON whitespace (space; tab, newline and return lie below). */
export const SPACE = 0x20;
/** The first character of `null`. */
export const NULL_START = 0x6e;

/**
 * The position of the first character at or after `at` that is not JSON whitespace. JSON.stringify
 * writes none, so the common case is one comparison, small enough for V8 to inline at every call.
 */
export function skipSpace(text: string, at: number): number {
  return text.charCodeAt(at) > 0x20 ? at : spaceEnd(text, at);
}

/** Where the whitespace at `at` ends (`at` itself when there is none). */
export function spaceEnd(text: string, at: number): number {
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

/**
 * What the value at `at` is, in the words column errors use (typeof, and "a list"); undefined where no
 * JSON value starts.
 */
export function valueKindAt(text: string, at: number): string | undefined {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return 'string';
  if (c === OPEN_BRACKET) return 'a list';
  if (c === OPEN_BRACE || c === 0x6e) return 'object';
  if (c === 0x74 || c === 0x66) return 'boolean';
  return c === MINUS || isDigit(c) ? 'number' : undefined;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

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

/**
 * Where the number starting at `at` ends, by JSON's grammar (-? (0 | [1-9][0-9]*) (. [0-9]+)?
 * ([eE] [+-]? [0-9]+)?); `at` itself when no number starts there. What follows a number that ends early
 * ("01", "1.5.") is the caller's to refuse: no member or list item goes on that way.
 */
export function numberEnd(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  const first = text.charCodeAt(i);
  if (!isDigit(first)) return at;
  i++;
  if (first !== 0x30) while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x2e) {
    if (!isDigit(text.charCodeAt(i + 1))) return at;
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 0x2b || sign === MINUS) j++;
    if (!isDigit(text.charCodeAt(j))) return at;
    i = j + 1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/**
 * Where the string starting at `at` ends, checked as JSON.parse would: no control character, and only
 * JSON's escapes.
 */
function checkedStringEnd(text: string, at: number, path: string): number {
  let i = at + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (!(c >= 0x20)) throw syntaxError(text, i, 'a character of a string', path);
    if (c === BACKSLASH) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw syntaxError(text, i, 'an escape', path);
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      )
        throw syntaxError(text, i, 'an escape', path);
      i += 2;
      continue;
    }
    i++;
  }
}

/** Per open container of valueEnd, deepest last: 1 for an object, 0 for a list (grown when deeper). */
let openContainers = new Uint8Array(64);

/**
 * Where the value starting at `at` ends, the whole value checked against JSON's grammar: a JSON text
 * column takes the value as the text it is, so the text must be what JSON.parse would take. One loop
 * over the tokens with a stack of the open objects and lists (a call per nested value cost three times
 * as much); whitespace is looked for only where the character that must come is not there.
 */
export function valueEnd(text: string, at: number, path: string): number {
  let depth = 0;
  let i = at;
  // Strings that end before the next backslash or control character need no check of their own: the
  // next quote ends them (found natively). The rest are checked one character at a time.
  let special = nextSpecial(text, at);
  let close = 0;
  let member = false;
  for (;;) {
    let c = text.charCodeAt(i);
    if (member) {
      // A member's name and colon; its value starts after them.
      if (c !== QUOTE) throw syntaxError(text, i, 'a member name', path);
      if ((close = text.indexOf('"', i + 1)) >= 0 && close < special) i = close + 1;
      else special = nextSpecial(text, (i = checkedStringEnd(text, i, path)));
      if (text.charCodeAt(i) !== COLON && text.charCodeAt((i = spaceEnd(text, i))) !== COLON)
        throw syntaxError(text, i, '":"', path);
      c = text.charCodeAt(++i);
      if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
      member = false;
    }
    // A value starts at i.
    if (c === QUOTE) {
      if ((close = text.indexOf('"', i + 1)) >= 0 && close < special) i = close + 1;
      else special = nextSpecial(text, (i = checkedStringEnd(text, i, path)));
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const object = c === OPEN_BRACE;
      c = text.charCodeAt(++i);
      if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
      if (c === (object ? CLOSE_BRACE : CLOSE_BRACKET)) i++;
      else {
        if (depth === openContainers.length) {
          const deeper = new Uint8Array(depth * 2);
          deeper.set(openContainers);
          openContainers = deeper;
        }
        openContainers[depth++] = object ? 1 : 0;
        member = object;
        continue;
      }
    } else i = scalarEnd(text, i, c, path);
    // After a value: the end of the text's value, another item or member, or the end of a container.
    for (;;) {
      if (depth === 0) return i;
      c = text.charCodeAt(i);
      if (c <= SPACE) c = text.charCodeAt((i = spaceEnd(text, i)));
      const object = openContainers[depth - 1] === 1;
      if (c === COMMA) {
        if (text.charCodeAt(++i) <= SPACE) i = spaceEnd(text, i);
        member = object;
        break;
      }
      if (c !== (object ? CLOSE_BRACE : CLOSE_BRACKET))
        throw syntaxError(text, i, object ? '"," or "}"' : '"," or "]"', path);
      depth--;
      i++;
    }
  }
}

// eslint-disable-next-line no-control-regex -- control characters are what a JSON string may not hold
const CONTROL = /[\u0000-\u001f]/g;

/** Where the next backslash or control character at or after `at` is (the text's length if none). */
function nextSpecial(text: string, at: number): number {
  CONTROL.lastIndex = at;
  const control = CONTROL.exec(text)?.index ?? text.length;
  const backslash = text.indexOf('\\', at);
  return backslash >= 0 && backslash < control ? backslash : control;
}

/** Where the literal or number starting at `at` (its first character `c`) ends. */
function scalarEnd(text: string, at: number, c: number, path: string): number {
  const literal = c === 0x6e ? 'null' : c === 0x74 ? 'true' : c === 0x66 ? 'false' : undefined;
  const end =
    literal === undefined ? numberEnd(text, at) : literalAt(text, at, literal) ? at + literal.length : at;
  if (end === at) throw syntaxError(text, at, 'a value', path);
  return end;
}
