// `iam-inventory state show | reset`: look at and clear the local state without touching AWS or the sinks.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { configOption } from './shared-options.js';
import type { StateSummary } from '../checkpoint/types.js';
import type { Config } from '../config/config.js';
import { UsageError } from './errors.js';

function time(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString();
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatSummary(summary: StateSummary): string {
  const lines = [`state file ${summary.path} (schema v${summary.schemaVersion})`];
  if (summary.scopes.length === 0) return `${lines[0]}\nno state yet: nothing was delivered\n`;
  const rows = [
    [
      'ACCOUNT',
      'WATERMARK',
      'AT_WM',
      'KNOWN',
      'DELETED',
      'LAST_RUN',
      'STATUS',
      'STARTED',
      'FINISHED',
      'DEAD',
    ],
  ];
  for (const s of summary.scopes) {
    rows.push([
      s.scope,
      s.watermark?.iso ?? '-',
      String(s.watermark?.keysAtWatermark ?? 0),
      String(s.identitiesKnown),
      String(s.identitiesDeleted),
      s.lastRun?.mode ?? '-',
      s.lastRun?.status ?? '-',
      time(s.lastRun?.startedMs),
      time(s.lastRun?.finishedMs),
      String(s.deadLetters),
    ]);
  }
  lines.push(table(rows));
  for (const s of summary.scopes) {
    if (s.lastRun?.error) lines.push(`${s.scope}: last run error: ${s.lastRun.error}`);
  }
  return `${lines.join('\n')}\n`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** The config and the state file, loaded when a subcommand runs. */
async function openState(configPath: string): Promise<{
  config: Config;
  openCheckpoint: typeof import('../checkpoint/checkpoint.js').openCheckpoint;
}> {
  const [{ loadConfig }, { openCheckpoint }] = await Promise.all([
    import('../config/load.js'),
    import('../checkpoint/checkpoint.js'),
  ]);
  return { config: loadConfig(configPath), openCheckpoint };
}

export function registerStateCommand(program: Command): void {
  const state = program
    .command('state')
    .description('show or reset the local state (watermarks, fingerprints, runs)');

  state
    .command('show')
    .description('per account: watermark, identities known, last run and its status, dead letters')
    .addOption(configOption())
    .option('--json', 'print JSON')
    .action(async (options: { config: string; json?: boolean }) => {
      const { config, openCheckpoint } = await openState(options.config);
      const path = config.state.path;
      if (!existsSync(path)) {
        const empty: StateSummary = { path, schemaVersion: 0, scopes: [], deadLetters: 0 };
        process.stdout.write(
          options.json === true ? `${JSON.stringify(empty, null, 2)}\n` : formatSummary(empty),
        );
        return;
      }
      const checkpoint = openCheckpoint(path, { readonly: true });
      try {
        const summary = checkpoint.summary();
        process.stdout.write(
          options.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary),
        );
      } finally {
        checkpoint.close();
      }
    });

  state
    .command('reset')
    .description('forget the state of one account (or of all): the next run delivers everything again')
    .addOption(configOption())
    .option('--account <id>', 'only this account (default: every account)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (options: { config: string; account?: string; yes?: boolean }) => {
      const { config, openCheckpoint } = await openState(options.config);
      const what = options.account === undefined ? 'every account' : `account ${options.account}`;
      if (options.yes !== true) {
        if (process.stdin.isTTY !== true) {
          throw new UsageError('state reset: no terminal to confirm on; pass --yes to reset without asking');
        }
        if (!(await confirm(`Reset state for ${what} in ${config.state.path}? [y/N] `))) {
          process.stdout.write('nothing reset\n');
          return;
        }
      }
      const checkpoint = openCheckpoint(config.state.path);
      try {
        const r = checkpoint.reset(options.account);
        process.stdout.write(
          `reset ${what}: ${r.identities} identities, ${r.watermarks} watermarks, ${r.runs} runs, ${r.deadLetters} dead letters removed\n`,
        );
      } finally {
        checkpoint.close();
      }
    });
}
