// `iam-inventory emulator`: the AWS endpoint emulator as a standalone server, so the AWS CLI, an SDK or the
// collector can be pointed at a seeded estate without an AWS account.
import { isIP } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEmulator } from '../emulator/index.js';

interface EmulatorCommandOptions {
  host: string;
  port: number;
  accounts: number;
  users: number;
  groups: number;
  seed: number;
  throttleRps: number;
  throttleBurst?: number;
  errorRate: number;
  latencyMs: number;
  malformedRate: number;
  throttleErrorRate: number;
  resetRate: number;
  faultActions?: string[];
  icUsers: number;
  icGroups: number;
  icPermissionSets: number;
}

function integer(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${option} must be an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

/** An address to bind: an IP literal or localhost (a name could resolve to several, or to none). */
export function listenAddress(value: string): string {
  const host = value.trim();
  if (host !== 'localhost' && isIP(host) === 0) {
    throw new InvalidArgumentError(
      `--host must be an IP address such as 127.0.0.1, 0.0.0.0 (every interface) or ::, got "${value}".`,
    );
  }
  return host;
}

function nonNegative(option: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(`${option} must be a number >= 0.`);
    }
    return n;
  };
}

function probability(option: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new InvalidArgumentError(`${option} must be a probability from 0 to 1.`);
    }
    return n;
  };
}

const HELP_AFTER = `
Credentials (SigV4 is verified; any region works):
  access key id      ${DEFAULT_ACCESS_KEY_ID}
  secret access key  ${DEFAULT_SECRET_ACCESS_KEY}

Point the AWS CLI at it:
  export AWS_ACCESS_KEY_ID=${DEFAULT_ACCESS_KEY_ID}
  export AWS_SECRET_ACCESS_KEY=${DEFAULT_SECRET_ACCESS_KEY}
  aws --endpoint-url http://127.0.0.1:PORT --region us-east-1 iam list-users
  aws --endpoint-url http://127.0.0.1:PORT --region us-east-1 sts get-caller-identity

Point an AWS SDK v3 client at it:
  new IAMClient({ endpoint: 'http://127.0.0.1:PORT', region: 'us-east-1',
                  credentials: { accessKeyId: '${DEFAULT_ACCESS_KEY_ID}', secretAccessKey: '...' } })

The first line printed is "listening on http://HOST:PORT". Admin API (unsigned): GET /_emulator/stats,
POST /_emulator/stats/reset, POST|GET|DELETE /_emulator/faults. Stops on SIGINT or SIGTERM.
--host 0.0.0.0 lets other containers reach it (docker run --network NAME); the admin API is then open to
everyone who can reach that address, so keep it on private networks.`;

const actionList = (value: string): string[] =>
  value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');

/** The faults that do not follow the load: other tools' share of the rate, resets, and where they apply. */
function addLoadIndependentFaults(command: Command): Command {
  return command
    .option(
      '--throttle-error-rate <p>',
      'probability of a Throttling answer per call whatever the load (other tools sharing the rate)',
      probability('--throttle-error-rate'),
      0,
    )
    .option('--reset-rate <p>', 'probability of a reset connection per call', probability('--reset-rate'), 0)
    .option(
      '--fault-actions <list>',
      'comma-separated actions the random rates apply to (e.g. ListMFADevices,iam:GetUser); default all',
      actionList,
    );
}

export function registerEmulatorCommand(program: Command): void {
  const command = program
    .command('emulator')
    .description('run the AWS endpoint emulator (IAM, STS, Organizations, Identity Store) with seeded data')
    .option('--host <addr>', 'address to listen on (0.0.0.0 = every interface)', listenAddress, '127.0.0.1')
    .option('--port <n>', 'TCP port (0 = any free port)', integer('--port', 0, 65535), 0)
    .option('--accounts <n>', 'AWS accounts to generate', integer('--accounts', 1, 1000), 1)
    .option('--users <n>', 'IAM users per account', integer('--users', 0, 100000), 100)
    .option('--groups <n>', 'IAM groups per account', integer('--groups', 0, 10000), 10)
    .option('--seed <n>', 'dataset and fault seed', integer('--seed', 0, 2 ** 31 - 1), 1)
    .option('--ic-users <n>', 'Identity Center users', integer('--ic-users', 0, 100000), 20)
    .option('--ic-groups <n>', 'Identity Center groups', integer('--ic-groups', 0, 10000), 4)
    .option(
      '--ic-permission-sets <n>',
      'Identity Center permission sets (assigned across the accounts)',
      integer('--ic-permission-sets', 0, 1000),
      12,
    )
    .option(
      '--throttle-rps <r>',
      'per-account request rate before Throttling (0 = unlimited)',
      nonNegative('--throttle-rps'),
      0,
    )
    .option('--throttle-burst <b>', 'per-account burst (default: the rate)', nonNegative('--throttle-burst'))
    .option('--error-rate <p>', 'probability of a random 500/503 per call', probability('--error-rate'), 0)
    .option('--latency-ms <l>', 'latency added to every call', nonNegative('--latency-ms'), 0)
    .option(
      '--malformed-rate <p>',
      'probability of an unparseable response per call',
      probability('--malformed-rate'),
      0,
    );
  addLoadIndependentFaults(command)
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: EmulatorCommandOptions) => {
      const emulator = await startEmulator({
        host: opts.host,
        port: opts.port,
        generator: {
          seed: opts.seed,
          accounts: opts.accounts,
          usersPerAccount: opts.users,
          groupsPerAccount: opts.groups,
          identityCenter: {
            users: opts.icUsers,
            groups: opts.icGroups,
            permissionSets: opts.icPermissionSets,
          },
        },
        throttleRps: opts.throttleRps,
        throttleBurst: opts.throttleBurst,
        errorRate: opts.errorRate,
        latencyMs: opts.latencyMs,
        malformedRate: opts.malformedRate,
        throttleErrorRate: opts.throttleErrorRate,
        resetRate: opts.resetRate,
        ...(opts.faultActions !== undefined ? { faultActions: opts.faultActions } : {}),
        seed: opts.seed,
      });
      process.stdout.write(`listening on ${emulator.url}\n`);
      const accounts = [...emulator.world.accounts.keys()];
      process.stdout.write(
        `accounts: ${accounts.join(', ')} (default key acts in ${emulator.world.defaultAccountId}); ` +
          `access key id ${DEFAULT_ACCESS_KEY_ID}; see --help for the secret and CLI/SDK setup\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.stop();
      process.exitCode = 0;
    });
}
