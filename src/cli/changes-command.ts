// `changes --once`: drains the change queue once (every message received until one receive finds none),
// applies each burst, and exits: 0 when every change was applied or acknowledged, 1 when some stay on the
// queue for a retry (a failed read or delivery), 2 for usage or configuration errors. For tests and CronJobs;
// the daemon consumes the queue continuously.
import type { Command } from 'commander';
import { configOption, logFormatOption, type LogFormat } from './shared-options.js';
import { UsageError } from './errors.js';

interface ChangesOptions {
  config: string;
  once: boolean;
  logFormat?: LogFormat;
}

async function drainOnce(opts: ChangesOptions): Promise<number> {
  const [
    { openCheckpoint },
    { loadConfig },
    { ChangeConsumer },
    { createLogger },
    { createSinks },
    { flushSinks },
    { sinkContextFor },
  ] = await Promise.all([
    import('../checkpoint/index.js'),
    import('../config/load.js'),
    import('../daemon/change-consumer.js'),
    import('../log.js'),
    import('../sinks/registry.js'),
    import('../run/flush-sinks.js'),
    import('../run/sink-context.js'),
  ]);
  const config = loadConfig(opts.config);
  if (config.changes.queue_url === undefined) {
    throw new UsageError(
      `${opts.config}: changes.queue_url is not set (expected the SQS queue URL of the change feed)`,
    );
  }
  const logger = createLogger({
    level: config.log.level,
    format: opts.logFormat ?? config.log.format,
    secrets: config.secrets,
    destination: config.sinks.some((s) => s.type === 'stdout') ? process.stderr : process.stdout,
  });
  const checkpoint = openCheckpoint(config.state.path);
  const sinks = createSinks(config.sinks, sinkContextFor(config, logger));
  const consumer = new ChangeConsumer(config, { checkpoint, sinks, logger });
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await consumer.drain(controller.signal);
    logger.info({ ...summary }, 'changes drained');
    // Object sinks hold what they acknowledged in their buffer: upload it before exiting.
    const unflushed = await flushSinks(sinks, logger);
    return summary.kept > 0 || unflushed.length > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    consumer.close();
    await Promise.allSettled(sinks.map((s) => s.close()));
    checkpoint.close();
  }
}

export function registerChangesCommand(program: Command): void {
  program
    .command('changes')
    .description('apply the change feed (CloudTrail events on SQS): --once drains the queue once and exits')
    .addOption(configOption())
    .option('--once', 'drain the queue once, then exit (the daemon consumes it continuously)', false)
    .addOption(logFormatOption())
    .action(async (opts: ChangesOptions) => {
      if (!opts.once)
        throw new UsageError('changes: pass --once (the daemon consumes the queue continuously)');
      process.exitCode = await drainOnce(opts);
    });
}
