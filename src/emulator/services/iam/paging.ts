// IAM's pagination: MaxItems, an opaque Marker naming the last key returned, IsTruncated. Listings are
// sorted by key, so a page boundary stays put when entries are added or removed between calls.
import { el } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryParams } from '../../service.js';

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortByKey<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => compareKeys(key(a), key(b)));
}

/**
 * The map's keys in ascending order, cached per map. Mutations change the maps directly, so the cache is
 * checked on every use: same size and every cached key still present means the same key set (O(n) lookups,
 * far cheaper than re-sorting 5,000 names per page).
 */
const sortedKeyCache = new WeakMap<Map<string, unknown>, string[]>();

export function sortedKeysOf(map: Map<string, unknown>): string[] {
  const cached = sortedKeyCache.get(map);
  if (cached !== undefined && cached.length === map.size && cached.every((k) => map.has(k))) return cached;
  const keys = [...map.keys()].sort();
  sortedKeyCache.set(map, keys);
  return keys;
}

/** Index of the first key greater than `lastKey`. */
export function upperBound<T>(sorted: T[], key: (item: T) => string, lastKey: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(key(sorted[mid] as T), lastKey) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function encodeMarker(action: string, lastKey: string): string {
  return Buffer.from(`${action}\n${lastKey}`, 'utf8').toString('base64');
}

export function decodeMarker(action: string, marker: string): string {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const nl = text.indexOf('\n');
  if (nl < 0 || text.slice(0, nl) !== action) throw new EmuError('ValidationError', 'Invalid Marker.', 400);
  return text.slice(nl + 1);
}

export function readMaxItems(params: QueryParams, defaultValue = 100): number {
  const rawValue = params.MaxItems;
  if (rawValue === undefined) return defaultValue;
  const n = Number(rawValue);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    const bound =
      Number.isInteger(n) && n > 1000 ? 'less than or equal to 1000' : 'greater than or equal to 1';
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${rawValue}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`,
      400,
    );
  }
  return n;
}

export function pageSize(maxItems: number, ctx: EmuRequestContext): number {
  return ctx.shortPage === true ? Math.max(1, Math.floor(maxItems / 2)) : maxItems;
}

/** Entities of `map` whose path starts with `prefix`, in key order. */
export function byPath<T extends { path: string }>(map: Map<string, T>, prefix: string | undefined): T[] {
  const out: T[] = [];
  for (const k of sortedKeysOf(map)) {
    const item = map.get(k);
    if (item !== undefined && (prefix === undefined || item.path.startsWith(prefix))) out.push(item);
  }
  return out;
}

export interface Page<T> {
  items: T[];
  /** `<IsTruncated>` and, when truncated, `<Marker>`. */
  xml: string;
}

/**
 * One page of `sorted` (ascending by key). The marker names the last key returned, so a page boundary stays
 * put when entries are added or removed between calls. A short_page fault halves the page but keeps
 * IsTruncated true while more remain.
 */
export function paginate<T>(
  sorted: T[],
  key: (item: T) => string,
  action: string,
  params: QueryParams,
  ctx: EmuRequestContext,
): Page<T> {
  const maxItems = readMaxItems(params);
  let start = 0;
  if (params.Marker !== undefined && params.Marker !== '') {
    start = upperBound(sorted, key, decodeMarker(action, params.Marker));
  }
  const size = pageSize(maxItems, ctx);
  const items = sorted.slice(start, start + size);
  const truncated = start + items.length < sorted.length;
  const last = items[items.length - 1];
  const xml =
    truncated && last !== undefined
      ? `<IsTruncated>true</IsTruncated>${el('Marker', encodeMarker(action, key(last)))}`
      : '<IsTruncated>false</IsTruncated>';
  return { items, xml };
}
