// Builds sinks from their config entries by `type`, and gives each a unique name for logs and metrics.
import { dryRunSink } from './dry-run.js';
import { createElasticsearchSink } from './elasticsearch.js';
import { createFileSink } from './file.js';
import { createHttpSink } from './http.js';
import { createSekoiaSink } from './sekoia.js';
import type { Sink, SinkConfigBase, SinkContext } from './sink.js';
import { createSplunkHecSink } from './splunk-hec.js';
import { createStdoutSink } from './stdout.js';
import { createSyslogSink } from './syslog.js';

type NamedSinkFactory = (config: SinkConfigBase, ctx: SinkContext, name: string) => Sink;

const FACTORIES: Record<string, NamedSinkFactory> = {
  stdout: createStdoutSink,
  file: createFileSink,
  http: createHttpSink,
  splunk_hec: createSplunkHecSink,
  sekoia: createSekoiaSink,
  elasticsearch: createElasticsearchSink,
  syslog: createSyslogSink,
};

export const SINK_TYPES: readonly string[] = Object.keys(FACTORIES);

/** Builds one sink; its name is `config.name`, else its type. Throws on an unknown type or a bad key. */
export function createSink(
  config: SinkConfigBase,
  ctx: SinkContext,
  name = config.name ?? config.type,
): Sink {
  const factory = Object.hasOwn(FACTORIES, config.type) ? FACTORIES[config.type] : undefined;
  if (factory === undefined) {
    throw new Error(
      `sink ${name}: unknown type "${String(config.type)}" (expected one of ${SINK_TYPES.join(', ')})`,
    );
  }
  if (config.dry_run !== undefined && typeof config.dry_run !== 'boolean') {
    throw new Error(`sink ${name}: dry_run must be true or false`);
  }
  const sink = factory(config, ctx, name);
  return config.dry_run === true ? dryRunSink(sink, ctx) : sink;
}

/**
 * Unique names: the configured `name`, else the type, else type-2, type-3 ... when the type repeats.
 * Two sinks configured with the same name are a config error.
 */
export function assignSinkNames(configs: readonly SinkConfigBase[]): string[] {
  const taken = new Set<string>();
  for (const c of configs) {
    if (c.name === undefined) continue;
    if (taken.has(c.name)) throw new Error(`sinks: the name "${c.name}" is used by more than one sink`);
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
export function createSinks(configs: readonly SinkConfigBase[], ctx: SinkContext): Sink[] {
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
