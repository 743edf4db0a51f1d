// ${ENV_VAR}, ${ENV_VAR:-default} and ${file:/path} in string values (never in keys), before validation,
// so that the schema checks the values the tool will use. $${ stands for a literal ${.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { formatKeyPath, segmentsToPointer, type PathSegment } from './key-path.js';

export interface SubstitutionResult {
  value: unknown;
  /** Pointers of the strings that contained at least one reference. */
  substituted: Set<string>;
  /** Pointers of the strings that were exactly one reference (candidates for number/boolean coercion). */
  wholeValue: Set<string>;
}

export interface SubstitutionContext {
  env: NodeJS.ProcessEnv;
  baseDir: string;
  /** How errors name the config (the file name, or "config"). */
  origin: string;
}

// The last branch is a ${ left open: an error, never a literal (a typo must not ship a token as "${TOKEN").
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function resolveReference(inner: string, path: readonly PathSegment[], ctx: SubstitutionContext): string {
  const where = `${ctx.origin}: ${formatKeyPath(path)}`;
  if (inner.startsWith('file:')) {
    const file = inner.slice('file:'.length);
    if (file === '') throw new ConfigError(`${where}: \${file:} needs a path`, ctx.origin);
    const full = isAbsolute(file) ? file : resolve(ctx.baseDir, file);
    try {
      return readFileSync(full, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ConfigError(`${where}: cannot read \${file:${file}} (${full}): ${code}`, ctx.origin);
    }
  }
  const sep = inner.indexOf(':-');
  const name = sep === -1 ? inner : inner.slice(0, sep);
  if (!ENV_NAME.test(name)) {
    throw new ConfigError(
      `${where}: invalid reference \${${inner}} (expected \${NAME}, \${NAME:-default} or \${file:/path})`,
      ctx.origin,
    );
  }
  const value = ctx.env[name];
  if (sep !== -1) return value === undefined || value === '' ? inner.slice(sep + 2) : value;
  if (value === undefined)
    throw new ConfigError(`${where}: environment variable ${name} is not set`, ctx.origin);
  return value;
}

export function substitute(root: unknown, ctx: SubstitutionContext): SubstitutionResult {
  const substituted = new Set<string>();
  const wholeValue = new Set<string>();
  const walk = (value: unknown, path: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      let references = 0;
      const out = value.replace(REFERENCE, (match: string, inner: string | undefined) => {
        if (match === '$${') return '${';
        if (match === '${') {
          // The rest of the value is not quoted: it may be a secret.
          throw new ConfigError(
            `${ctx.origin}: ${formatKeyPath(path)}: a \${ without its closing } (expected \${NAME}, \${NAME:-default} or \${file:/path}; write $\${ for a literal \${)`,
            ctx.origin,
          );
        }
        references += 1;
        return resolveReference(inner ?? '', path, ctx);
      });
      if (references > 0) {
        const pointer = segmentsToPointer(path);
        substituted.add(pointer);
        if (/^\$\{[^}]*\}$/.test(value)) wholeValue.add(pointer);
      }
      return out;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return value;
  };
  return { value: walk(root, []), substituted, wholeValue };
}
