// `iam-inventory validate-config`: load the config exactly as a run would, and say what is wrong with it.
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { configOption } from './shared-options.js';
import { ConfigError } from '../config/errors.js';

export function registerValidateConfigCommand(program: Command): void {
  program
    .command('validate-config')
    .description('check a config file against the schema (exit 0 when valid, 2 when not)')
    .addOption(configOption())
    .action(async (options: { config: string }) => {
      const { loadConfig } = await import('../config/load.js');
      try {
        const config = loadConfig(options.config);
        // What the daemon checks before it opens anything: the schedules, their time zone, ops.listen.
        const { resolveSchedule } = await import('../daemon/schedule-config.js');
        const { parseListen } = await import('../daemon/ops-server.js');
        resolveSchedule(config);
        parseListen(config.ops.listen);
        await buildSinks(config);
        for (const warning of config.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
        process.stdout.write(`config OK: ${options.config}\n`);
        process.exitCode = 0;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = err.exitCode;
      }
    });
}

/**
 * What run and daemon check when they build the sinks: a plain-HTTP URL to a remote host, an unreadable
 * ca_file, ... Building one connects to nothing and writes nothing (an object sink's disk buffer opens on
 * its first use), so a running daemon's state folder is left as it is.
 */
async function buildSinks(config: Config): Promise<void> {
  const { createSinks } = await import('../sinks/registry.js');
  const { sinkContextFor } = await import('../run/sink-context.js');
  const { silentLogger } = await import('../log.js');
  const sinks = createSinks(config.sinks, sinkContextFor(config, silentLogger()));
  await Promise.allSettled(sinks.map((s) => s.close()));
}
