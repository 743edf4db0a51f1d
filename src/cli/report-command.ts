// `iam-inventory report`: the security posture from the state file alone (the last delivered event of every
// identity; no AWS call, no sink), as one self-contained HTML page, Markdown or JSON.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { configOption } from './shared-options.js';
import { StateError } from '../checkpoint/errors.js';
import type { Config } from '../config/config.js';
import {
  computePosture,
  renderPosture,
  REPORT_FORMATS,
  type Posture,
  type ReportFormat,
} from '../report/index.js';
import { UsageError } from './errors.js';

/** The posture of the state file `config.state.path` at `now`; exit 2 when there is nothing to report on. */
export async function postureFromState(config: Config, now: number = Date.now()): Promise<Posture> {
  const path = config.state.path;
  if (!existsSync(path)) {
    throw new StateError(
      `state file ${path} does not exist: run a collection (iam-inventory run) first`,
      path,
    );
  }
  const { openCheckpoint } = await import('../checkpoint/checkpoint.js');
  const checkpoint = openCheckpoint(path, { readonly: true });
  try {
    const events = [...checkpoint.lastEvents()].map((stored) => stored.event);
    if (events.length === 0) {
      throw new StateError(`state file ${path} has no delivered events: nothing to report on yet`, path);
    }
    return computePosture(events, { now, stateFile: path, rotationDays: config.risk.rotation_days });
  } finally {
    checkpoint.close();
  }
}

/** Written beside the target and renamed over it: a reader never sees half a report. */
export function writeReport(path: string, text: string): string {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, target);
  return target;
}

function parseFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${value}"`);
  }
  return value as ReportFormat;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('the security posture from the state file (no AWS call): admins, MFA, key age, risk')
    .addOption(configOption())
    .option('--format <format>', `${REPORT_FORMATS.join(' | ')}`, parseFormat, 'html' as ReportFormat)
    .option('--out <path>', 'file to write (default: standard output)')
    .action(async (opts: { config: string; format: ReportFormat; out?: string }) => {
      const { loadConfig } = await import('../config/load.js');
      const text = renderPosture(await postureFromState(loadConfig(opts.config)), opts.format);
      if (opts.out === undefined) process.stdout.write(text);
      else process.stderr.write(`report written to ${writeReport(opts.out, text)}\n`);
    });
}
