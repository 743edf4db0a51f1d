// What one scope reports: its counts, its status, and why it failed. Each scope has its own tally (scopes run
// concurrently); the run aggregates the outcomes the scopes return.
import type { ScopeSummary } from './types.js';

/** At most this many problems of one scope reach the run's errors (the rest are counted). */
const MAX_REPORTED_PROBLEMS = 20;

export interface ScopeOutcome {
  summary: ScopeSummary;
  /** Why the scope did not succeed, one line per problem, each prefixed with the scope. */
  errors: string[];
  /** Distinct OCSF validation errors of the scope, each with the first identity key it was seen on. */
  validationErrors: ReadonlyMap<string, string>;
}

/** How the scope's collection ended, besides the problems recorded along the way. */
export interface ScopeEnding {
  /** The listing itself failed: it is incomplete. */
  listingError?: string | undefined;
  interrupted: boolean;
  /** A batch was not acknowledged by every sink. */
  deliveryFailed: boolean;
}

/** A scope's summary before anything happened (also the summary of a scope that could not be opened). */
export function emptyScopeSummary(scope: string, accountId: string): ScopeSummary {
  return {
    scope,
    accountId,
    status: 'succeeded',
    usersSeen: 0,
    usersCollected: 0,
    eventsSent: 0,
    failedUsers: 0,
    deletions: 0,
    deadLetters: 0,
  };
}

export type ScopeCount = Exclude<keyof ScopeSummary, 'scope' | 'accountId' | 'status' | 'error' | 'degraded'>;

/** Counts and problems of one scope while it runs. */
export class ScopeTally {
  private readonly counts: ScopeSummary;
  private readonly problems: string[] = [];
  private readonly validation = new Map<string, string>();
  private readonly degraded: string[] = [];

  constructor(
    readonly scope: string,
    accountId: string,
  ) {
    this.counts = emptyScopeSummary(scope, accountId);
  }

  add(count: ScopeCount, n = 1): void {
    this.counts[count] += n;
  }

  get(count: ScopeCount): number {
    return this.counts[count];
  }

  /** Something that keeps the scope from succeeding (and its state from advancing). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Facts read the slower way: not a problem (the scope still succeeds), but the summary says so. */
  degrade(sentence: string): void {
    this.degraded.push(sentence);
  }

  /** An event that failed OCSF validation for `key` (dead-lettered by the caller). */
  invalidEvent(key: string, errors: readonly string[]): void {
    this.problem(`invalid OCSF event for ${key}`);
    for (const error of errors) if (!this.validation.has(error)) this.validation.set(error, key);
  }

  /** The scope's outcome: it succeeded only when it ended cleanly with no problem at all. */
  finish(ending: ScopeEnding): ScopeOutcome {
    const problems =
      ending.listingError === undefined ? this.problems : [ending.listingError, ...this.problems];
    const complete = !ending.interrupted && !ending.deliveryFailed && problems.length === 0;
    const summary: ScopeSummary = {
      ...this.counts,
      status: ending.interrupted ? 'interrupted' : complete ? 'succeeded' : 'failed',
    };
    if (this.degraded.length > 0) summary.degraded = [...this.degraded];
    const [first] = problems;
    if (first !== undefined) {
      summary.error = problems.length === 1 ? first : `${first} (and ${problems.length - 1} more)`;
    }
    const errors = problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => `${this.scope}: ${p}`);
    if (problems.length > MAX_REPORTED_PROBLEMS) {
      errors.push(`${this.scope}: ... ${problems.length - MAX_REPORTED_PROBLEMS} more problems`);
    }
    return { summary, errors, validationErrors: new Map(this.validation) };
  }
}
