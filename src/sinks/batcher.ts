// Splits a run's batch into requests by a sink's own limits (event count and bytes), keeping order.
import type { BatchConfig } from '../config/config.js';

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

export function batchLimitsOf(batch: BatchConfig): BatchLimits {
  return { maxEvents: batch.max_events, maxBytes: batch.max_bytes };
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
