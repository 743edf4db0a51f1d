// The checks of `check`: the AWS side (credentials, AssumeRole, every permission the configured features
// need: src/permissions) and every sink's reachability, with secrets masked in every result.
import type { Config } from '../config/config.js';
import { maskSecrets, silentLogger, type Logger } from '../log.js';
import { checkPermissions, type CheckResult } from '../permissions/index.js';
import { createSinks } from '../sinks/registry.js';
import { sinkContextFor } from '../run/sink-context.js';
import type { Sink } from '../sinks/sink.js';

export type { CheckResult } from '../permissions/index.js';

export interface CheckOptions {
  logger?: Logger;
}

/** Runs every check the configuration calls for. Never throws for a failed check: it is a result. */
export async function runChecks(config: Config, options: CheckOptions = {}): Promise<CheckResult[]> {
  const logger = options.logger ?? silentLogger();
  const results = [...(await checkPermissions(config, logger)), ...(await checkSinks(config, logger))];
  return results.map((r) => maskResult(r, config.secrets));
}

async function checkSinks(config: Config, logger: Logger): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let sinks: Sink[];
  try {
    sinks = createSinks(config.sinks, sinkContextFor(config, logger));
  } catch (error) {
    return [{ check: 'sink', target: 'sinks', status: 'failed', detail: (error as Error).message }];
  }
  for (const sink of sinks) {
    try {
      results.push({
        check: `sink ${sink.type}`,
        target: sink.name,
        status: 'ok',
        detail: await sink.check(),
      });
    } catch (error) {
      results.push({
        check: `sink ${sink.type}`,
        target: sink.name,
        status: 'failed',
        detail: (error as Error).message,
      });
    }
  }
  await Promise.allSettled(sinks.map((s) => s.close()));
  return results;
}

function maskResult(r: CheckResult, secrets: readonly string[]): CheckResult {
  return r.detail === undefined ? r : { ...r, detail: maskSecrets(r.detail, secrets) };
}

export function checksPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status !== 'failed');
}

function resultText(r: CheckResult): string {
  if (r.status === 'ok') return r.detail !== undefined ? `ok (${r.detail})` : 'ok';
  if (r.status === 'skipped') return `skipped: ${r.detail ?? ''}`;
  const parts = [`FAILED ${r.errorCode ?? ''}`.trimEnd()];
  if (r.missingPermission !== undefined) parts.push(`missing permission ${r.missingPermission}`);
  else if (r.detail !== undefined) parts.push(firstLine(r.detail));
  return parts.join(': ');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** The results as an aligned text table. */
export function formatCheckTable(results: readonly CheckResult[]): string {
  const rows = [['CHECK', 'TARGET', 'RESULT'], ...results.map((r) => [r.check, r.target, resultText(r)])];
  const w0 = Math.max(...rows.map((r) => (r[0] as string).length));
  const w1 = Math.max(...rows.map((r) => (r[1] as string).length));
  const lines = rows.map(
    (r) => `${(r[0] as string).padEnd(w0)}  ${(r[1] as string).padEnd(w1)}  ${r[2] as string}`,
  );
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push(
    '',
    failed === 0 ? `all ${results.length} checks ok` : `${failed} of ${results.length} checks FAILED`,
  );
  return `${lines.join('\n')}\n`;
}
