// The long-running collector: one state file (held with its writer lock for the process lifetime), one set of
// sinks, a scheduler that never runs two collections at once, and the ops server. Stopping aborts the run in
// progress through its AbortSignal: runCollection finishes the batch in flight, commits what was
// acknowledged, and returns; only then are the sinks and the database closed.
import { openCheckpoint, type Checkpoint } from '../checkpoint/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { createProgress } from '../run/progress.js';
import { runCollection as defaultRunCollection, type RunResources } from '../run/run.js';
import type { RunOptions, RunSummary } from '../run/types.js';
import type { Shard } from '../collector/index.js';
import type { Sink } from '../sinks/sink.js';
import { createSinks } from '../sinks/registry.js';
import { flushSinks } from '../run/flush-sinks.js';
import { sinkContextFor } from '../run/sink-context.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import { parseListen, startOpsServer, type OpsServer } from './ops-server.js';
import { ReadinessTracker, type ReadinessReport } from './readiness.js';
import { ChangeConsumer, withConsumerReadiness } from './change-consumer.js';
import { createChangeMetrics } from './change-metrics.js';
import { resolveSchedule, type ResolvedSchedule } from './schedule-config.js';
import { Scheduler, type ScheduledMode } from './scheduler.js';

export type RunCollectionFn = (
  config: Config,
  options: RunOptions,
  resources?: RunResources,
) => Promise<RunSummary>;

export interface DaemonOptions {
  logger: Logger;
  /** Injected in tests; the real one by default. */
  runCollection?: RunCollectionFn;
  /** Only the accounts of this shard in every run (`--shard K/N`). */
  shard?: Shard;
}

export interface Daemon {
  /** The ops server's bound address ("127.0.0.1:9464"). */
  readonly opsAddress: string;
  readonly schedule: ResolvedSchedule;
  readonly metrics: DaemonMetrics;
  readonly readiness: ReadinessTracker;
  readonly scheduler: Scheduler;
  /**
   * Stops scheduling, aborts the run in progress and waits for it up to shutdown_grace_seconds, then closes
   * sinks, the state file and the ops server. Resolves with the exit code: 0, or 1 when the run did not
   * finish within the grace period (its uncommitted batch is then simply not committed).
   */
  stop(reason: string): Promise<number>;
}

/** The mode of the run at start-up: full on a fresh state file (it also records fingerprints), else incremental. */
export function startModeFor(checkpoint: Checkpoint): ScheduledMode {
  return checkpoint.summary().scopes.some((s) => s.lastRun?.status === 'succeeded') ? 'incremental' : 'full';
}

export async function startDaemon(config: Config, options: DaemonOptions): Promise<Daemon> {
  const { logger } = options;
  // Config problems fail here, before anything is opened (exit 2).
  const schedule = resolveSchedule(config);
  const metrics = createMetrics();
  const readiness = new ReadinessTracker(schedule.maxStalenessSeconds);

  parseListen(config.ops.listen);
  // Sinks before the state file: one that its config cannot build leaves no state file behind.
  const sinks = createSinks(config.sinks, sinkContextFor(config, logger));
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(config.state.path);
  } catch (error) {
    await Promise.allSettled(sinks.map((s) => s.close()));
    throw error;
  }
  let ops: OpsServer | undefined;
  try {
    seedReadiness(readiness, checkpoint);
    const run = scheduledRun(config, options, { checkpoint, sinks }, metrics, readiness);
    const scheduler = new Scheduler({ schedule, run, logger, startMode: () => startModeFor(checkpoint) });
    const changes = startChangeConsumer(config, { checkpoint, sinks, logger, metrics, shard: options.shard });
    ops = await startOpsServer({
      listen: config.ops.listen,
      isLive: () => scheduler.running,
      readiness: () => changes?.readiness(readiness.report()) ?? readiness.report(),
      metrics: () => metrics.text(),
      metricsContentType: metrics.contentType,
    });
    const opsServer = ops;
    logger.info(
      { ops: opsServer.address, max_staleness_seconds: schedule.maxStalenessSeconds, state: checkpoint.path },
      'daemon started',
    );
    scheduler.start();
    const stop = stopOnce(config, logger, { scheduler, changes, sinks, checkpoint, ops: opsServer });
    return { opsAddress: opsServer.address, schedule, metrics, readiness, scheduler, stop };
  } catch (error) {
    await ops?.close();
    await Promise.allSettled(sinks.map((s) => s.close()));
    checkpoint.close();
    throw error;
  }
}

interface RunningConsumer {
  readiness(report: ReadinessReport): ReadinessReport;
  stop(): Promise<void>;
}

/** The change-feed consumer beside the schedules, when changes.queue_url is set. */
function startChangeConsumer(
  config: Config,
  deps: {
    checkpoint: Checkpoint;
    sinks: Sink[];
    logger: Logger;
    metrics: DaemonMetrics;
    shard: Shard | undefined;
  },
): RunningConsumer | undefined {
  if (config.changes.queue_url === undefined) return undefined;
  const consumer = new ChangeConsumer(config, {
    checkpoint: deps.checkpoint,
    sinks: deps.sinks,
    logger: deps.logger,
    metrics: createChangeMetrics(deps.metrics.registry),
    shard: deps.shard,
  });
  const controller = new AbortController();
  const startedAt = Date.now();
  const loop = consumer.run(controller.signal).finally(() => consumer.close());
  deps.logger.info({ queue: config.changes.queue_url }, 'change consumer started');
  return {
    readiness: (report) => withConsumerReadiness(report, consumer, config.changes.wait_seconds, startedAt),
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}

/** Readiness starts from the last run of each scope recorded in the state file. */
function seedReadiness(readiness: ReadinessTracker, checkpoint: Checkpoint): void {
  readiness.seed(
    checkpoint.summary().scopes.flatMap((s) =>
      s.lastRun === null
        ? []
        : [
            {
              scope: s.scope,
              status: s.lastRun.status,
              finishedMs: s.lastRun.finishedMs,
              error: s.lastRun.error,
            },
          ],
    ),
  );
}

/** One scheduled collection: run it, feed metrics and readiness, log its summary line. */
function scheduledRun(
  config: Config,
  options: DaemonOptions,
  resources: { checkpoint: Checkpoint; sinks: Sink[] },
  metrics: DaemonMetrics,
  readiness: ReadinessTracker,
): (mode: ScheduledMode, signal: AbortSignal) => Promise<void> {
  const { logger } = options;
  const runCollection = options.runCollection ?? defaultRunCollection;
  return async (mode, signal) => {
    const summary = await runCollection(
      config,
      {
        mode,
        signal,
        logger,
        ...(options.shard !== undefined ? { shard: options.shard } : {}),
        observer: metrics.observer,
        progress: createProgress({ tty: false, logger }),
      },
      resources,
    );
    metrics.observer.onRunFinished?.(summary);
    readiness.record(summary);
    logRunSummary(logger, summary, readiness.report().ready);
  };
}

function logRunSummary(logger: Logger, summary: RunSummary, ready: boolean): void {
  const line = {
    run_id: summary.runId,
    mode: summary.mode,
    status: summary.status,
    duration_ms: summary.finishedAt - summary.startedAt,
    scopes: summary.scopes.length,
    users_seen: summary.usersSeen,
    events_sent: summary.eventsSent,
    failed_users: summary.failedUsers,
    dead_letters: summary.deadLetters,
    ready,
  };
  if (summary.status === 'failed')
    logger.error({ ...line, errors: summary.errors.slice(0, 10) }, 'daemon run summary');
  else logger.info(line, 'daemon run summary');
}

interface Running {
  scheduler: Scheduler;
  changes: RunningConsumer | undefined;
  sinks: Sink[];
  checkpoint: Checkpoint;
  ops: OpsServer;
}

/** Daemon.stop: the first call does the shutdown, later calls wait for the same one. */
function stopOnce(config: Config, logger: Logger, running: Running): (reason: string) => Promise<number> {
  let stopping: Promise<number> | undefined;
  return (reason) => {
    stopping ??= shutdown(config, logger, running, reason);
    return stopping;
  };
}

async function shutdown(config: Config, logger: Logger, running: Running, reason: string): Promise<number> {
  const { scheduler, changes, sinks, checkpoint, ops } = running;
  logger.info({ reason, grace_seconds: config.shutdown_grace_seconds }, 'daemon stopping');
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    Promise.all([scheduler.stop(), changes?.stop()]).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), config.shutdown_grace_seconds * 1000);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) {
    // The run is still writing: closing the database under it would fail its commit. Exiting leaves
    // SQLite consistent (the open transaction is rolled back) and the batch is redelivered next run.
    logger.error(
      { grace_seconds: config.shutdown_grace_seconds },
      'the run did not stop within the grace period',
    );
    await ops.close();
    return 1;
  }
  const unflushed = await flushSinks(sinks, logger);
  await Promise.allSettled(sinks.map((s) => s.close()));
  checkpoint.close();
  await ops.close();
  logger.info({ reason }, 'daemon stopped');
  return unflushed.length > 0 ? 1 : 0;
}
