// `policy`: prints the least-privilege IAM policy for the configured features. The AWS managed policy
// IAMReadOnlyAccess (plus sts:AssumeRole on the member roles, Organizations and Identity Store reads when
// used) also suffices; this one is narrower.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { leastPrivilegePolicy } from '../permissions/index.js';

export function registerPolicyCommand(program: Command): void {
  program
    .command('policy')
    .description('print the least-privilege IAM policy (JSON) for the features the config enables')
    .option('-c, --config <file>', 'config file', './config.yaml')
    .action((opts: { config: string }) => {
      const config = loadConfig(opts.config);
      process.stdout.write(`${JSON.stringify(leastPrivilegePolicy(config), null, 2)}\n`);
    });
}
