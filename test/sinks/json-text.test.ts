// The token-level reader of JSON text columns: valueEnd must find where a value ends exactly where
// JSON.parse takes the text, and refuse every text JSON.parse refuses (such a text would be written into
// the column as it is).
import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../../src/emulator/random.js';
import { skipSpace, valueEnd } from '../../src/sinks/encoding/parquet/json-text.js';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * valueEnd over the whole text, whitespace around it skipped as a column's caller does: the text's
 * length when the value fills it.
 */
const wholeValueEnd = (text: string): number | 'error' => {
  try {
    return skipSpace(text, valueEnd(text, skipSpace(text, 0), 'unmapped'));
  } catch {
    return 'error';
  }
};

function randomValue(random: SeededRandom, depth: number): unknown {
  const kind = random.int(0, depth > 5 ? 3 : 6);
  switch (kind) {
    case 0:
      return random.int(-1000, 1000) / (random.chance(0.5) ? 1 : 7);
    case 1:
      return ['', 'a', 'quote " and \\ ', 'tab\tnl\n\u0001', 'é 😀 \u2028', 'x'.repeat(40)][random.int(0, 5)];
    case 2:
      return [true, false, null][random.int(0, 2)];
    case 3:
      return random.chance(0.5) ? 1e21 : -0.5e-7;
    case 4:
    case 5:
      return Array.from({ length: random.int(0, 4) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(0, 4) }, (_, i) => [`k${i}`, randomValue(random, depth + 1)]),
      );
  }
}

describe('valueEnd', () => {
  it('ends a value where its text ends, with whitespace, escapes and deep nesting', () => {
    const deep = '['.repeat(200) + '{"a" : [ 1 , "b" ] }' + ']'.repeat(200);
    const texts = [
      '{}',
      '[]',
      '{ }',
      '[ \n\t\r ]',
      '"s"',
      '-0.5e+7',
      'null',
      '{"a":{"b":[{"c":"d\\u00e9\\"\\\\"}]},"e":[true,false,null]}',
      JSON.stringify({ a: [1, { b: 'x' }], c: 'é' }, null, 2),
      deep,
    ];
    for (const text of texts) {
      expect(valueEnd(text, 0, 'unmapped')).toBe(text.length);
      // The value ends before what follows it in the record.
      expect(valueEnd(`${text},"next":1}`, 0, 'unmapped')).toBe(text.length);
    }
  });

  it('takes exactly what JSON.parse takes (seeded texts and their damaged copies)', () => {
    const random = new SeededRandom(20261201);
    let refused = 0;
    for (let n = 0; n < 400; n++) {
      const value = randomValue(random, 0);
      const text = JSON.stringify(value, null, random.chance(0.3) ? 1 : undefined) ?? 'null';
      expect(wholeValueEnd(text)).toBe(text.length);
      // One character taken out, doubled or replaced: where JSON.parse refuses it, so must valueEnd.
      for (let m = 0; m < 8; m++) {
        const at = random.int(0, text.length - 1);
        const replacement = ['', text[at]! + text[at]!, '"', '\\', ',', '}', ']', ':', '0', '\u0002', ' '][
          random.int(0, 10)
        ]!;
        const damaged = text.slice(0, at) + replacement + text.slice(at + 1);
        const end = wholeValueEnd(damaged);
        if (parses(damaged)) expect(end).toBe(damaged.length);
        else {
          // A prefix of the text may be a whole value ("1" of "1}"); then the rest is not.
          if (end !== 'error') expect(end).toBeLessThan(damaged.length);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
