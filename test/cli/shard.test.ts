// `--shard K/N`: the parse (K from $JOB_COMPLETION_INDEX, bad values a usage error naming the flag), the
// stable split (N shards cover every account exactly once) and exit 2 from the CLI.
import { describe, expect, it } from '@jest/globals';
import { inShard, shardOf } from '../../src/collector/index.js';
import { parseShard } from '../../src/cli/shard-option.js';
import { runCli } from '../e2e/cli.js';

const accountIds = Array.from({ length: 500 }, (_, i) => String(100000000000 + i * 7919));

describe('--shard', () => {
  it('parses K/N, and /N with K from $JOB_COMPLETION_INDEX', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard('/4', { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 4 });
  });

  it.each([['4/4'], ['5/4'], ['0/0'], ['a/4'], ['1'], ['-1/4'], ['/4']])(
    'rejects %s naming the flag',
    (v) => {
      expect(() => parseShard(v, {})).toThrow(/^--shard: /);
      try {
        parseShard(v, {});
      } catch (error) {
        expect((error as { exitCode?: number }).exitCode).toBe(2);
      }
    },
  );

  it('N shards cover every account exactly once, stably and roughly evenly', () => {
    for (const count of [1, 2, 3, 5, 8]) {
      const sizes = new Array<number>(count).fill(0);
      for (const id of accountIds) {
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) =>
          inShard(id, { index, count }),
        );
        expect(owners).toEqual([shardOf(id, count)]);
        sizes[owners[0]!]! += 1;
      }
      for (const size of sizes) expect(size).toBeGreaterThan(accountIds.length / count / 2);
    }
    // A pinned value: the hash must not change between releases (replicas of two versions must agree).
    expect(accountIds.slice(0, 6).map((id) => shardOf(id, 4))).toEqual(PINNED);
  });

  it('exits 2 naming --shard when K >= N, on run, backfill and daemon', async () => {
    for (const command of ['run', 'backfill', 'daemon']) {
      const r = await runCli([command, '--config', 'nope.yaml', '--shard', '2/2']);
      expect({ command, code: r.code }).toEqual({ command, code: 2 });
      expect(r.stderr).toContain('--shard');
    }
  });
});

const PINNED = [2, 0, 1, 2, 3, 2];
