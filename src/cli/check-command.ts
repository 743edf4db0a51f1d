// `check`: proves the configuration works before the first run. Prints a table (or JSON) of the checks and
// exits 0 when everything is ok, 1 otherwise. Secrets never appear: results are masked with the config's.
import type { Command } from 'commander';
import { configOption } from './shared-options.js';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('test credentials, AssumeRole, every IAM permission the config needs, and each sink')
    .addOption(configOption())
    .option('--json', 'print the results as JSON', false)
    .action(async (opts: { config: string; json: boolean }) => {
      const [{ loadConfig }, { checksPassed, formatCheckTable, runChecks }] = await Promise.all([
        import('../config/load.js'),
        import('./check-runner.js'),
      ]);
      const config = loadConfig(opts.config);
      const results = await runChecks(config);
      process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : formatCheckTable(results));
      process.exitCode = checksPassed(results) ? 0 : 1;
    });
}
