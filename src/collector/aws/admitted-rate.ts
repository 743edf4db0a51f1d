// The rate an account's IAM bucket admitted our calls at, for the rate limiter to cut from when it throttles.
//
// Why not the SDK's measure (a rate smoothed over half-second buckets): it lags what happens now. Measured on
// 4 x 1,000 users at 20 req/s, the first throttle of an account came a second after its sequential reads
// (GAAD pages, the credential report, the listing: a few calls a second) gave way to the per-user reads; the
// smoothed rate still said 4/s, the cut went to 2.9/s, and the cubic needed 5 s to climb back to 20 while
// the bucket filled up and overflowed. The other way round, after a slow climb the bucket is full, the
// next burst spends its saved tokens, and the smoothed rate said 34-40/s at a bucket of 20: the cut landed
// above the bucket's rate and the climb after it was throttled all along (read as others' share).
//
// A throttled answer says the bucket was empty. Between two moments it was empty, the bucket admitted
// exactly what it refilled (unless it filled up to its burst in between and overflowed), so the admitted
// count over the time since an earlier throttle is the bucket's rate, or a little below it: a cut from it
// lands below the bucket's rate. Without such a throttle in the last LOOKBACK_SECONDS (the first congestion
// of the account) the count of the last second or so is used: it includes what the bucket had saved up, so
// it errs high, and the limiter corrects the cut once the bucket is seen empty again (rate-limiter.ts).
/** An earlier throttle is looked for at least this long before now, so that the count is not noise. */
const MIN_WINDOW_SECONDS = 1;
/** How far back the count goes: an older throttle says little about the bucket now. */
const LOOKBACK_SECONDS = 10;
/** Without throttles, a mark is kept every this many seconds, so that a window start always exists. */
const MARK_SECONDS = 0.25;

interface Mark {
  /** Seconds. */
  at: number;
  /** Admitted answers up to this moment. */
  admitted: number;
  /** Whether a throttled answer was seen then (the bucket was empty). */
  empty: boolean;
}

export class AdmittedRate {
  private admitted = 0;
  private readonly marks: Mark[] = [];

  /** One answer, at `now` seconds. */
  record(now: number, throttled: boolean): void {
    if (!throttled) this.admitted += 1;
    const last = this.marks[this.marks.length - 1];
    // A throttle within a mark's span of an earlier one says nothing new (the bucket was empty, and any
    // moment it was empty starts a window as well): dense throttling would otherwise keep a mark per answer.
    const repeat = throttled && last?.empty === true && now - last.at < MARK_SECONDS;
    if (!repeat && (throttled || last === undefined || now - last.at >= MARK_SECONDS)) {
      this.marks.push({ at: now, admitted: this.admitted, empty: throttled });
    }
    let expired = 0;
    while (expired < this.marks.length && (this.marks[expired] as Mark).at < now - LOOKBACK_SECONDS)
      expired++;
    if (expired > 0) this.marks.splice(0, expired);
  }

  /** Admitted answers so far. */
  get count(): number {
    return this.admitted;
  }

  /**
   * Admitted answers per second since the last throttle at least MIN_WINDOW_SECONDS ago, else since the
   * last mark that old, else since the first answer of the lookback but over MIN_WINDOW_SECONDS: the
   * bucket's burst, spent in a moment when an account starts, taken for a second's worth of its rate
   * (over the few milliseconds it took, it would be ten times that). undefined before any answer.
   */
  rate(now: number): number | undefined {
    let start: Mark | undefined;
    for (let i = this.marks.length - 1; i >= 0; i--) {
      const mark = this.marks[i] as Mark;
      if (mark.at > now - MIN_WINDOW_SECONDS) continue;
      start ??= mark;
      if (mark.empty) {
        start = mark;
        break;
      }
    }
    start ??= this.marks[0];
    if (start === undefined) return undefined;
    return (this.admitted - start.admitted) / Math.max(now - start.at, MIN_WINDOW_SECONDS);
  }
}
