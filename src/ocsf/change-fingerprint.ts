// Change detection: a hash of what an event says about the identity, minus the fields that change on their
// own (last-used times, report ages, per-event ids), so that a user is reported as modified only when
// something about it changed. Which paths are volatile is a fact about the events this product maps, so it
// lives beside the mapping; the checkpoint only stores the digest.
import { createHash } from 'node:crypto';

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
  drop: Set<string>;
  dropArrays: Set<string>;
  into: Map<string, IgnoreNode>;
  each: Map<string, IgnoreNode>;
}

function ignoreNode(): IgnoreNode {
  return { drop: new Set(), dropArrays: new Set(), into: new Map(), each: new Map() };
}

function compileIgnore(paths: readonly string[]): IgnoreNode {
  const root = ignoreNode();
  for (const path of paths) {
    const segments = path.split('.').filter((s) => s.length > 0);
    let node = root;
    segments.forEach((segment, i) => {
      const each = segment.endsWith('[]');
      const key = each ? segment.slice(0, -2) : segment;
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

/**
 * JSON with sorted keys. Arrays are sorted too: AWS lists groups, policies and keys in no promised order, and
 * no array of a user object carries meaning in its order, so a reordering must not read as a change.
 * `ignore` leaves paths out on the way (no copy of the value is made).
 */
export function canonicalJson(value: unknown, ignore?: IgnoreNode): string {
  if (Array.isArray(value)) {
    const parts: string[] = [];
    // Ignore paths descend into the elements that are objects, never into nested arrays.
    for (const element of value) parts.push(canonicalJson(element, isObject(element) ? ignore : undefined));
    return `[${parts.sort().join(',')}]`;
  }
  if (isObject(value)) {
    if (typeof value.toJSON === 'function') return canonicalJson((value.toJSON as () => unknown)(), ignore);
    const parts: string[] = [];
    for (const k of Object.keys(value).sort()) {
      const v = value[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      let below: IgnoreNode | undefined;
      if (ignore !== undefined) {
        if (ignore.drop.has(k)) continue;
        if (Array.isArray(v)) {
          if (ignore.dropArrays.has(k)) continue;
          below = ignore.each.get(k);
          // Element paths apply to the array's elements; object paths never descend into an array.
        } else if (isObject(v)) {
          below = ignore.into.get(k);
        }
      }
      parts.push(`${JSON.stringify(k)}:${canonicalJson(v, below)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
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
  return createHash('sha256')
    .update(canonicalJson(subject, ignoreTree(ignorePaths)))
    .digest('hex');
}
