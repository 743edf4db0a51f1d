// `npm run bench:parquet -- [--users N] [--seed S] [--ocsf-version V] [--min-cpu-ms MS]`
// Collects the seeded account once (emulator in this process, every feature on) into a sink that keeps the
// events, then measures the object encoders on them: Parquet (ZSTD) encode throughput in events per second
// of CPU time of the process (the encoder is synchronous; other cores' load still shows through shared
// caches), and bytes per identity of Parquet ZSTD vs NDJSON gzip. Prints one JSON object.
//
// Object sizes: the ones the sink writes with its shipped defaults come first. A full run's events share
// one collection day, and flush_seconds 300 outlasts the run, so each account-day partition becomes one
// object holding the whole account (shipped_objects). Beside it: a 100-event object (a daemon flush of a
// few changes) and a tenfold object (the same events ten times: repeated values suit dictionaries and
// ZSTD, so that figure flatters the encoder), and the sink's whole flush step (the buffered NDJSON lines,
// read by the encoder as text).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcsfVersion } from '../src/config/config.js';
import { configFromObject } from '../src/config/load.js';
import { OCSF_VERSIONS } from '../src/config/ocsf-versions.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEmulator } from '../src/emulator/index.js';
import { limitHeapGrowth } from '../src/heap-growth.js';
import { silentLogger } from '../src/log.js';
import { eventRecordSchema } from '../src/ocsf/record-schema.js';
import { runCollection } from '../src/run/run.js';
import { encodeNdjson } from '../src/sinks/encoding/ndjson.js';
import { createOcsfParquetEncoder } from '../src/sinks/encoding/parquet/parquet-encoder.js';
import { leafColumnCount } from '../src/sinks/encoding/parquet/columns.js';
import { outboundPartition, partitionPath } from '../src/sinks/object-store/partition.js';
import type { OutboundEvent, Sink } from '../src/sinks/sink.js';
import { benchFlags, flagNumber, nodeMemoryFlags, runBench, usageError } from './bench-flags.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The same heap policy as the CLI (src/heap-growth.ts): the encoder's garbage is collected as it would be
// in the shipped process, not with V8's roomier default.
const heapGrowthPercent = limitHeapGrowth();

const USAGE = `usage: npm run bench:parquet -- [--users N] [--seed S] [--ocsf-version ${OCSF_VERSIONS.join('|')}]
  [--min-cpu-ms MS]
Without flags: the seeded account of 1,000 users, OCSF 1.3.0 (what Security Lake takes).`;
const args = benchFlags(USAGE, {
  users: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '42' },
  'ocsf-version': { type: 'string', default: '1.3.0' },
  'min-cpu-ms': { type: 'string', default: '2000' },
});
const users = flagNumber('users', args.users, USAGE, { integer: true, min: 1 });
const seed = flagNumber('seed', args.seed, USAGE, { integer: true });
const minCpuMs = flagNumber('min-cpu-ms', args['min-cpu-ms'], USAGE, { min: 1 });
const version = args['ocsf-version'] as OcsfVersion;
if (!(OCSF_VERSIONS as readonly string[]).includes(version))
  usageError(`--ocsf-version takes one of ${OCSF_VERSIONS.join(', ')}, not "${version}"`, USAGE);

class KeepingSink implements Sink {
  readonly name = 'keeping';
  readonly type = 'keeping';
  readonly events: OutboundEvent[] = [];
  async send(batch: readonly OutboundEvent[]) {
    this.events.push(...batch);
    return { rejected: [] };
  }
  async check() {
    return 'in-process';
  }
  async close() {}
}

async function collect(dir: string): Promise<OutboundEvent[]> {
  const emulator = await startEmulator({
    generator: {
      seed,
      accounts: 1,
      usersPerAccount: users,
      groupsPerAccount: 100,
      identityCenter: false,
      groundTruth: false,
    },
  });
  try {
    const config = configFromObject(
      {
        aws: {
          region: 'us-east-1',
          endpoint: emulator.url,
          credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
        },
        collector: { admin_analysis: true, access_keys: true, login_profile: true, tags: true },
        ocsf: { version },
        state: { path: join(dir, 'state.db') },
        sinks: [{ type: 'stdout' }],
        log: { level: 'silent' },
      },
      { baseDir: dir },
    );
    const sink = new KeepingSink();
    const summary = await runCollection(
      config,
      { mode: 'full', logger: silentLogger(), observer: {} },
      { sinks: [sink] },
    );
    if (summary.status !== 'succeeded')
      throw new Error(`collection ${summary.status}: ${summary.errors.join('; ')}`);
    return sink.events;
  } finally {
    await emulator.stop();
  }
}

/**
 * A full GC before a measurement (npm run bench:parquet passes --expose-gc): what the collection left
 * behind is not the encoder's to pay; the encoder's own garbage still is.
 */
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** CPU milliseconds per call of `work` over at least `ms` of CPU (and `minCalls` calls). */
function cpuMsPerCallOver(work: () => unknown, ms: number, minCalls = 3): number {
  const start = process.cpuUsage();
  let calls = 0;
  while (calls < minCalls || cpuMs(start) < ms) {
    work();
    calls++;
  }
  return cpuMs(start) / calls;
}

/**
 * CPU milliseconds per call of each of `works`: the median of 5 rounds each (together at least `minCpuMs`
 * per work) after a warm-up of a fifth of that. The works' rounds alternate, so that figures to be
 * compared (encoding an object's events, and its lines) meet the same conditions: measured one after the
 * other, the first of two measurements of the same work read 5-10% lower than the second. The median
 * keeps a round that met a major GC of the collection's garbage (its helper threads count in the
 * process's CPU time) or the compiler from deciding the figure.
 */
function cpuMsPerCall(works: readonly (() => unknown)[], minCpuMs: number): number[] {
  collectGarbage();
  for (const work of works) cpuMsPerCallOver(work, minCpuMs / 5);
  const rounds = works.map((): number[] => []);
  for (let round = 0; round < 5; round++)
    works.forEach((work, k) => rounds[k]!.push(cpuMsPerCallOver(work, minCpuMs / 5)));
  return rounds.map((r) => r.sort((a, b) => a - b)[2]!);
}

/** The events of each object the sink writes for them: one per account and UTC day. */
function shippedObjects(events: readonly OutboundEvent[]): OutboundEvent[][] {
  const groups = new Map<string, OutboundEvent[]>();
  for (const event of events) {
    const partition = outboundPartition(event);
    if (typeof partition === 'string') throw new Error(`bench: ${partition}`);
    const id = partitionPath(partition);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [event]);
    else group.push(event);
  }
  return [...groups.values()];
}

const perCpuSecond = (events: number, ms: number) => Math.round((events / ms) * 1000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-inventory-bench-parquet-'));
  try {
    const events = await collect(dir);
    collectGarbage();
    const encoder = createOcsfParquetEncoder(eventRecordSchema(version), version);
    const objects = shippedObjects(events);
    const largest = objects.reduce((a, b) => (b.length > a.length ? b : a));
    const lines = largest.map((e) => e.json);
    const firstObjectMs = cpuMsPerCallOver(() => encoder.encode(largest), 0, 1);
    // V8 optimizes the scanners over the first second or so of encoding (1,000 events: 36 ms, then 23,
    // then 19 per object, measured on Node 24): a daemon spends its life after that, so the figures below
    // are taken after it, and the first object's cost is reported on its own.
    cpuMsPerCallOver(() => {
      encoder.encode(largest);
      encoder.encodeTexts(lines);
    }, minCpuMs);
    // What a flush does with a staged object: its NDJSON lines encoded as they are (no JSON.parse).
    const [parquetMs, flushMs] = cpuMsPerCall(
      [() => objects.forEach((o) => encoder.encode(o)), () => encoder.encodeTexts(lines)],
      minCpuMs,
    ) as [number, number];
    const tenfold = Array.from({ length: 10 }, () => largest).flat();
    const [parquetTenfoldMs] = cpuMsPerCall([() => encoder.encode(tenfold)], minCpuMs) as [number];
    const small = largest.slice(0, 100);
    const [parquetSmallMs] = cpuMsPerCall([() => encoder.encode(small)], minCpuMs) as [number];
    const [gzipMs] = cpuMsPerCall([() => encodeNdjson(events, 'gzip')], minCpuMs) as [number];
    const parquet = encoder.encode(events).byteLength;
    const gzip = encodeNdjson(events, 'gzip').byteLength;
    const raw = encodeNdjson(events, 'none').byteLength;
    const perIdentity = (bytes: number) => Number((bytes / events.length).toFixed(1));
    const result = {
      ocsf_version: version,
      identities: events.length,
      parquet_columns: encoder.columns.length,
      parquet_leaf_columns: leafColumnCount(encoder.columns),
      shipped_objects: objects.length,
      shipped_object_events: objects.map((o) => o.length),
      parquet_encode_events_per_cpu_second: perCpuSecond(events.length, parquetMs),
      parquet_encode_cpu_ms_per_object: Number((parquetMs / objects.length).toFixed(2)),
      parquet_encode_cpu_ms_first_object: Number(firstObjectMs.toFixed(2)),
      parquet_encode_events_per_cpu_second_100_event_object: perCpuSecond(small.length, parquetSmallMs),
      parquet_encode_cpu_ms_per_100_event_object: Number(parquetSmallMs.toFixed(2)),
      parquet_encode_events_per_cpu_second_10x_object: perCpuSecond(tenfold.length, parquetTenfoldMs),
      parquet_flush_events_per_cpu_second: perCpuSecond(lines.length, flushMs),
      ndjson_gzip_encode_events_per_cpu_second: perCpuSecond(events.length, gzipMs),
      bytes_per_identity: {
        parquet_zstd: perIdentity(parquet),
        ndjson_gzip: perIdentity(gzip),
        ndjson: perIdentity(raw),
      },
      object_bytes: { parquet_zstd: parquet, ndjson_gzip: gzip, ndjson: raw },
      heap_growth_percent: heapGrowthPercent ?? 'v8 default',
      ...nodeMemoryFlags(),
      load_average_1m: Number(loadavg()[0]?.toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runBench(main, USAGE);
