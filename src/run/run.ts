// One collection run: open every scope, collect them a few at a time, deliver, commit what was
// acknowledged, and report. The run never throws for a collection problem: it reports a failed summary.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { openCheckpoint, type Checkpoint } from '../checkpoint/index.js';
import { openSources, type AwsCallObserver } from '../collector/index.js';
import type { Config } from '../config/config.js';
import { createSinks } from '../sinks/registry.js';
import type { Sink } from '../sinks/sink.js';
import { createEventPipeline } from './ocsf-pipeline.js';
import { emptyScopeSummary, runScope } from './scope-run.js';
import type { RunOptions, RunSummary, ScopeSummary } from './types.js';

export interface RunResources {
  /** An open checkpoint (the daemon keeps one, with its lock, for its lifetime). */
  checkpoint?: Checkpoint;
  /** Sinks to reuse across runs (the daemon's). */
  sinks?: Sink[];
}

export function summaryExitCode(summary: RunSummary): number {
  return summary.status === 'succeeded' ? 0 : 1;
}

export async function runCollection(
  config: Config,
  options: RunOptions,
  resources: RunResources = {},
): Promise<RunSummary> {
  const runId = randomUUID();
  // Every in-flight AWS call listens on the run's signal: far more than the default 10 listeners.
  if (options.signal) setMaxListeners(0, options.signal);
  const startedAt = Date.now();
  const logger = options.logger.child({ run_id: runId });
  const awsCalls: Record<string, number> = {};
  let throttledCalls = 0;
  const awsObserver: AwsCallObserver = {
    onCall(accountId, service, action) {
      const k = `${service}:${action}`;
      awsCalls[k] = (awsCalls[k] ?? 0) + 1;
      options.observer?.onAwsCall?.(accountId, service, action);
    },
    onThrottled(accountId, service, action) {
      throttledCalls++;
      options.observer?.onAwsThrottled?.(accountId, service, action);
    },
  };

  const checkpoint = resources.checkpoint ?? openCheckpoint(config.state.path);
  const sinks = resources.sinks ?? createSinks(config.sinks, { logger, baseDir: config.baseDir });
  const errors: string[] = [];
  const scopes: ScopeSummary[] = [];
  let handles: { iam: { destroy(): void } }[] = [];
  try {
    const pipeline = createEventPipeline(config);
    logger.info(
      { mode: options.mode, ocsf: config.ocsf.version, sinks: sinks.map((s) => s.name) },
      'run started',
    );
    const opened = await openSources(config, {
      logger,
      observer: awsObserver,
      accountIds: options.accountIds,
    });
    const { sources, failures } = opened;
    handles = opened.handles;
    for (const f of failures) {
      errors.push(f.error);
      logger.error({ scope: f.scope, err: f.error }, 'scope could not be opened');
      checkpoint.startRun({ id: runId, scope: f.scope, mode: options.mode });
      checkpoint.finishRun(runId, f.scope, { status: 'failed', usersSeen: 0, eventsSent: 0, error: f.error });
      scopes.push({ ...emptyScopeSummary(f.scope, f.accountId), status: 'failed', error: f.error });
    }
    const limit = pLimit(config.aws.accounts_concurrency);
    const loggedErrors = new Set<string>();
    const results = await Promise.all(
      sources.map((source) =>
        limit(async () => {
          if (options.signal?.aborted) return undefined;
          return runScope(source, {
            config,
            options,
            runId,
            checkpoint,
            sinks,
            pipeline,
            logger,
            loggedErrors,
            errors,
          });
        }),
      ),
    );
    for (const r of results) if (r) scopes.push(r);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    errors.push(msg);
    logger.error({ err: msg }, 'run failed');
  } finally {
    for (const h of handles) h.iam.destroy();
    if (!resources.sinks) await Promise.allSettled(sinks.map((s) => s.close()));
    options.progress?.stop();
  }

  const interrupted = options.signal?.aborted === true || scopes.some((s) => s.status === 'interrupted');
  const failed = errors.length > 0 || scopes.some((s) => s.status === 'failed');
  const summary: RunSummary = {
    runId,
    mode: options.mode,
    status: failed ? 'failed' : interrupted ? 'interrupted' : 'succeeded',
    startedAt,
    finishedAt: Date.now(),
    scopes,
    usersSeen: scopes.reduce((n, s) => n + s.usersSeen, 0),
    eventsSent: scopes.reduce((n, s) => n + s.eventsSent, 0),
    failedUsers: scopes.reduce((n, s) => n + s.failedUsers, 0),
    deadLetters: scopes.reduce((n, s) => n + s.deadLetters, 0),
    awsCalls,
    throttledCalls,
    errors,
  };
  if (!resources.checkpoint) checkpoint.close();
  logger.info(
    {
      status: summary.status,
      mode: summary.mode,
      scopes: scopes.length,
      users_seen: summary.usersSeen,
      events_sent: summary.eventsSent,
      failed_users: summary.failedUsers,
      dead_letters: summary.deadLetters,
      aws_calls: Object.values(awsCalls).reduce((a, b) => a + b, 0),
      throttled_calls: throttledCalls,
      duration_ms: summary.finishedAt - summary.startedAt,
      errors: errors.slice(0, 5),
    },
    'run finished',
  );
  options.observer?.onRunFinished?.(summary);
  return summary;
}
