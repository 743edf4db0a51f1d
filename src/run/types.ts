// The contract of one collection run, used by the CLI (run, backfill, demo), the daemon and the benchmark.
import type { Logger } from '../log.js';
import type { Shard } from '../collector/index.js';

export type RunMode = 'incremental' | 'full' | 'backfill';

export interface RunOptions {
  mode: RunMode;
  /** backfill: only identities created at or after this time (epoch ms). */
  since?: number;
  /** Restrict the run to these account ids (backfill --account). */
  accountIds?: string[];
  /** Only the accounts of this shard (`--shard K/N`). */
  shard?: Shard;
  /** Full mode: emit deletions even when more than state.max_delete_fraction would be deleted. */
  allowMassDelete?: boolean;
  /** Aborting stops the run after the batch in flight is acknowledged and committed. */
  signal?: AbortSignal;
  logger: Logger;
  observer?: RunObserver;
  progress?: RunProgress;
}

export interface ScopeSummary {
  scope: string;
  accountId: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  /** Identities listed. */
  usersSeen: number;
  /** Identities enriched and mapped. */
  usersCollected: number;
  eventsSent: number;
  /** Enrichment failures (the identity was not emitted). */
  failedUsers: number;
  deletions: number;
  deadLetters: number;
  error?: string;
  /** Facts read the slower way this run, and why (the credential report could not be had ...). */
  degraded?: string[];
}

export interface RunSummary {
  runId: string;
  mode: RunMode;
  status: 'succeeded' | 'failed' | 'interrupted';
  startedAt: number;
  finishedAt: number;
  scopes: ScopeSummary[];
  usersSeen: number;
  eventsSent: number;
  failedUsers: number;
  deadLetters: number;
  /** AWS API calls by "service:Action". */
  awsCalls: Record<string, number>;
  throttledCalls: number;
  /** Human-readable reasons the run failed (account, action, sink ...). */
  errors: string[];
}

/** Hooks for metrics (the daemon's Prometheus registry implements it). */
export interface RunObserver {
  onAwsCall?(accountId: string, service: string, action: string): void;
  onAwsThrottled?(accountId: string, service: string, action: string): void;
  onUsersCollected?(accountId: string, count: number): void;
  onEventsSent?(sink: string, count: number): void;
  onSinkError?(sink: string): void;
  onDeadLetters?(count: number): void;
  /** An account-wide answer could not be had: some facts were read per user (for a metric). */
  onDegraded?(accountId: string, sentence: string): void;
  onRunFinished?(summary: RunSummary): void;
}

/** Progress reporting (cli-progress bars on a TTY, periodic log lines otherwise). */
export interface RunProgress {
  scopeStarted(scope: string, total: number | undefined): void;
  scopeAdvanced(scope: string, done: number): void;
  scopeFinished(scope: string): void;
  stop(): void;
}
