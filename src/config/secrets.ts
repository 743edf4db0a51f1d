// Collects the secret values of a validated config (for log redaction) and the secret keys written in clear.
import { formatKeyPath, segmentsToPointer, type PathSegment } from './key-path.js';
import { isSecretPath, secretParts, urlPassword } from './secret-keys.js';

export interface CollectedSecrets {
  secrets: string[];
  /** Key paths of secrets written in the file itself rather than taken from ${ENV} or ${file:}. */
  clearText: string[];
}

export function collectSecrets(config: unknown, substituted: ReadonlySet<string>): CollectedSecrets {
  const secrets = new Set<string>();
  const clearText: string[] = [];
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      const fromFile = !substituted.has(segmentsToPointer(path));
      // Every header value is redacted (the sinks treat them all as secrets); only credential-like ones warn.
      if (path[0] === 'sinks' && path[path.length - 2] === 'headers' && value !== '') secrets.add(value);
      if (isSecretPath(path) && value !== '') {
        for (const part of secretParts(value)) secrets.add(part);
        if (fromFile) clearText.push(formatKeyPath(path));
        return;
      }
      const password = urlPassword(value);
      if (password !== undefined) {
        secrets.add(password);
        if (fromFile) clearText.push(formatKeyPath(path));
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(config, []);
  return { secrets: [...secrets], clearText };
}
