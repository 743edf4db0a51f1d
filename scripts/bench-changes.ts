// `npm run bench:changes -- [--users N] [--groups N] [--mutations N] [--rate R] [--seed S]`
// The change feed with what ships: an emulator account of 1,000 users with the change feed on, a full run
// for the baseline state, then 200 mutations of mixed kinds at about R per second (seeded), each published
// as its CloudTrail event, consumed by the daemon's consumer (ChangeConsumer.run) with the shipped changes.*
// defaults. Prints one JSON object: the lag from a message becoming receivable (SentTimestamp) to the end of
// its burst (every sink acknowledged, the state committed, the message deleted); the IAM calls against the
// per-user reads of the identities each change affects; and wrong events: every event compared with the
// emulator's ground truth (an event must equal a state its identity had after some mutation; the last one
// must equal the final state). Not a test: numbers, not assertions.
// The emulator, the mutations and the ground truth run in a worker thread (scripts/bench-changes-world.ts),
// so the emulator does not share the consumer's event loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openCheckpoint } from '../src/checkpoint/index.js';
import { openSources } from '../src/collector/index.js';
import type { Config } from '../src/config/config.js';
import { configFromObject } from '../src/config/load.js';
import { ChangeConsumer } from '../src/daemon/change-consumer.js';
import type { ChangeMetrics } from '../src/daemon/change-metrics.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../src/emulator/index.js';
import { silentLogger } from '../src/log.js';
import { runCollection } from '../src/run/run.js';
import type { OutboundEvent, Sink } from '../src/sinks/sink.js';
import { eventState } from './bench-changes-truth.js';
import { benchFlags, flagNumber, runBench } from './bench-flags.js';
import type { MutationStream, Verdict } from './bench-changes-world.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const USAGE = `usage: npm run bench:changes -- [--users N] [--groups N] [--mutations N] [--rate R] [--seed S]
Without flags: 200 mutations at about 10 per second against one account of 1,000 users x 100 groups.`;
const args = benchFlags(USAGE, {
  users: { type: 'string', default: '1000' },
  groups: { type: 'string', default: '100' },
  mutations: { type: 'string', default: '200' },
  rate: { type: 'string', default: '10' },
  seed: { type: 'string', default: '42' },
});
const users = flagNumber('users', args.users, USAGE, { integer: true, min: 1 });
const groups = flagNumber('groups', args.groups, USAGE, { integer: true, min: 0 });
const mutations = flagNumber('mutations', args.mutations, USAGE, { integer: true, min: 1 });
const rate = flagNumber('rate', args.rate, USAGE, { min: 0.01 });
const seed = flagNumber('seed', args.seed, USAGE, { integer: true });

/** The world's worker: one request at a time, answered by id. */
class WorldThread {
  private readonly worker = new Worker(new URL('./bench-changes-world.js', import.meta.url));
  private next = 0;
  private readonly pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();

  constructor() {
    this.worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    });
  }

  call<T>(op: string, args?: unknown): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) =>
        m.error !== undefined ? reject(new Error(m.error)) : resolve(m.result as T),
      );
      this.worker.postMessage({ id, op, args });
    });
  }

  async iamCalls(): Promise<Map<string, number>> {
    return new Map(await this.call<[string, number][]>('iamCalls'));
  }

  async stop(): Promise<void> {
    await this.call('stop').catch(() => undefined);
    await this.worker.terminate();
  }
}

/** Records every acknowledged event, reduced to the state the ground truth judges. */
class RecordingSink implements Sink {
  readonly name = 'recording';
  readonly type = 'recording';
  readonly events: [string, string][] = [];
  async send(batch: readonly OutboundEvent[]) {
    for (const e of batch) this.events.push([e.key, eventState(e.event)]);
    return { rejected: [] };
  }
  async check() {
    return 'in-process recorder';
  }
  async close() {}
}

function benchConfig(emulatorUrl: string, dir: string, queueUrl: string): Config {
  return configFromObject(
    {
      aws: {
        region: 'us-east-1',
        endpoint: emulatorUrl,
        credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
      },
      changes: { queue_url: queueUrl },
      state: { path: join(dir, 'state.db') },
      sinks: [{ type: 'stdout' }],
      log: { level: 'silent' },
    },
    { baseDir: dir },
  );
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

interface Observed {
  lagsMs: number[];
  done: number;
  identitiesRead: number;
  kept: number;
  /** Per burst: messages, identities read, and the lag of its oldest message. */
  bursts: { messages: number; read: number; oldestLagMs: number }[];
}

function observingMetrics(o: Observed): ChangeMetrics {
  return {
    burst: (r, ackedAt) => {
      for (const d of r.done) o.lagsMs.push(ackedAt - d.message.sentAt);
      o.done += r.done.length;
      o.kept += r.retry.length;
      const read = r.scopes.reduce((a, s) => a + s.identitiesRead, 0);
      o.identitiesRead += read;
      const oldest = Math.min(...r.done.map((d) => d.message.sentAt));
      o.bursts.push({ messages: r.received, read, oldestLagMs: ackedAt - oldest });
    },
    depth: () => undefined,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * What reading each affected identity alone costs (the per-user path, as a change of that one identity would
 * read it), summed over every change that affects it: the reference the consumer's calls are held to.
 */
async function standaloneReads(
  world: WorldThread,
  config: Config,
  names: readonly string[],
): Promise<number> {
  const opened = await openSources(config, { logger: silentLogger() });
  const source = opened.sources[0];
  if (source?.readChanged === undefined) throw new Error('the account source has no targeted reads');
  const cost = new Map<string, number>();
  try {
    for (const userName of new Set(names)) {
      const before = sum(await world.iamCalls());
      await source.readChanged([{ kind: 'user', accountId: source.accountId, userName }]);
      cost.set(userName, sum(await world.iamCalls()) - before);
    }
  } finally {
    for (const h of opened.handles) h.iam.destroy();
  }
  return names.reduce((a, n) => a + (cost.get(n) ?? 0), 0);
}

interface Measured {
  m: MutationStream;
  observed: Observed;
  baselineEvents: number;
  perUserCallsPerUser: number;
  baselineMs: number;
  wallMs: number;
  /** CPU of this thread (the consumer, its SDK clients and the pipeline) during the stream. */
  cpuMs: number;
}

/** The baseline full run, then the mutation stream consumed by the daemon's consumer until all applied. */
async function measure(world: WorldThread, config: Config, sink: RecordingSink): Promise<Measured> {
  const checkpoint = openCheckpoint(config.state.path);
  const controller = new AbortController();
  try {
    // The baseline is read by the per-user path with MFA from the API, as a change is read.
    const perUser: Config = {
      ...config,
      collector: { ...config.collector, strategy: 'per-user', mfa_source: 'api' },
    };
    const baselineStarted = Date.now();
    const baseline = await runCollection(
      perUser,
      { mode: 'full', logger: silentLogger() },
      { checkpoint, sinks: [sink] },
    );
    if (baseline.status !== 'succeeded') throw new Error(`baseline run: ${baseline.errors.join('; ')}`);
    const baselineMs = Date.now() - baselineStarted;
    const baselineEvents = sink.events.length;
    const perUserCallsPerUser = sum(await world.iamCalls()) / Math.max(1, baseline.usersSeen);
    await world.call('resetStats');
    const observed: Observed = { lagsMs: [], done: 0, identitiesRead: 0, kept: 0, bursts: [] };
    const logger = silentLogger();
    const consumer = new ChangeConsumer(config, {
      checkpoint,
      sinks: [sink],
      logger,
      metrics: observingMetrics(observed),
    });
    const running = consumer.run(controller.signal);
    const started = Date.now();
    const cpu = process.cpuUsage();
    const m = await world.call<MutationStream>('mutate', {
      count: mutations,
      rate,
      seed,
    });
    const deadline = Date.now() + 120_000;
    while (observed.done < m.published && Date.now() < deadline) await sleep(50);
    const wallMs = Date.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    controller.abort();
    await running;
    consumer.close();
    return { m, observed, baselineEvents, perUserCallsPerUser, baselineMs, wallMs, cpuMs };
  } finally {
    controller.abort();
    checkpoint.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-inventory-bench-changes-'));
  const world = new WorldThread();
  try {
    const { url, queueUrl } = await world.call<{ url: string; queueUrl: string }>('init', {
      users,
      groups,
      seed,
    });
    const config = benchConfig(url, dir, queueUrl);
    const sink = new RecordingSink();
    const measured = await measure(world, config, sink);
    const { m, observed, baselineEvents, perUserCallsPerUser } = measured;
    const calls = await world.iamCalls();
    const reference = (await standaloneReads(world, config, m.affectedNames)) + m.resolutionCalls;
    const baselineVerdict = await world.call<Verdict>('judge', sink.events.slice(0, baselineEvents));
    const verdict = await world.call<Verdict>('judge', sink.events);
    const lags = [...observed.lagsMs].sort((a, b) => a - b);
    const perUserRead = (sum(calls) - m.resolutionCalls) / Math.max(1, observed.identitiesRead);
    const result = {
      users,
      mutations: m.published,
      mutation_kinds: m.kinds,
      messages_applied: observed.done,
      messages_retried: observed.kept,
      events: sink.events.length - baselineEvents,
      lag_ms: {
        from: 'message receivable (SentTimestamp)',
        to: 'every sink acknowledged, state committed, message deleted',
        p50: quantile(lags, 0.5),
        p95: quantile(lags, 0.95),
        max: lags.at(-1) ?? null,
      },
      bursts: observed.bursts.length,
      largest_bursts: [...observed.bursts].sort((a, b) => b.read - a.read).slice(0, 3),
      affected_identities: m.affectedNames.length,
      identities_read: observed.identitiesRead,
      iam_calls: sum(calls),
      iam_calls_per_change: Number((sum(calls) / Math.max(1, m.published)).toFixed(2)),
      iam_calls_per_identity_read: Number(perUserRead.toFixed(2)),
      per_user_run_calls_per_user: Number(perUserCallsPerUser.toFixed(2)),
      // Each affected identity read alone by the per-user path, once per change that affects it, plus the
      // listings that name them (GetGroup, ListEntitiesForPolicy). Target: iam_calls <= this.
      per_user_reads_of_affected: reference,
      calls_to_per_user_reads: Number((sum(calls) / reference).toFixed(3)),
      baseline_wrong_events: baselineVerdict.wrong.length,
      wrong_events: verdict.wrong.length - baselineVerdict.wrong.length,
      wrong_examples: verdict.wrong.slice(baselineVerdict.wrong.length).slice(0, 3),
      last_event_not_final_state: verdict.stale.length,
      calls_by_action: Object.fromEntries([...calls].sort((a, b) => b[1] - a[1])),
      defaults: config.changes,
      emulator: 'worker thread',
      baseline_full_run_ms: measured.baselineMs,
      wall_ms: measured.wallMs,
      consumer_thread_cpu_ms: measured.cpuMs,
      // The machine is shared: lag is wall-clock time, and depends on what else runs.
      load_average_1m: Number(loadavg()[0]?.toFixed(2)),
      cores: availableParallelism(),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runBench(main, USAGE);
