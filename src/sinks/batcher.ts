// Splits a run's batch into requests by a sink's own limits (event count and bytes), keeping order.
import type { SinkOptions } from './sink-options.js';

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

export function readBatchLimits(
  options: SinkOptions,
  defaults: BatchLimits,
  hardMaxBytes?: number,
): BatchLimits {
  const batch = options.section('batch');
  return {
    maxEvents: batch.integer('max_events', defaults.maxEvents, 1, 1_000_000),
    maxBytes: batch.integer('max_bytes', defaults.maxBytes, 1, hardMaxBytes ?? Number.MAX_SAFE_INTEGER),
  };
}

/**
 * Consecutive chunks of `items`, each with at most maxEvents items and at most maxBytes in total
 * (`overheadBytes` per chunk plus `sizeOf` per item). An item too big for any chunk goes alone: callers with
 * a hard per-event limit must take such events out first.
 */
export function splitBatch<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: BatchLimits,
  overheadBytes = 0,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = overheadBytes;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxEvents || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = overheadBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
