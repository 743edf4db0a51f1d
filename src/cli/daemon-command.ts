// `daemon`: runs the collector on its cron schedules until SIGTERM/SIGINT. The first signal stops gracefully
// (the batch in flight finishes and commits, within shutdown_grace_seconds); a second one exits at once, 130.
import type { Command } from 'commander';
import { configOption, logFormatOption, shardOption, type LogFormat } from './shared-options.js';
import type { RunCollectionFn } from '../daemon/daemon.js';
import type { Shard } from '../collector/index.js';

export interface DaemonCommandDeps {
  /** Replaces the real runCollection (tests). */
  runCollection?: RunCollectionFn;
}

export function registerDaemonCommand(program: Command, deps: DaemonCommandDeps = {}): void {
  program
    .command('daemon')
    .description(
      'collect on the configured cron schedules, with /healthz, /readyz and /metrics on ops.listen',
    )
    .addOption(configOption())
    .addOption(shardOption())
    .addOption(logFormatOption())
    .action(async (opts: { config: string; logFormat?: LogFormat; shard?: Shard }) => {
      const [{ loadConfig }, { startDaemon }, { createLogger }] = await Promise.all([
        import('../config/load.js'),
        import('../daemon/daemon.js'),
        import('../log.js'),
      ]);
      const config = loadConfig(opts.config);
      const logger = createLogger({
        level: config.log.level,
        format: opts.logFormat ?? config.log.format,
        secrets: config.secrets,
      });
      const daemon = await startDaemon(config, {
        logger,
        ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
        ...(deps.runCollection !== undefined ? { runCollection: deps.runCollection } : {}),
      });
      const code = await new Promise<number>((resolve) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals): void => {
          signals++;
          if (signals > 1) {
            logger.warn({ signal }, 'second signal: exiting at once');
            process.exit(130);
          }
          logger.info(
            { signal },
            'signal received: stopping after the batch in flight (send again to exit at once)',
          );
          void daemon.stop(signal).then(resolve);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      process.exitCode = code;
    });
}
