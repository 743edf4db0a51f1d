// Enriches a listing page's identities under the account's limit and hands them on in listing order as soon
// as those before them are done. Only `lookAhead` identities are started beyond the first one not yet handed
// on, so memory holds the look-ahead, not the page, and delivery can begin after the first few reads
// instead of after the whole page (up to 1,000 identities) was enriched.
import type { LimitFunction } from 'p-limit';
import type { CollectedItem } from '../source.js';

/** Identities started ahead per unit of concurrency when the run does not say (CollectOptions.lookAhead). */
export const LOOK_AHEAD_PER_WORKER = 8;

/** The look-ahead of a source enriching under `limit`: the run's, else 8 per worker; never below the limit. */
export function lookAheadOf(limit: LimitFunction, runLookAhead: number | undefined): number {
  return Math.max(limit.concurrency, runLookAhead ?? limit.concurrency * LOOK_AHEAD_PER_WORKER);
}

interface Slot {
  result: Promise<CollectedItem>;
  done?: CollectedItem;
}

export interface ListingOrderOptions {
  limit: LimitFunction;
  /** At most this many identities are being enriched or waiting to be handed on. */
  lookAhead: number;
  signal?: AbortSignal | undefined;
}

/**
 * Yields the enrichment results of `identities` in their order, in runs of those already done. On abort it
 * yields what was completed in order (not the reads the abort cut short), then throws the abort.
 */
export async function* inListingOrder<T>(
  identities: readonly T[],
  enrich: (identity: T) => Promise<CollectedItem>,
  options: ListingOrderOptions,
): AsyncGenerator<CollectedItem[]> {
  const { limit, signal } = options;
  const lookAhead = Math.max(1, options.lookAhead);
  const ahead: Slot[] = [];
  let next = 0;
  const fill = (): void => {
    while (ahead.length < lookAhead && next < identities.length && signal?.aborted !== true) {
      const identity = identities[next++] as T;
      const slot: Slot = { result: limit(() => enrich(identity)) };
      // Recorded as it settles, so a run of finished results goes out together; a rejection (a bug: enrich
      // never throws) surfaces when the slot reaches the head.
      slot.result.then(
        (item) => (slot.done = item),
        () => undefined,
      );
      ahead.push(slot);
    }
  };
  fill();
  while (ahead.length > 0) {
    const ready = [await (ahead.shift() as Slot).result];
    while (ahead[0]?.done !== undefined) ready.push((ahead.shift() as Slot).done as CollectedItem);
    if (signal?.aborted === true) {
      const completed = completedBeforeAbort(ready);
      if (completed.length > 0) yield completed;
      signal.throwIfAborted();
    }
    // Started before handing on, so enrichment goes on while the run delivers.
    fill();
    yield ready;
  }
}

/** After an abort a read may have failed only because it was cut short: hand on the prefix before it. */
function completedBeforeAbort(ready: CollectedItem[]): CollectedItem[] {
  const firstFailed = ready.findIndex((item) => item.status === 'failed');
  return firstFailed < 0 ? ready : ready.slice(0, firstFailed);
}
