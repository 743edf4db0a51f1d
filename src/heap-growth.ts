// How far V8 lets the heap grow past the live set after a full collection.
//
// V8 sizes that step for the machine: with gigabytes free it lets garbage pile up to about four times the
// live set before collecting again. The collector's live set is small (tens of MB: one page of identities
// per account in flight, one account's authorization details) but it allocates fast (XML pages, events,
// JSON), so on a large host a 20 x 5,000-user run peaked at ~360 MB RSS for ~50 MB of live data. A collector
// is a guest on its host (a sidecar, a shared node): 30% growth held the same run at ~220 MB for about 5%
// more wall time (npm run bench; README, Benchmarks).
//
// The young generation is the other half of the peak, and V8 sizes it only when the process starts: Node 24
// lets it grow to 64 MB where Node 20 stops at 32 MB (308-322 against 217-258 MB RSS for that run on Node 24). The
// container's entrypoint passes --max-semi-space-size=16 for it (Dockerfile); a setting here could not.
//
// The flag is read at every full collection, so setting it at startup takes effect; it changes only when the
// next collection starts, never what is kept. IAM_INVENTORY_HEAP_GROWTH_PERCENT overrides it (0 = V8's own
// choice); a --heap-growing-percent given to node itself is left alone.
import { setFlagsFromString } from 'node:v8';
import { ConfigError } from './config/errors.js';

export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

/**
 * The value of a V8 or Node flag given to node itself (its command line or NODE_OPTIONS; `--flag=value`
 * or `--flag value`), "" for a flag given without one, undefined when not given. `name` without dashes,
 * e.g. "max-semi-space-size"; V8's underscore spelling counts too.
 */
export function nodeFlag(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const tokens = [...process.execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (const [i, token] of tokens.entries()) {
    const [flag, value] = token.replaceAll('_', '-').split('=', 2);
    if (flag !== `--${name}`) continue;
    if (value !== undefined) return value;
    // V8 also takes a value as the next word: `--max-semi-space-size 16`.
    const next = tokens[i + 1];
    return next !== undefined && next !== '' && !next.startsWith('-') ? next : '';
  }
  return undefined;
}

/** Applies the growth limit; returns the percent in force (undefined = V8's default). */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (nodeFlag('heap-growing-percent', env) !== undefined) return undefined;
  const raw = env.IAM_INVENTORY_HEAP_GROWTH_PERCENT;
  let percent = DEFAULT_HEAP_GROWTH_PERCENT;
  if (raw !== undefined && raw.trim() !== '') {
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 1000) {
      throw new ConfigError(
        `IAM_INVENTORY_HEAP_GROWTH_PERCENT must be an integer from 0 to 1000 (0 = V8's default), got "${raw}"`,
      );
    }
    percent = parsed;
  }
  if (percent === 0) return undefined;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
