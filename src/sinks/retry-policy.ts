// When and how long a sink waits before trying again. Full jitter (a random delay between 0 and the
// exponential ceiling) spreads the retries of many collectors hitting the same overloaded SIEM.
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { RetryConfig } from '../config/config.js';

export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export function retryPolicyOf(retry: RetryConfig): RetryPolicy {
  return {
    maxAttempts: retry.max_attempts,
    initialDelayMs: retry.initial_delay_ms,
    maxDelayMs: retry.max_delay_ms,
  };
}

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`; undefined when
 * absent or unparseable. The server's wish is honoured up to the policy's max delay, so that a bogus
 * "Retry-After: 86400" cannot stall a run for a day.
 */
export function retryAfterMs(
  header: string | undefined,
  policy: RetryPolicy,
  now = Date.now(),
): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) ms = Math.max(0, at - now);
  }
  return ms === undefined ? undefined : Math.min(ms, policy.maxDelayMs);
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleepFor(ms, undefined, { signal });
}
