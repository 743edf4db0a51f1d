// `--shard K/N`, shared by run, backfill and daemon. K may be left out ("/N") to take it from
// $JOB_COMPLETION_INDEX, the index Kubernetes gives each pod of an Indexed Job.
import type { Shard } from '../collector/index.js';
import { UsageError } from './errors.js';

export function parseShard(value: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^\s*(\d*)\s*\/\s*(\d+)\s*$/.exec(value);
  const fail = (why: string): never => {
    throw new UsageError(`--shard: "${value}" ${why} (expected K/N with 0 <= K < N, e.g. 0/4)`);
  };
  if (m === null) return fail('is not K/N');
  const count = Number(m[2]);
  let k = m[1] ?? '';
  if (k === '') {
    k = env.JOB_COMPLETION_INDEX ?? '';
    if (!/^\d+$/.test(k)) return fail('has no K and $JOB_COMPLETION_INDEX is not a number');
  }
  const index = Number(k);
  if (!Number.isSafeInteger(count) || count < 1) return fail('needs N >= 1');
  if (!Number.isSafeInteger(index) || index >= count) return fail(`has K = ${index}, not below N = ${count}`);
  return { index, count };
}
