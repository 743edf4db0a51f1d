// Which config values are secrets: their values are redacted from logs, never echoed in errors, and a
// warning is given when they are written in the file in clear. A key is declared secret in its schema
// (`writeOnly: true`, which editors also understand); a name that looks like a credential counts too, which
// covers the keys of free-form maps (headers, structured data) that have no schema of their own.
import type { PathSegment } from './key-path.js';
import { schemaDocuments } from './schema-documents.js';

const SECRET_KEY =
  /(^|_)(secret_access_key|session_token|token|intake_key|api_key|apikey|password|passphrase|private_key|secret)$/i;
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$|token|secret|key|auth/i;

/** Names of the properties marked `writeOnly` anywhere in a schema document. */
export function writeOnlyKeys(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) writeOnlyKeys(s, found);
  else if (typeof schema === 'object' && schema !== null) {
    const properties = (schema as { properties?: unknown }).properties;
    if (typeof properties === 'object' && properties !== null) {
      for (const [name, s] of Object.entries(properties)) {
        if ((s as { writeOnly?: unknown }).writeOnly === true) found.add(name);
      }
    }
    for (const value of Object.values(schema)) writeOnlyKeys(value, found);
  }
  return found;
}

let declared: ReadonlySet<string> | undefined;

/** The secret keys the schemas declare. */
export function declaredSecretKeys(): ReadonlySet<string> {
  const { config, sinks } = schemaDocuments();
  declared ??= writeOnlyKeys([config, sinks]);
  return declared;
}

export function isSecretPath(segments: readonly PathSegment[]): boolean {
  const last = segments[segments.length - 1];
  if (typeof last !== 'string') return false;
  if (segments[segments.length - 2] === 'headers' && segments[0] === 'sinks') return SECRET_HEADER.test(last);
  return declaredSecretKeys().has(last) || SECRET_KEY.test(last);
}

/** The secret parts of a secret value: the value itself, and the credential after an auth scheme. */
export function secretParts(value: string): string[] {
  const parts = [value];
  const scheme = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S.*)$/.exec(value);
  if (scheme?.[1] !== undefined) parts.push(scheme[1]);
  return parts;
}

/** The password of a URL with credentials in it (https://user:password@host), if any. */
export function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(value)) return undefined;
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}
