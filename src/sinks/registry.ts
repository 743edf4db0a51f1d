// Builds sinks from their config entries by `type`, and gives each a unique name for logs and metrics.
import {
  sinkConfigFrom,
  type SinkConfig,
  type SinkConfigInput,
  type SinkConfigOf,
  type SinkType,
} from '../config/index.js';
import { ConfigError } from '../config/errors.js';
import { dryRunSink } from './dry-run.js';
import { createElasticsearchSink } from './elasticsearch.js';
import { createFileSink } from './file.js';
import { createHttpSink } from './http.js';
import { createS3Sink } from './s3.js';
import { createSecurityLakeSink } from './security-lake.js';
import { createSekoiaSink } from './sekoia.js';
import type { Sink, SinkContext, SinkFactory } from './sink.js';
import { createSplunkHecSink } from './splunk-hec.js';
import { createStdoutSink } from './stdout.js';
import { createSyslogSink } from './syslog.js';

/** One factory per sink type the config schema knows (the compiler insists on every one). */
const FACTORIES: { [T in SinkType]: SinkFactory<SinkConfigOf<T>> } = {
  stdout: createStdoutSink,
  file: createFileSink,
  http: createHttpSink,
  splunk_hec: createSplunkHecSink,
  sekoia: createSekoiaSink,
  elasticsearch: createElasticsearchSink,
  syslog: createSyslogSink,
  security_lake: createSecurityLakeSink,
  s3: createS3Sink,
};

export const SINK_TYPES = Object.keys(FACTORIES) as readonly SinkType[];

function isSinkType(type: string): type is SinkType {
  return Object.hasOwn(FACTORIES, type);
}

/**
 * Builds one sink; its name is `config.name`, else its type. Throws on an unknown type or a bad key. Entries
 * written in code are checked (and given their defaults) like those of a config file.
 */
export function createSink(input: SinkConfigInput, ctx: SinkContext, name = input.name ?? input.type): Sink {
  if (!isSinkType(input.type)) {
    throw new ConfigError(
      `sink ${name}: unknown type "${String(input.type)}" (expected one of ${SINK_TYPES.join(', ')})`,
    );
  }
  const config = sinkConfigFrom(input, name);
  const factory = FACTORIES[config.type] as SinkFactory<SinkConfig>;
  const sink = factory(config, ctx, name);
  return config.dry_run ? dryRunSink(sink, ctx) : sink;
}

/**
 * Unique names: the configured `name`, else the type, else type-2, type-3 ... when the type repeats.
 * Two sinks configured with the same name are a config error.
 */
export function assignSinkNames(configs: readonly SinkConfigInput[]): string[] {
  const taken = new Set<string>();
  for (const c of configs) {
    if (c.name === undefined) continue;
    if (taken.has(c.name)) throw new ConfigError(`sinks: the name "${c.name}" is used by more than one sink`);
    taken.add(c.name);
  }
  return configs.map((c) => {
    if (c.name !== undefined) return c.name;
    let candidate = c.type;
    for (let n = 2; taken.has(candidate); n++) candidate = `${c.type}-${n}`;
    taken.add(candidate);
    return candidate;
  });
}

/** Builds every configured sink; on a failure, closes the ones already built before rethrowing. */
export function createSinks(configs: readonly SinkConfigInput[], ctx: SinkContext): Sink[] {
  const names = assignSinkNames(configs);
  const sinks: Sink[] = [];
  try {
    configs.forEach((config, i) => sinks.push(createSink(config, ctx, names[i] as string)));
  } catch (err) {
    for (const s of sinks) void s.close().catch(() => undefined);
    throw err;
  }
  return sinks;
}
