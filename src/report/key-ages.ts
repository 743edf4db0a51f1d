// Active access keys by age at report time, in buckets whose edges include risk.rotation_days, so that the
// buckets past it add up to the stale keys.
import type { KeyFact } from './event-facts.js';

const DAY_MS = 86_400_000;

export interface KeyAgeBucket {
  label: string;
  /** Ages in days: more than `fromDays`, at most `toDays` (null: no upper bound; both null: unknown age). */
  fromDays: number | null;
  toDays: number | null;
  count: number;
  /** Older than risk.rotation_days. */
  stale: boolean;
}

const YEAR_DAYS = 365;
const inYears = (days: number): boolean => days > 0 && days % YEAR_DAYS === 0;
const span = (days: number): string =>
  inYears(days) ? `${days / YEAR_DAYS} year${days === YEAR_DAYS ? '' : 's'}` : `${days} days`;

function label(from: number, to: number | null): string {
  if (to === null) return `over ${span(from)}`;
  if (from === 0) return `up to ${span(to)}`;
  if (inYears(from) && inYears(to)) return `${from / YEAR_DAYS}-${to / YEAR_DAYS} years`;
  return `${from + 1}-${to} days`;
}

export function keyAgeBuckets(keys: readonly KeyFact[], now: number, rotationDays: number): KeyAgeBucket[] {
  const edges = [...new Set([30, rotationDays, 180, 365, 730, 1825])].sort((a, b) => a - b);
  const buckets: KeyAgeBucket[] = edges.map((to, i) => {
    const from = i === 0 ? 0 : (edges[i - 1] ?? 0);
    return { label: label(from, to), fromDays: from, toDays: to, count: 0, stale: from >= rotationDays };
  });
  const last = edges[edges.length - 1] ?? 0;
  buckets.push({ label: label(last, null), fromDays: last, toDays: null, count: 0, stale: true });
  const unknown: KeyAgeBucket = {
    label: 'unknown age',
    fromDays: null,
    toDays: null,
    count: 0,
    stale: false,
  };
  for (const key of keys) {
    if (key.createdTime === undefined) {
      unknown.count++;
      continue;
    }
    const age = now - key.createdTime;
    const bucket =
      buckets.find((b) => b.toDays !== null && age <= b.toDays * DAY_MS) ?? buckets[buckets.length - 1];
    if (bucket) bucket.count++;
  }
  return unknown.count > 0 ? [...buckets, unknown] : buckets;
}
