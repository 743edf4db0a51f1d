// Object stores and data lakes want the records of an object ordered by event time (Security Lake requires
// it; readers prune by time). A record without a numeric `time` cannot be placed and is a bug upstream.

/** Anything carrying an event with a `time` (epoch ms), e.g. an OutboundEvent. */
export interface TimedRecord {
  event: Readonly<Record<string, unknown>>;
}

function timeOf(record: TimedRecord, index: number): number {
  const time = record.event.time;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new Error(
      `record ${index}: time must be a number (epoch milliseconds), got ${JSON.stringify(time)}`,
    );
  }
  return time;
}

/**
 * The records ordered by `event.time`, oldest first; equal times keep their order (stable). Records already
 * in order (a run's events nearly always are) come back as they are, uncopied.
 */
export function orderByTime<T extends TimedRecord>(records: readonly T[]): readonly T[] {
  const times = records.map(timeOf);
  let ordered = true;
  for (let i = 1; i < times.length && ordered; i++) ordered = times[i - 1]! <= times[i]!;
  if (ordered) return records;
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => (times[a.index] as number) - (times[b.index] as number) || a.index - b.index)
    .map(({ record }) => record);
}
