// The run's summary from the outcomes its scopes returned, and the AWS call counts behind it.
import type { AwsCallObserver } from '../collector/index.js';
import type { Logger } from '../log.js';
import type { ScopeOutcome } from './scope-summary.js';
import type { RunMode, RunObserver, RunSummary, ScopeSummary } from './types.js';

/** Counts AWS calls by "service:Action" for the summary, and passes them on to the run's observer. */
export class AwsCallCounter implements AwsCallObserver {
  readonly calls: Record<string, number> = {};
  throttled = 0;

  constructor(private readonly observer: RunObserver | undefined) {}

  onCall(accountId: string, service: string, action: string): void {
    const k = `${service}:${action}`;
    this.calls[k] = (this.calls[k] ?? 0) + 1;
    this.observer?.onAwsCall?.(accountId, service, action);
  }

  onThrottled(accountId: string, service: string, action: string): void {
    this.throttled++;
    this.observer?.onAwsThrottled?.(accountId, service, action);
  }
}

/** Each distinct validation error once per run: the same mapping bug hits every identity alike. */
export function logValidationErrors(outcomes: readonly ScopeOutcome[], logger: Logger): void {
  const logged = new Set<string>();
  for (const { summary, validationErrors } of outcomes) {
    for (const [error, key] of validationErrors) {
      if (logged.has(error)) continue;
      logged.add(error);
      logger.error(
        { scope: summary.scope, key, validation_error: error },
        'event failed OCSF validation: not sent (dead letter)',
      );
    }
  }
}

export interface RunTotals {
  runId: string;
  mode: RunMode;
  startedAt: number;
  scopes: ScopeSummary[];
  /** Why the run failed: scopes that could not be opened, each scope's problems, unexpected errors. */
  errors: string[];
  aws: AwsCallCounter;
  /** The run was asked to stop. */
  aborted: boolean;
}

export function summarizeRun(totals: RunTotals): RunSummary {
  const { scopes, errors } = totals;
  const interrupted = totals.aborted || scopes.some((s) => s.status === 'interrupted');
  const failed = errors.length > 0 || scopes.some((s) => s.status === 'failed');
  return {
    runId: totals.runId,
    mode: totals.mode,
    status: failed ? 'failed' : interrupted ? 'interrupted' : 'succeeded',
    startedAt: totals.startedAt,
    finishedAt: Date.now(),
    scopes,
    usersSeen: scopes.reduce((n, s) => n + s.usersSeen, 0),
    eventsSent: scopes.reduce((n, s) => n + s.eventsSent, 0),
    failedUsers: scopes.reduce((n, s) => n + s.failedUsers, 0),
    deadLetters: scopes.reduce((n, s) => n + s.deadLetters, 0),
    awsCalls: totals.aws.calls,
    throttledCalls: totals.aws.throttled,
    errors,
  };
}

export function logRunFinished(summary: RunSummary, logger: Logger): void {
  logger.info(
    {
      status: summary.status,
      mode: summary.mode,
      scopes: summary.scopes.length,
      users_seen: summary.usersSeen,
      events_sent: summary.eventsSent,
      failed_users: summary.failedUsers,
      dead_letters: summary.deadLetters,
      aws_calls: Object.values(summary.awsCalls).reduce((a, b) => a + b, 0),
      throttled_calls: summary.throttledCalls,
      duration_ms: summary.finishedAt - summary.startedAt,
      errors: summary.errors.slice(0, 5),
    },
    'run finished',
  );
}
