// The client-side rate limiter of each AWS client (one per account, so one per IAM throttle bucket): the SDK's
// adaptive retry algorithm (a CUBIC-style rate with a token bucket, as in @smithy/core's DefaultRateLimiter),
// with changes that keep an account near its bucket's rate instead of collapsing after a throttle.
//
// Why: when an account's IAM bucket runs dry, many answers in a row are Throttling (the requests in flight,
// then their retries). The SDK's limiter cuts its rate by 30% for each of them, from a rate it measures
// over every answer, throttled ones included. Measured on 20 accounts x 1,000 users at 20 req/s each: after
// its first throttle, every account fell from 37 to under 3 req/s within half a second and needed 5 seconds
// to climb back, while its bucket refilled unused.
// - One cut per congestion event: a throttling answer within the cubic's time window after a cut (the time
//   the rate needs to climb back to where it was cut) reports the congestion that cut already answered. A
//   throttle after that window cuts again, so a bucket shared with other callers still drives the rate down.
// - The rate cut from is the rate of answers that were not throttled: what the account admitted. Throttled
//   answers come back fast and would inflate it. It is counted since the bucket was last seen empty
//   (admitted-rate.ts), not smoothed over half-second buckets as the SDK does: that measure lagged an
//   account's switch from its few sequential reads to the per-user ones (cuts to 3/s at a 20/s bucket,
//   5 s to climb back), and after a climb it counted the bucket's saved-up burst (cuts to 24-28/s at 20/s,
//   and the throttled climb after them was taken for others' share).
// - A cut that was still above the bucket's rate is corrected: a throttle after the congestion event, more
//   than the background share explains, shows the bucket empty again, and what it admitted since the cut
//   is its rate.
// - A cut empties the limiter's own bucket: the account's bucket is empty at that moment, and a burst of
//   saved-up tokens would only be throttled again.
// The send-rate measurement also starts at the first answer, not when the client was created (an account
// opened long before its first call would otherwise start from a near-zero rate).
//
// Throttling that does not follow our rate: other tools share the account's IAM rate, and then a steady share
// of answers is Throttling whatever we send. Cutting for each of them collapses the rate (simulated: 200/s
// unthrottled fell to 11.5/s at 5% and 3.1/s at 20%), and slowing down does not make them go away. So the
// limiter learns the share of throttles that arrive while it is climbing back below the rate it was cut from
// (the background share: our own congestion was answered by the cut), and after the climb it cuts only when
// the throttled share at the higher rate rises significantly above that background. With no background
// (the token-bucket case) the first throttle above the old rate cuts, as the SDK does.
import type { RateLimiter } from '@smithy/core/retry';
import { AdmittedRate } from './admitted-rate.js';
import { isThrottlingError } from './aws-error.js';

export interface RateLimiterClock {
  /** Seconds (fractional). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: RateLimiterClock = {
  now: () => Date.now() / 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// The SDK's constants (DefaultRateLimiter): the cut factor, the cubic's scale, the smoothing of the measured
// rate, and the floors of the fill rate and bucket.
const BETA = 0.7;
const SCALE_CONSTANT = 0.4;
const SMOOTH = 0.8;
const MIN_FILL_RATE = 0.5;
const MIN_CAPACITY = 1;
/**
 * Throttling answers within this long after a cut belong to the same congestion event: the requests in
 * flight at the cut and their first retries, and the time the admitted rate needs to show in the
 * measurement (two of its half-second buckets).
 */
const EVENT_SECONDS = 1;
/**
 * The climb lasts at least this long after the event, so that the background share is learned at low
 * rates too: the cubic's own window is under a second below 1.3/s, and with no climb answers every
 * throttle cut again (at 40 % of others' throttles, simulated: down to the 0.5/s floor).
 */
const MIN_CLIMB_SECONDS = 1.5;
/** Answers seen during climbs before the background share is trusted; until then every throttle cuts. */
const MIN_BACKGROUND_SAMPLES = 5;
/** The background share decays over about this many answers seen during climbs. */
const BACKGROUND_MEMORY = 200;
/** A background share above this is congestion, not somebody else's steady share: cut as the SDK does. */
const MAX_BACKGROUND_SHARE = 0.5;
/** Standard deviations the throttles above the old rate must exceed the background by to be ours. */
const RISE_SIGMAS = 3;
/**
 * The first cut waits until throttles are dense among the last answers (decayed over about this many): a
 * bucket we ran dry answers nearly every request Throttling, while a steady share of others' throttles is
 * sparse. The SDK cuts on the first throttle from whatever rate was measured then, as if we had been
 * sending as fast as we could: at 5 % of others' throttles that was a few calls per second during the large
 * GetAccountAuthorizationDetails pages (1 x 1,000 users), and the climb back to the per-user phase's rate
 * took 20 s of a 3 s run. Once limiting, the background share decides (below).
 */
const RECENT_ANSWERS = 20;
/** The share of recent answers throttled above which a throttle is taken as our congestion. */
const DENSE_SHARE = 0.5;

type Phase = 'unlimited' | 'event' | 'climb' | 'probe';

/** The error an answer carries: the retry strategy's errorInfo.error, or the answer itself. */
function answerError(response: unknown): unknown {
  if (typeof response !== 'object' || response === null) return undefined;
  return (response as { error?: unknown }).error ?? response;
}

/** The retry strategy's own verdict (an errorInfo classified THROTTLING), else the collector's classifier. */
function isThrottling(response: unknown): boolean {
  if ((response as { errorType?: unknown } | null)?.errorType === 'THROTTLING') return true;
  const error = answerError(response);
  return error !== undefined && isThrottlingError(error);
}

/**
 * An attempt that ended because its call was aborted (the run stopping): it was never answered, so it
 * says nothing about the account's bucket. The SDK's retry loop, which no longer sees the call's signal
 * (call-signal.ts), can still make one such attempt after the abort.
 */
function isAborted(response: unknown): boolean {
  return (answerError(response) as { name?: unknown } | undefined)?.name === 'AbortError';
}

/** Whether `throttles` of `answers` are more than a background share explains (RISE_SIGMAS above it). */
function significantlyAbove(throttles: number, answers: number, background: number): boolean {
  const expected = answers * background;
  return throttles >= expected + RISE_SIGMAS * Math.sqrt(expected * (1 - background)) + 1;
}

export class AccountRateLimiter implements RateLimiter {
  private enabled = false;
  private availableTokens = 0;
  private fillRate = MIN_FILL_RATE;
  private maxCapacity = MIN_CAPACITY;
  private lastTimestamp: number | undefined;
  private lastMaxRate = 0;
  private lastThrottleTime: number;
  private measuredTxRate = 0;
  private requestCount = 0;
  private lastTxRateBucket: number | undefined;
  /** Decayed counts of answers (and throttled ones) while climbing back below the rate cut from. */
  private climbAnswers = 0;
  private climbThrottles = 0;
  /** Answers (and throttled ones) since the climb reached the rate cut from. */
  private probeAnswers = 0;
  private probeThrottles = 0;
  /** Decayed share of throttled answers among the last RECENT_ANSWERS or so. */
  private recentThrottled = 0;
  /** What the account's bucket admitted lately: the rate a cut starts from (admitted-rate.ts). */
  private readonly admitted = new AdmittedRate();
  /** Since the last cut: answers, throttled ones, admitted count at the cut, and whether it was corrected. */
  private cutAnswers = 0;
  private cutThrottles = 0;
  private cutAdmitted = 0;
  private cutCorrected = false;

  constructor(private readonly clock: RateLimiterClock = systemClock) {
    this.lastThrottleTime = clock.now();
  }

  async getSendToken(): Promise<void> {
    if (this.enabled) {
      this.refillTokenBucket();
      while (this.availableTokens < 1) {
        await this.clock.sleep(((1 - this.availableTokens) / this.fillRate) * 1000);
        this.refillTokenBucket();
      }
      this.availableTokens -= 1;
    }
  }

  updateClientSendingRate(response: unknown): void {
    if (isAborted(response)) return;
    const throttled = isThrottling(response);
    if (!throttled) this.updateMeasuredRate();
    const now = this.clock.now();
    this.admitted.record(now, throttled);
    this.cutAnswers += 1;
    if (throttled) this.cutThrottles += 1;
    let phase = this.phaseAt(now);
    if (throttled && phase === 'climb' && this.correctsCut()) {
      this.correctCut(now);
      phase = this.phaseAt(now);
    }
    this.record(phase, throttled);
    this.recentThrottled += ((throttled ? 1 : 0) - this.recentThrottled) / RECENT_ANSWERS;
    const admitted = this.admitted.rate(now) ?? this.measuredTxRate;
    let calculatedRate: number;
    if (throttled && this.cutsFor(phase)) {
      const rateToUse = this.enabled ? Math.min(admitted, this.fillRate) : admitted;
      this.lastMaxRate = rateToUse;
      this.lastThrottleTime = now;
      calculatedRate = rateToUse * BETA;
      this.enabled = true;
      // The account's bucket is empty now: no burst of saved-up tokens right after the cut.
      this.refillTokenBucket();
      this.availableTokens = 0;
      this.probeAnswers = 0;
      this.probeThrottles = 0;
      this.cutAnswers = 0;
      this.cutThrottles = 0;
      this.cutAdmitted = this.admitted.count;
      this.cutCorrected = false;
    } else {
      calculatedRate =
        SCALE_CONSTANT * Math.pow(now - this.lastThrottleTime - this.timeWindow, 3) + this.lastMaxRate;
    }
    // The SDK's cap (no more than twice what is being admitted), from the higher of the cut's measure and the
    // SDK's smoothed one: either can lag while the rate climbs, and the cap must not hold the climb down.
    this.updateTokenBucketRate(Math.min(calculatedRate, 2 * Math.max(admitted, this.measuredTxRate)));
  }

  /**
   * Where the limiter stands: not limiting yet, in the congestion event of the last cut (answers to requests
   * sent at the old rate), climbing back to the rate cut from, or probing above it.
   */
  private phaseAt(now: number): Phase {
    if (!this.enabled) return 'unlimited';
    const since = now - this.lastThrottleTime;
    if (since < EVENT_SECONDS) return 'event';
    return since < Math.max(this.timeWindow, EVENT_SECONDS + MIN_CLIMB_SECONDS) ? 'climb' : 'probe';
  }

  private record(phase: Phase, throttled: boolean): void {
    if (phase === 'climb') {
      const keep = 1 - 1 / BACKGROUND_MEMORY;
      this.climbAnswers = this.climbAnswers * keep + 1;
      this.climbThrottles = this.climbThrottles * keep + (throttled ? 1 : 0);
    } else if (phase === 'probe') {
      this.probeAnswers += 1;
      if (throttled) this.probeThrottles += 1;
    }
  }

  /**
   * Whether a throttle after the congestion event says the cut was not deep enough: the rate cut from was
   * more than the bucket's (it counted tokens the bucket had saved up, see admitted-rate.ts), so the climb
   * is throttled by our own rate. That is so when the throttles since the cut rise above the background
   * share, or when no background is known yet (the first congestion: its throttles came dense).
   */
  private correctsCut(): boolean {
    if (this.cutCorrected) return false;
    const background = this.backgroundShare();
    return background === undefined || significantlyAbove(this.cutThrottles, this.cutAnswers, background);
  }

  /** The share of throttles seen while climbing (others' steady share); undefined until it is trusted. */
  private backgroundShare(): number | undefined {
    return this.climbAnswers < MIN_BACKGROUND_SAMPLES ? undefined : this.climbThrottles / this.climbAnswers;
  }

  /**
   * The bucket was empty at the cut and is empty again: what it admitted in between is its rate. The climb
   * goes on from the same moment towards that rate instead; the saved-up tokens go (the bucket has none).
   */
  private correctCut(now: number): void {
    const bucketRate = (this.admitted.count - this.cutAdmitted) / (now - this.lastThrottleTime);
    this.lastMaxRate = Math.min(this.lastMaxRate, bucketRate);
    this.cutCorrected = true;
    this.refillTokenBucket();
    this.availableTokens = 0;
  }

  /** Whether a throttling answer is our own congestion (cut) or the background share (carry on). */
  private cutsFor(phase: Phase): boolean {
    // Before any admitted rate is measured there is nothing to cut from (the SDK falls to its 0.5/s floor).
    if (phase === 'unlimited') return this.measuredTxRate > 0 && this.recentThrottled >= DENSE_SHARE;
    if (phase === 'event') return false;
    const background = this.backgroundShare();
    if (background === undefined || background > MAX_BACKGROUND_SHARE) return true;
    // Throttles while climbing below the old rate are not ours: the cut answered our congestion.
    if (phase === 'climb') return false;
    return significantlyAbove(this.probeThrottles, this.probeAnswers, background);
  }

  /**
   * Whether throttles now are our own congestion: within the congestion event of the last cut, or dense
   * among the last answers. Otherwise they are taken for others' steady share, and a throttled call is
   * retried soon (retry-backoff.ts): waiting does not make those go away.
   */
  get congested(): boolean {
    const inEvent = this.enabled && this.clock.now() - this.lastThrottleTime < EVENT_SECONDS;
    return inEvent || this.recentThrottled >= DENSE_SHARE;
  }

  /** For tests and diagnostics: the current fill rate (requests per second) and whether it applies. */
  get rate(): { enabled: boolean; fillRate: number } {
    return { enabled: this.enabled, fillRate: this.fillRate };
  }

  private refillTokenBucket(): void {
    const now = this.clock.now();
    if (this.lastTimestamp === undefined) {
      this.lastTimestamp = now;
      return;
    }
    this.availableTokens = Math.min(
      this.maxCapacity,
      this.availableTokens + (now - this.lastTimestamp) * this.fillRate,
    );
    this.lastTimestamp = now;
  }

  /** Seconds the cubic needs to climb from the cut back to the rate it was cut from. */
  private get timeWindow(): number {
    return Math.cbrt((this.lastMaxRate * (1 - BETA)) / SCALE_CONSTANT);
  }

  private updateTokenBucketRate(newRate: number): void {
    this.refillTokenBucket();
    this.fillRate = Math.max(newRate, MIN_FILL_RATE);
    this.maxCapacity = Math.max(newRate, MIN_CAPACITY);
    this.availableTokens = Math.min(this.availableTokens, this.maxCapacity);
  }

  private updateMeasuredRate(): void {
    const now = this.clock.now();
    const bucket = Math.floor(now * 2) / 2;
    this.requestCount += 1;
    if (this.lastTxRateBucket === undefined) {
      this.lastTxRateBucket = bucket;
      return;
    }
    if (bucket > this.lastTxRateBucket) {
      const currentRate = this.requestCount / (bucket - this.lastTxRateBucket);
      this.measuredTxRate = currentRate * SMOOTH + this.measuredTxRate * (1 - SMOOTH);
      this.requestCount = 0;
      this.lastTxRateBucket = bucket;
    }
  }
}
