// The iam-inventory command line: every command registered on one commander program.
// Exit codes: 0 success, 1 failed run or check, 2 usage/config/state error.
// A command imports what it runs inside its action: loading every command's modules up front (six SDK
// clients, the daemon, the permission probes) cost each invocation about 0.8 s of start-up on a slow core.
import { Command, CommanderError } from 'commander';
import { limitHeapGrowth } from '../heap-growth.js';
import { packageVersion } from '../package-root.js';
import { registerChangesCommand } from './changes-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerDaemonCommand } from './daemon-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerEmulatorCommand } from './emulator-command.js';
import { EXIT_USAGE, exitCodeFor } from './errors.js';
import { registerPolicyCommand } from './policy-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunCommands } from './run-command.js';
import { registerStateCommand } from './state-command.js';
import { registerValidateConfigCommand } from './validate-config-command.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('iam-inventory')
    .description(
      'Inventory AWS IAM identities and deliver them to SIEMs as OCSF 5003 User Inventory Info events',
    )
    .version(packageVersion, '-V, --version')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 a run or check that failed, 2 usage, configuration or state-file error,\n' +
        '130 stopped by SIGINT/SIGTERM (the first delivers and commits what was read, a second exits at once).',
    );
  registerRunCommands(program);
  registerDaemonCommand(program);
  registerChangesCommand(program);
  registerCheckCommand(program);
  registerStateCommand(program);
  registerReportCommand(program);
  registerPolicyCommand(program);
  registerValidateConfigCommand(program);
  registerEmulatorCommand(program);
  registerDemoCommand(program);
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    limitHeapGrowth();
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`iam-inventory: ${message}\n`);
    return exitCodeFor(err);
  }
}
