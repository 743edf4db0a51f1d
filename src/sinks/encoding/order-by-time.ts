// Object stores and data lakes want the records of an object ordered by event time (Security Lake requires
// it; readers prune by time). A record without a numeric `time` cannot be placed and is a bug upstream.

import { eventTime } from '../sink.js';

/**
 * Anything carrying an event with a `time` (epoch ms), e.g. an OutboundEvent, whose own `time`, when its
 * producer gave it, is read instead of the event's (no parse of an event kept as JSON).
 */
export interface TimedRecord {
  event: Readonly<Record<string, unknown>>;
  time?: number;
}

function timeOf(record: TimedRecord, index: number): number {
  const time = eventTime(record);
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new Error(
      `record ${index}: time must be a number (epoch milliseconds), got ${JSON.stringify(time)}`,
    );
  }
  return time;
}

/**
 * The indexes of `times` ordered by time, oldest first, equal times in their order (stable); undefined
 * when the times are already in order (a run's events nearly always are).
 */
export function stableOrder(times: ArrayLike<number>): number[] | undefined {
  let ordered = true;
  for (let i = 1; i < times.length && ordered; i++) ordered = times[i - 1]! <= times[i]!;
  if (ordered) return undefined;
  return Array.from({ length: times.length }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
}

/** The records ordered by `event.time` (stableOrder); records already in order come back uncopied. */
export function orderByTime<T extends TimedRecord>(records: readonly T[]): readonly T[] {
  const order = stableOrder(records.map(timeOf));
  return order === undefined ? records : order.map((i) => records[i]!);
}
