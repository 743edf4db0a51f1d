// The daemon's Prometheus metrics. A Registry of its own (not prom-client's global one) so that tests and
// several daemons in one process never share counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunObserver, RunSummary } from '../run/types.js';

/** Run durations range from seconds (one small account) to hours (an organization at the throttle limit). */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];

export interface DaemonMetrics {
  readonly registry: Registry;
  /** Feeds the counters from a run (pass it as RunOptions.observer). */
  readonly observer: RunObserver;
  /** Prometheus text exposition format. */
  text(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): DaemonMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    observer: runObserver(registerMetrics(registry)),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

type Metrics = ReturnType<typeof registerMetrics>;

function registerMetrics(registry: Registry) {
  const runs = new Counter({
    name: 'iam_inventory_runs_total',
    help: 'Collection runs finished, by mode and final status.',
    labelNames: ['mode', 'status'] as const,
    registers: [registry],
  });
  const usersCollected = new Counter({
    name: 'iam_inventory_users_collected_total',
    help: 'Identities enriched and mapped to events, by AWS account.',
    labelNames: ['account'] as const,
    registers: [registry],
  });
  const eventsSent = new Counter({
    name: 'iam_inventory_events_sent_total',
    help: 'Events acknowledged by a sink.',
    labelNames: ['sink'] as const,
    registers: [registry],
  });
  const sinkErrors = new Counter({
    name: 'iam_inventory_sink_errors_total',
    help: 'Failed delivery attempts, by sink.',
    labelNames: ['sink'] as const,
    registers: [registry],
  });
  const awsCalls = new Counter({
    name: 'iam_inventory_aws_calls_total',
    help: 'AWS API call attempts (retries included), by account and "service:Action".',
    labelNames: ['account', 'action'] as const,
    registers: [registry],
  });
  const awsThrottled = new Counter({
    name: 'iam_inventory_aws_throttled_total',
    help: 'AWS API call attempts answered with a throttling error, by account.',
    labelNames: ['account'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'iam_inventory_dead_letters_total',
    help: 'Events that became dead letters (refused for good by a sink or invalid).',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'iam_inventory_run_duration_seconds',
    help: 'Wall time of collection runs, by mode.',
    labelNames: ['mode'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'iam_inventory_last_success_timestamp_seconds',
    help: 'When the last successful run of a scope finished (Unix seconds); the label is the state scope: the AWS account id, or identity-center:<store id>.',
    labelNames: ['account'] as const,
    registers: [registry],
  });
  const degraded = new Counter({
    name: 'iam_inventory_degraded_reads_total',
    help: 'Account passes that read facts per user because an account-wide answer (the credential report, the virtual MFA listing) could not be had.',
    labelNames: ['account'] as const,
    registers: [registry],
  });
  // Counters with a fixed label set start at 0 so that rate() works from the first scrape.
  deadLetters.inc(0);
  return {
    runs,
    usersCollected,
    eventsSent,
    sinkErrors,
    awsCalls,
    awsThrottled,
    deadLetters,
    duration,
    lastSuccess,
    degraded,
  };
}

/** Feeds the metrics from a run's observer callbacks. */
function runObserver(m: Metrics): RunObserver {
  // runCollection reports its summary through the observer and the daemon reports the one it got back: a
  // summary is counted once, whichever path delivers it first.
  const countedRuns = new Set<string>();

  return {
    onAwsCall(accountId, service, action) {
      m.awsCalls.inc({ account: accountId, action: `${service}:${action}` });
    },
    onAwsThrottled(accountId) {
      m.awsThrottled.inc({ account: accountId });
    },
    onUsersCollected(accountId, count) {
      if (count > 0) m.usersCollected.inc({ account: accountId }, count);
    },
    onEventsSent(sink, count) {
      if (count > 0) m.eventsSent.inc({ sink }, count);
    },
    onSinkError(sink) {
      m.sinkErrors.inc({ sink });
    },
    onDeadLetters(count) {
      if (count > 0) m.deadLetters.inc(count);
    },
    onDegraded(accountId) {
      m.degraded.inc({ account: accountId });
    },
    onRunFinished(summary: RunSummary) {
      if (countedRuns.has(summary.runId)) return;
      countedRuns.add(summary.runId);
      if (countedRuns.size > 100) countedRuns.delete(countedRuns.values().next().value as string);
      m.runs.inc({ mode: summary.mode, status: summary.status });
      m.duration.observe({ mode: summary.mode }, Math.max(0, summary.finishedAt - summary.startedAt) / 1000);
      for (const scope of summary.scopes) {
        if (scope.status === 'succeeded')
          m.lastSuccess.set({ account: scope.scope }, summary.finishedAt / 1000);
      }
    },
  };
}
