// Reading the config: YAML -> ${...} substitution -> schema validation with defaults -> typed Config.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode } from 'yaml';
import type { Config } from './config.js';
import { ConfigError } from './errors.js';
import { checkSinkRequirements } from './sink-requirements.js';
import { pointerToSegments } from './key-path.js';
import { defaultConfigValidator, type ConfigProblem, type ConfigValidator } from './schema-validator.js';
import { collectSecrets } from './secrets.js';
import { substitute } from './substitute.js';

export interface ConfigSourceOptions {
  /** Folder relative paths are resolved against. */
  baseDir: string;
  /** Absolute path of the file the object came from. */
  source?: string;
  env?: NodeJS.ProcessEnv;
  /** How messages name the config (default: the source file name, else "config"). */
  displayName?: string;
  /** Validator to use (tests); default: the config and sinks schemas (config-schema.ts, sinks/). */
  validator?: ConfigValidator;
  /** Line of a key, for messages (set when the object came from YAML). */
  lineOf?: (pointer: string) => number | undefined;
}

export interface LoadConfigOptions {
  validator?: ConfigValidator;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * A value that is exactly one ${...} reference arrives as a string; where the schema wants a number or a
 * boolean, take the referenced text as one (as YAML would have, had it been written in the file).
 */
function coerceSubstituted(
  data: unknown,
  problems: readonly ConfigProblem[],
  wholeValue: ReadonlySet<string>,
): boolean {
  let changed = false;
  for (const p of problems) {
    if (!wholeValue.has(p.pointer)) continue;
    const segments = pointerToSegments(p.pointer);
    const key = segments.pop();
    let parent = data as Record<string, unknown>;
    for (const s of segments) parent = parent[String(s)] as Record<string, unknown>;
    const raw = parent[String(key)];
    if (typeof raw !== 'string') continue;
    if (/must be (an integer|a number)/.test(p.message) && NUMBER.test(raw.trim())) {
      parent[String(key)] = Number(raw.trim());
      changed = true;
    } else if (/must be true or false/.test(p.message) && /^(true|false)$/i.test(raw.trim())) {
      parent[String(key)] = raw.trim().toLowerCase() === 'true';
      changed = true;
    }
  }
  return changed;
}

/** Builds the typed Config from an already parsed object (YAML, JSON or code). */
export function configFromObject(obj: unknown, options: ConfigSourceOptions): Config {
  const origin = options.displayName ?? (options.source !== undefined ? basename(options.source) : 'config');
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ConfigError(
      `${origin}: the top level must be a mapping of keys (found ${kindOf(obj)})`,
      origin,
    );
  }
  const env = options.env ?? process.env;
  const { value, substituted, wholeValue } = substitute(obj, { env, baseDir: options.baseDir, origin });
  const validator = options.validator ?? defaultConfigValidator();
  const hidden = (pointer: string): boolean => substituted.has(pointer);
  let problems = validator.validate(value, hidden);
  if (problems.length > 0 && coerceSubstituted(value, problems, wholeValue))
    problems = validator.validate(value, hidden);
  if (problems.length > 0) {
    const located = problems.map((p) => ({ ...p, line: options.lineOf?.(p.pointer) }));
    located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const lines = located
      .slice(0, 10)
      .map((p) => `${origin}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`);
    if (problems.length > 10) lines.push(`${origin}: ... and ${problems.length - 10} more problems`);
    throw new ConfigError(lines.join('\n'), origin);
  }
  const data = value as Omit<Config, 'source' | 'baseDir' | 'secrets' | 'warnings'>;
  checkSinkRequirements(data, origin);
  const { secrets, clearText } = collectSecrets(value, substituted);
  const warnings = clearText.map(
    (key) =>
      `${origin}: ${key} is a secret written in clear in the file; use \${ENV_VAR} or \${file:/path} instead`,
  );
  return {
    ...data,
    source: options.source,
    baseDir: options.baseDir,
    state: { ...data.state, path: resolve(options.baseDir, data.state.path) },
    secrets,
    warnings,
  };
}

/** Parses YAML text (already read from `source`) into a Config. */
export function configFromYaml(text: string, options: ConfigSourceOptions): Config {
  const origin = options.displayName ?? (options.source !== undefined ? basename(options.source) : 'config');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0];
    throw new ConfigError(`${origin}:${pos.line}:${pos.col}: invalid YAML: ${reason}`, origin);
  }
  if (doc.contents === null) throw new ConfigError(`${origin}: the file is empty`, origin);
  if (!isMap(doc.contents)) {
    throw new ConfigError(
      `${origin}: the top level must be a mapping of keys (found ${kindOf(doc.toJS())})`,
      origin,
    );
  }
  const lineOf = (pointer: string): number | undefined => {
    const segments = pointerToSegments(pointer);
    // A key that is missing is reported at its parent; walk up to the nearest node that exists.
    for (let n = segments.length; n >= 0; n -= 1) {
      const node = doc.getIn(segments.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return configFromObject(doc.toJS({ maxAliasCount: 100 }), { ...options, displayName: origin, lineOf });
}

/** Reads and validates a YAML config file. Throws ConfigError (exit code 2) naming the file and the key. */
export function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Config {
  const source = resolve(path);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`config file ${path} not found`, path);
    throw new ConfigError(`cannot read config file ${path}: ${code ?? (err as Error).message}`, path);
  }
  return configFromYaml(text, {
    baseDir: dirname(source),
    source,
    env,
    displayName: path,
    validator: options.validator,
  });
}
