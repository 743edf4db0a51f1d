// `npm start`: the whole product on a laptop without an AWS account. An in-process emulator with a seeded
// sample account (or, with --endpoint, a running `iam-inventory emulator`, as in docker-compose.yml), one
// incremental run into ./out/events.ndjson with state in ./data/state.db, and the posture from that state
// (a few lines, and ./out/report.html).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEmulator } from '../emulator/index.js';
import type { RunSummary } from '../run/types.js';
import { StateError } from '../checkpoint/errors.js';
import type { Config } from '../config/config.js';
import { renderPosture, renderPostureSummary, type Posture } from '../report/index.js';
import { UsageError } from './errors.js';
import { postureFromState, writeReport } from './report-command.js';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${name}: expected a positive integer, got "${value}"`);
    return n;
  };
}

export function emulatorUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--endpoint: expected an http(s) URL such as http://emulator:4566, got "${value}"`);
  }
  return value;
}

/** The emulator the demo collects from: its own, in this process, unless --endpoint names a running one. */
async function demoEmulator(opts: DemoOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  if (opts.endpoint !== undefined) return { url: opts.endpoint, stop: async () => undefined };
  return startEmulator({
    generator: {
      seed: opts.seed,
      accounts: 1,
      usersPerAccount: opts.users,
      groupsPerAccount: Math.max(5, Math.round(opts.users / 10)),
      organization: false,
      identityCenter: false,
    },
  });
}

interface DemoOptions {
  users: number;
  seed: number;
  state: string;
  out: string;
  report: string;
  endpoint?: string;
}

export function formatDemoSummary(summary: RunSummary, paths: { state: string; events: string }): string {
  const lines: string[] = [];
  const seconds = ((summary.finishedAt - summary.startedAt) / 1000).toFixed(2);
  lines.push(`iam-inventory demo: ${summary.status}`);
  lines.push(`  users seen:      ${summary.usersSeen}`);
  lines.push(
    summary.eventsSent === 0
      ? '  events written:  0 new events (every user was already delivered; the checkpoint is up to date)'
      : `  events written:  ${summary.eventsSent}`,
  );
  if (summary.failedUsers > 0) lines.push(`  failed users:    ${summary.failedUsers}`);
  if (summary.deadLetters > 0) lines.push(`  dead letters:    ${summary.deadLetters}`);
  const calls = Object.entries(summary.awsCalls).sort((a, b) => b[1] - a[1]);
  const total = calls.reduce((n, [, c]) => n + c, 0);
  lines.push(`  AWS API calls:   ${total}`);
  for (const [action, count] of calls) lines.push(`    ${action.padEnd(36)} ${count}`);
  lines.push(`  duration:        ${seconds} s`);
  lines.push(`  events file:     ${paths.events}`);
  lines.push(`  state file:      ${paths.state}`);
  for (const e of summary.errors.slice(0, 10)) lines.push(`  error: ${e}`);
  return lines.join('\n') + '\n';
}

/** The posture in a few lines and the HTML report; a run that delivered nothing leaves no report. */
async function postureLines(config: Config, reportPath: string): Promise<string> {
  let posture: Posture;
  try {
    posture = await postureFromState(config);
  } catch (err) {
    if (err instanceof StateError) return `  report:          not written: ${err.message}\n`;
    throw err;
  }
  const path = writeReport(reportPath, renderPosture(posture, 'html'));
  return `${renderPostureSummary(posture)}  report:                      ${path}\n`;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run one incremental collection against a built-in AWS emulator (no AWS account needed)')
    .option('--users <n>', 'users in the sample account', positiveInt('--users'), 300)
    .option('--seed <n>', 'dataset seed', positiveInt('--seed'), 7)
    .option('--state <path>', 'state file', './data/state.db')
    .option('--out <path>', 'events file (NDJSON)', './out/events.ndjson')
    .option('--report <path>', 'posture report (HTML)', './out/report.html')
    .option(
      '--endpoint <url>',
      'collect from a running `iam-inventory emulator` instead (its own --users and --seed apply)',
      emulatorUrl,
    )
    .action(async (opts: DemoOptions) => {
      const [{ configFromObject }, { createLogger }, { runCollection, summaryExitCode }] = await Promise.all([
        import('../config/load.js'),
        import('../log.js'),
        import('../run/run.js'),
      ]);
      const emulator = await demoEmulator(opts);
      try {
        const config = configFromObject(
          {
            aws: {
              region: 'us-east-1',
              endpoint: emulator.url,
              credentials: {
                access_key_id: DEFAULT_ACCESS_KEY_ID,
                secret_access_key: DEFAULT_SECRET_ACCESS_KEY,
              },
            },
            state: { path: opts.state },
            sinks: [{ type: 'file', path: opts.out }],
            log: { level: 'warn' },
          },
          { baseDir: process.cwd() },
        );
        const logger = createLogger({
          level: 'warn',
          format: 'json',
          secrets: config.secrets,
          destination: process.stderr,
        });
        process.stdout.write(
          opts.endpoint === undefined
            ? `emulator: ${emulator.url} (seeded sample account, ${opts.users} users)\n`
            : `emulator: ${emulator.url}\n`,
        );
        const summary = await runCollection(config, { mode: 'incremental', logger });
        process.stdout.write(
          formatDemoSummary(summary, { state: resolve(opts.state), events: resolve(opts.out) }),
        );
        process.exitCode = summaryExitCode(summary);
        process.stdout.write(await postureLines(config, opts.report));
      } finally {
        await emulator.stop();
      }
    });
}
