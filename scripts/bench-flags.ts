// The flags of a benchmark script, read as the CLI reads its own: --help prints the usage and exits 0; an
// unknown flag, a missing value or a value that is not the number the flag takes exits 2 naming the flag.
// A benchmark that quietly ran with NaN users would print figures about nothing.
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/errors.js';
import { nodeFlag } from '../src/heap-growth.js';

type StringFlags = Record<string, { type: 'string'; default?: string }>;
type FlagValues<O extends StringFlags> = {
  [K in keyof O]: O[K] extends { default: string } ? string : string | undefined;
};

export function usageError(message: string, usage: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

/** The flag values (strings, defaults filled), or an exit: 0 after --help, 2 after a bad flag. */
export function benchFlags<O extends StringFlags>(usage: string, options: O): FlagValues<O> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    usageError((error as Error).message, usage);
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return values as FlagValues<O>;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** A flag's number, or exit 2 naming the flag and what it takes. */
export function flagNumber(name: string, raw: string, usage: string, rule: NumberRule = {}): number {
  const value = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const kind = rule.integer === true ? 'an integer' : 'a number';
    const range = [
      rule.min !== undefined ? `>= ${rule.min}` : undefined,
      rule.max !== undefined ? `<= ${rule.max}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' and ');
    usageError(`--${name} takes ${kind}${range !== '' ? ` ${range}` : ''}, not "${raw}"`, usage);
  }
  return value;
}

/**
 * Runs a benchmark's main and exits: 0, or 2 for a configuration the flags made invalid (the config error's
 * own sentence names the key), or 1 for anything else (the error's message, no stack).
 */
export async function runBench(main: () => Promise<number | void>, usage: string): Promise<never> {
  try {
    process.exit((await main()) ?? 0);
  } catch (error) {
    if (error instanceof ConfigError) usageError(error.message, usage);
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/**
 * What moves a bench's memory and garbage-collection figures besides the code: Node, its young generation,
 * and glibc's malloc arenas (the image sets MALLOC_ARENA_MAX=2, and so do the bench scripts).
 */
export function nodeMemoryFlags(): {
  node_version: string;
  max_semi_space_mb: number | null;
  malloc_arena_max: number | null;
} {
  const semiSpace = nodeFlag('max-semi-space-size');
  const arenas = process.env.MALLOC_ARENA_MAX;
  return {
    node_version: process.version,
    max_semi_space_mb: semiSpace === undefined ? null : Number(semiSpace),
    malloc_arena_max: arenas === undefined || arenas.trim() === '' ? null : Number(arenas),
  };
}
