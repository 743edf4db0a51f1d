// One collection run: open every scope, collect them a few at a time, deliver, commit what was
// acknowledged, and report. The run never throws for a collection problem: it reports a failed summary.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { openCheckpoint, type Checkpoint } from '../checkpoint/index.js';
import { openSources, type IdentitySource, type SourceFailure } from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { createEventPreparer, type EventPreparer } from '../ocsf/event-preparer.js';
import { createSinks } from '../sinks/registry.js';
import { sinkContextFor } from './sink-context.js';
import type { Sink } from '../sinks/sink.js';
import { AwsCallCounter, logRunFinished, logValidationErrors, summarizeRun } from './run-summary.js';
import { flushSinks } from './flush-sinks.js';
import { runScope, type ScopeRunDeps } from './scope-run.js';
import { emptyScopeSummary, type ScopeOutcome } from './scope-summary.js';
import type { RunOptions, RunSummary, ScopeSummary } from './types.js';

export interface RunResources {
  /** An open checkpoint (the daemon keeps one, with its lock, for its lifetime). */
  checkpoint?: Checkpoint;
  /** Sinks to reuse across runs (the daemon's). */
  sinks?: Sink[];
  /** The event preparer (default: from config.ocsf and config.risk); the benchmark samples identities here. */
  preparer?: EventPreparer;
}

/**
 * 0 succeeded, 1 failed, 130 stopped by a signal: what was delivered is committed and the next run picks up
 * the rest, but the run is not complete (a scheduler must not read it as a success).
 */
export function summaryExitCode(summary: RunSummary): number {
  if (summary.status === 'interrupted') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}

/** What the scopes that could not be opened, then the scopes collected, report. */
interface ScopeReports {
  scopes: ScopeSummary[];
  errors: string[];
}

function reportUnopened(failures: readonly SourceFailure[], deps: ScopeRunDeps, reports: ScopeReports): void {
  const { checkpoint, runId, options } = deps;
  for (const f of failures) {
    reports.errors.push(f.error);
    deps.logger.error({ scope: f.scope, err: f.error }, 'scope could not be opened');
    checkpoint.startRun({ id: runId, scope: f.scope, mode: options.mode });
    checkpoint.finishRun(runId, f.scope, { status: 'failed', usersSeen: 0, eventsSent: 0, error: f.error });
    reports.scopes.push({ ...emptyScopeSummary(f.scope, f.accountId), status: 'failed', error: f.error });
  }
}

function failureText(err: unknown, logger: Logger): string {
  const msg = err instanceof Error ? err.message : String(err);
  logger.error({ err: msg }, 'run failed');
  return msg;
}

/** Runs the scopes a few at a time and waits for every one, so that none still sends when the sinks close. */
async function collectScopes(
  sources: readonly IdentitySource[],
  concurrency: number,
  deps: ScopeRunDeps,
  reports: ScopeReports,
): Promise<void> {
  const limit = pLimit(concurrency);
  const settled = await Promise.allSettled(
    sources.map((source) =>
      limit(async () => (deps.options.signal?.aborted ? undefined : runScope(source, deps))),
    ),
  );
  const outcomes: ScopeOutcome[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') {
      reports.errors.push(failureText(result.reason, deps.logger));
    } else if (result.value) {
      outcomes.push(result.value);
      reports.scopes.push(result.value.summary);
      reports.errors.push(...result.value.errors);
    }
  }
  logValidationErrors(outcomes, deps.logger);
}

export async function runCollection(
  config: Config,
  options: RunOptions,
  resources: RunResources = {},
): Promise<RunSummary> {
  const runId = randomUUID();
  const startedAt = Date.now();
  const logger = options.logger.child({ run_id: runId });
  const aws = new AwsCallCounter(options.observer);
  // Sinks first: one that its config cannot build (exit 2) leaves no state file behind.
  const sinks = resources.sinks ?? createSinks(config.sinks, sinkContextFor(config, logger));
  let checkpoint: Checkpoint;
  try {
    checkpoint = resources.checkpoint ?? openCheckpoint(config.state.path);
  } catch (error) {
    if (!resources.sinks) await Promise.allSettled(sinks.map((s) => s.close()));
    throw error;
  }
  const reports: ScopeReports = { scopes: [], errors: [] };
  let closeSources = (): void => undefined;
  try {
    const preparer = resources.preparer ?? createEventPreparer(config.ocsf, config.risk);
    logger.info(
      { mode: options.mode, ocsf: config.ocsf.version, sinks: sinks.map((s) => s.name) },
      'run started',
    );
    const opened = await openSources(config, {
      logger,
      observer: aws,
      accountIds: options.accountIds,
      shard: options.shard,
    });
    closeSources = opened.close;
    const deps: ScopeRunDeps = { config, options, runId, checkpoint, sinks, preparer, logger };
    reportUnopened(opened.failures, deps, reports);
    await collectScopes(opened.sources, config.aws.accounts_concurrency, deps, reports);
  } catch (err) {
    reports.errors.push(failureText(err, logger));
  } finally {
    closeSources();
    if (!resources.sinks) {
      reports.errors.push(...(await flushSinks(sinks, logger)));
      await Promise.allSettled(sinks.map((s) => s.close()));
    }
    options.progress?.stop();
  }

  const aborted = options.signal?.aborted === true;
  const summary = summarizeRun({ runId, mode: options.mode, startedAt, ...reports, aws, aborted });
  if (!resources.checkpoint) checkpoint.close();
  logRunFinished(summary, logger);
  options.observer?.onRunFinished?.(summary);
  return summary;
}
