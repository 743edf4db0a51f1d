// `check`: proves the configuration works before the first run. Prints a table (or JSON) of the checks and
// exits 0 when everything is ok, 1 otherwise. Secrets never appear: results are masked with the config's.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { checksPassed, formatCheckTable, runChecks } from './check-runner.js';

export { checksPassed, formatCheckTable, runChecks, type CheckResult } from './check-runner.js';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('test credentials, AssumeRole, every IAM permission the config needs, and each sink')
    .option('-c, --config <file>', 'config file', './config.yaml')
    .option('--json', 'print the results as JSON', false)
    .action(async (opts: { config: string; json: boolean }) => {
      const config = loadConfig(opts.config);
      const results = await runChecks(config);
      process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : formatCheckTable(results));
      process.exitCode = checksPassed(results) ? 0 : 1;
    });
}
