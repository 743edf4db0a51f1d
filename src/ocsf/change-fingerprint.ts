// Change detection: a hash of what an event says about the identity, minus the fields that change on their
// own (last-used times, report ages, per-event ids), so that a user is reported as modified only when
// something about it changed. Which paths are volatile is a fact about the events this product maps, so it
// lives beside the mapping; the checkpoint only stores the digest.
import * as crypto from 'node:crypto';

/**
 * Dotted paths from the event root; `[]` after a key means "in every element of that array". Paths outside
 * `user` and `unmapped.aws` are listed for completeness: those parts are never hashed.
 */
export const VOLATILE_EVENT_PATHS: readonly string[] = [
  'time',
  'metadata.uid',
  'metadata.correlation_uid',
  'user.ldap_person.last_login_time',
  'user.programmatic_credentials[].last_used_time',
  'unmapped.aws.access_keys[].last_used_time',
  'unmapped.aws.access_keys[].last_used_service',
  'unmapped.aws.access_keys[].last_used_region',
  'unmapped.aws.last_used_time',
  'unmapped.aws.credential_report_generated_time',
  'unmapped.aws.credential_report_age_seconds',
];

/**
 * The ignore paths compiled into a tree. At an object, `drop` names the keys left out; `into` the keys whose
 * object value has ignored paths below; `each` the keys whose array elements do. `a[]` drops `a` only when it
 * holds an array (what deleting "every element" of something else would mean is nothing).
 */
interface IgnoreNode {
  /** Every key named in one of the four below: most keys of an event are in none, one lookup tells. */
  named: Set<string>;
  drop: Set<string>;
  dropArrays: Set<string>;
  into: Map<string, IgnoreNode>;
  each: Map<string, IgnoreNode>;
}

function ignoreNode(): IgnoreNode {
  return { named: new Set(), drop: new Set(), dropArrays: new Set(), into: new Map(), each: new Map() };
}

function compileIgnore(paths: readonly string[]): IgnoreNode {
  const root = ignoreNode();
  for (const path of paths) {
    const segments = path.split('.').filter((s) => s.length > 0);
    let node = root;
    segments.forEach((segment, i) => {
      const each = segment.endsWith('[]');
      const key = each ? segment.slice(0, -2) : segment;
      node.named.add(key);
      if (i === segments.length - 1) {
        (each ? node.dropArrays : node.drop).add(key);
        return;
      }
      const children = each ? node.each : node.into;
      let child = children.get(key);
      if (child === undefined) children.set(key, (child = ignoreNode()));
      node = child;
    });
  }
  return root;
}

const compiled = new Map<string, IgnoreNode>();

/** Ignore lists come from the config: a handful per process, each compiled once. */
function ignoreTree(extra: readonly string[]): IgnoreNode {
  const cacheKey = extra.join('\n');
  let tree = compiled.get(cacheKey);
  if (tree === undefined) {
    const paths = [...VOLATILE_EVENT_PATHS, ...extra];
    // An older OCSF version carries some user attributes under unmapped.ocsf.user (same path below it).
    tree = compileIgnore([
      ...paths,
      ...paths.filter((p) => p.startsWith('user.')).map((p) => `unmapped.ocsf.${p}`),
    ]);
    compiled.set(cacheKey, tree);
  }
  return tree;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.stringify of a key, kept: events reuse a small vocabulary of keys. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 4096;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** What JSON.stringify writes for a value that is no object or array (undefined and functions: null). */
function scalarJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      // Most strings (names, ARNs, ids) need no escape: quoting them by hand is what JSON.stringify writes.
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      // String(-0) is "0" as in JSON; NaN and the infinities are null in JSON.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value) ?? 'null';
  }
}

/**
 * Sorts strings in place by UTF-16 code units, as Array.prototype.sort() without a comparator does. The lists
 * here are short (an object's keys, a user's groups): insertion sort with `<` is several times faster than
 * the generic sort, which converts both sides of each comparison to strings first.
 */
function sortStrings(list: string[]): string[] {
  if (list.length > 32) return list.sort();
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > item) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}

function canonicalArray(value: readonly unknown[], ignore: IgnoreNode | undefined): string {
  // Ignore paths descend into the elements that are objects, never into nested arrays.
  if (value.length === 0) return '[]';
  if (value.length === 1) return `[${canonicalElement(value[0], ignore)}]`;
  const parts: string[] = [];
  for (const e of value) parts.push(canonicalElement(e, ignore));
  return `[${sortStrings(parts).join(',')}]`;
}

function canonicalElement(e: unknown, ignore: IgnoreNode | undefined): string {
  if (typeof e !== 'object' || e === null) return scalarJson(e);
  return canonicalJson(e, isObject(e) ? ignore : undefined);
}

function canonicalObject(value: Record<string, unknown>, ignore: IgnoreNode | undefined): string {
  if (typeof value.toJSON === 'function') return canonicalJson((value.toJSON as () => unknown)(), ignore);
  const keys = sortStrings(Object.keys(value));
  let out = '';
  for (const k of keys) {
    const v = value[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (typeof v !== 'object' || v === null) {
      if (ignore === undefined || !ignore.named.has(k) || !ignore.drop.has(k))
        out += `${out.length === 0 ? '' : ','}${quotedKey(k)}:${scalarJson(v)}`;
      continue;
    }
    let below: IgnoreNode | undefined;
    if (ignore !== undefined && ignore.named.has(k)) {
      if (ignore.drop.has(k)) continue;
      if (Array.isArray(v)) {
        if (ignore.dropArrays.has(k)) continue;
        below = ignore.each.get(k);
        // Element paths apply to the array's elements; object paths never descend into an array.
      } else if (isObject(v)) {
        below = ignore.into.get(k);
      }
    }
    out += `${out.length === 0 ? '' : ','}${quotedKey(k)}:${canonicalJson(v, below)}`;
  }
  return `{${out}}`;
}

/**
 * JSON with sorted keys. Arrays are sorted too: AWS lists groups, policies and keys in no promised order, and
 * no array of a user object carries meaning in its order, so a reordering must not read as a change.
 * `ignore` leaves paths out on the way (no copy of the value is made). It runs once per identity per run,
 * so it builds the string directly (no intermediate arrays for objects).
 */
export function canonicalJson(value: unknown, ignore?: IgnoreNode): string {
  if (typeof value !== 'object' || value === null) return scalarJson(value);
  if (Array.isArray(value)) return canonicalArray(value, ignore);
  return canonicalObject(value as Record<string, unknown>, ignore);
}

/** crypto.hash (Node >= 20.12) hashes in one call, about twice as fast as a Hash object for a short input. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

function sha256Hex(text: string): string {
  return oneShotHash !== undefined
    ? oneShotHash('sha256', text)
    : crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * sha256 (hex) of the event's `user`, `unmapped.aws` and `unmapped.ocsf` (where an older OCSF version moved
 * user attributes it lacks, such as has_mfa in 1.3.0), without the volatile and the given ignored paths
 * (`state.fingerprint_ignore`). The digests stored by earlier releases must keep matching: change nothing
 * here that changes a digest, or every identity would read as modified.
 */
export function changeFingerprint(
  event: Readonly<Record<string, unknown>>,
  ignorePaths: readonly string[] = [],
): string {
  const unmapped = isObject(event.unmapped) ? event.unmapped : {};
  // Without moved attributes the subject (and so every stored digest) stays what it was.
  const moved = unmapped.ocsf === undefined ? {} : { ocsf: unmapped.ocsf };
  const subject = { user: event.user ?? null, unmapped: { aws: unmapped.aws ?? null, ...moved } };
  return sha256Hex(canonicalJson(subject, ignoreTree(ignorePaths)));
}
