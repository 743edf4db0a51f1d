// Change detection for the full mode: a hash of what an event says about the identity, minus the fields that
// change on their own (last-used times, report ages, per-event ids), so that a user is reported as modified
// only when something about it changed.
import { createHash } from 'node:crypto';

/**
 * Dotted paths from the event root; `[]` after a key means "in every element of that array". Paths outside
 * `user` and `unmapped.aws` are listed for completeness: those parts are never hashed.
 */
export const DEFAULT_FINGERPRINT_IGNORE: readonly string[] = [
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

interface Segment {
  key: string;
  each: boolean;
}

function parsePath(path: string): Segment[] {
  return path
    .split('.')
    .filter((s) => s.length > 0)
    .map((s) => (s.endsWith('[]') ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function removePath(target: unknown, segments: readonly Segment[]): void {
  const [head, ...rest] = segments;
  if (head === undefined || !isObject(target) || !(head.key in target)) return;
  if (rest.length === 0 && !head.each) {
    delete target[head.key];
    return;
  }
  const child = target[head.key];
  if (head.each) {
    if (!Array.isArray(child)) return;
    if (rest.length === 0) delete target[head.key];
    else for (const element of child) removePath(element, rest);
  } else {
    removePath(child, rest);
  }
}

/**
 * JSON with sorted keys. Arrays are sorted too: AWS lists groups, policies and keys in no promised order, and
 * no array of a user object carries meaning in its order, so a reordering must not read as a change.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).sort().join(',')}]`;
  if (isObject(value)) {
    const parts = Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (hex) of the event's `user` and `unmapped.aws`, without the default and the given ignored paths. */
export function fingerprint(event: Record<string, unknown>, ignorePaths: readonly string[] = []): string {
  const unmapped = isObject(event.unmapped) ? event.unmapped : {};
  // A JSON round trip is a deep copy we may delete from, and drops undefined values like JSON.stringify does.
  const subject = JSON.parse(
    JSON.stringify({ user: event.user ?? null, unmapped: { aws: unmapped.aws ?? null } }),
  ) as Record<string, unknown>;
  for (const path of [...DEFAULT_FINGERPRINT_IGNORE, ...ignorePaths]) removePath(subject, parsePath(path));
  return createHash('sha256').update(canonicalJson(subject)).digest('hex');
}
