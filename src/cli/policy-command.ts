// `policy`: prints the least-privilege IAM policy for the configured features. The AWS managed policy
// IAMReadOnlyAccess (plus sts:AssumeRole on the member roles, Organizations and Identity Store reads when
// used) also suffices; this one is narrower. Object sinks add sts:AssumeRole on their role (or S3 writes when
// they write with the caller's credentials); what a sink role itself must allow goes to stderr.
import type { Command } from 'commander';
import { configOption } from './shared-options.js';

export function registerPolicyCommand(program: Command): void {
  program
    .command('policy')
    .description('print the least-privilege IAM policy (JSON) for the features the config enables')
    .addOption(configOption())
    .action(async (opts: { config: string }) => {
      const [{ loadConfig }, { leastPrivilegePolicy, sinkRolePolicies }] = await Promise.all([
        import('../config/load.js'),
        import('../permissions/index.js'),
      ]);
      const config = loadConfig(opts.config);
      process.stdout.write(`${JSON.stringify(leastPrivilegePolicy(config), null, 2)}\n`);
      // The caller's policy stays the only thing on stdout (pipeable); a sink role's own needs go beside it.
      for (const [role, policy] of sinkRolePolicies(config)) {
        process.stderr.write(`\nthe sink role ${role} must allow:\n${JSON.stringify(policy, null, 2)}\n`);
      }
    });
}
