// The delay before an AWS call is retried (retry-strategy.ts asks for it). The SDK waits
// random(0, base x 2^retry) ms, capped at 20 s, with a base of 1,000 ms for a throttling answer (50 ms
// otherwise), so that the backoff itself slows a client down. Here the account's rate limiter
// (rate-limiter.ts) already does that for throttling that follows our own rate: a retry waits for a send
// token at the rate it cut to. A throttle that does not follow our rate (other tools spending the
// account's share: a steady fraction of answers whatever we send) is not helped by waiting, and the SDK's
// long first delays stretched a 2 s run to 45 s at 20 % of such answers. So a throttled call's first
// retries are short (about a call's own latency). While the account's limiter takes the throttles for our
// own congestion, the delay grows x8, so that a call throttled again and again is as patient as the SDK's
// (about the same total wait over aws.max_attempts): a bucket that stays dry still gets time to refill
// before the call gives up. While it takes them for others' steady share, the delay only doubles: at 20 %
// of such answers a call throttled four times in a row (one or two per 1,000 calls) otherwise waited up
// to 20 s more, and a run of 3-4 s took anywhere from 0.9x to 4x its fault-free time on that one call.

/** The base delay of retries after transient errors (5xx, resets), ms: the SDK's. */
export const RETRY_BASE_MS = 50;
/** The first delay of a throttled call's retries, ms. */
export const THROTTLED_RETRY_BASE_MS = 10;
/** How much longer each further retry of a call throttled by our own congestion may wait. */
export const THROTTLED_GROWTH = 8;
/** How much longer each further retry of a call throttled by others' share may wait. */
export const SHARE_GROWTH = 2;
/** The SDK's cap of one retry delay, ms. */
export const MAX_RETRY_DELAY_MS = 20_000;

export class RetryBackoff {
  /**
   * @param congested whether the account's rate limiter takes throttles now for our own congestion (the
   *   patient delays) or for others' steady share (short delays that only double).
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly congested: () => boolean = () => true,
  ) {}

  /** The delay before retry `retries + 1` of a call, ms; `throttled`: its last answer was a throttle. */
  delay(retries: number, throttled: boolean): number {
    const ceiling = throttled
      ? THROTTLED_RETRY_BASE_MS * (this.congested() ? THROTTLED_GROWTH : SHARE_GROWTH) ** retries
      : RETRY_BASE_MS * 2 ** retries;
    return Math.floor(this.random() * Math.min(ceiling, MAX_RETRY_DELAY_MS));
  }
}
