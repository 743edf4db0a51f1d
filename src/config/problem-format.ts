// ajv's errors turned into one line per problem, naming the key path (sinks[1].retry.max_attempts) and what
// was expected, with the noise of aggregates (oneOf, not) and of consequential errors left out.
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { formatKeyPath, pointerToSegments, type PathSegment } from './key-path.js';

export interface ConfigProblem {
  /** JSON pointer of the key concerned. */
  pointer: string;
  message: string;
}

type SchemaObject = Record<string, unknown>;

export interface FormatContext {
  ajv: Ajv;
  /** The validated value the error paths point into. */
  root: unknown;
  /** True for values substituted from the environment or a file: never quoted. */
  hidden: (pointer: string) => boolean;
  /** True for secret keys: never quoted. */
  isSecret: (pointer: string) => boolean;
  /** The full schema id of an error's schema path (ajv gives paths inside a referenced schema as "#/..."). */
  locate: (schemaPath: string, schema: unknown) => string;
}

function keyName(pointer: string, extra?: string): string {
  const segments: PathSegment[] = pointerToSegments(pointer);
  if (extra !== undefined) segments.push(extra);
  return segments.length === 0 ? 'the top level' : formatKeyPath(segments);
}

function describe(ctx: FormatContext, value: unknown, pointer: string): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // A secret written as a number (an unquoted token) is still a secret: only its type is told.
  const secret = ctx.isSecret(pointer) || ctx.hidden(pointer);
  if (typeof value === 'string') {
    if (secret) return `a substituted or secret string of ${value.length} characters`;
    const shown = withoutUserinfo(value);
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
  }
  return secret ? `a substituted or secret ${typeof value}` : `${typeof value} ${String(value)}`;
}

/** A URL's user and password (https://user:password@host) are never quoted back. */
function withoutUserinfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1***@');
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping of keys',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

export function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const s of pointerToSegments(pointer)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[String(s)];
  }
  return v;
}

function messageFor(ctx: FormatContext, e: ErrorObject): string {
  const at = keyName(e.instancePath);
  const got = describe(ctx, e.data, e.instancePath);
  const parent = (e.parentSchema ?? {}) as SchemaObject;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required key ${keyName(e.instancePath, String(p.missingProperty))}`;
    case 'additionalProperties': {
      const allowed = Object.keys((parent.properties ?? {}) as SchemaObject);
      const where = e.instancePath === '' ? '' : ` in ${at}`;
      return `unknown key ${keyName(e.instancePath, String(p.additionalProperty))} (allowed keys${where}: ${allowed.join(', ')})`;
    }
    case 'dependencies':
    case 'dependentRequired':
      return `${keyName(e.instancePath, String(p.missingProperty))} is required when ${String(p.property)} is set`;
    case 'type': {
      const expected = typeof parent['x-expected'] === 'string' ? parent['x-expected'] : typeName(p.type);
      return `${at} must be ${expected} (got ${got})`;
    }
    case 'enum':
      return `${at} must be one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')} (got ${got})`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)} (got ${got})`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      const range =
        typeof parent.minimum === 'number' && typeof parent.maximum === 'number'
          ? `between ${parent.minimum} and ${parent.maximum}`
          : `${op} ${String(p.limit)}`;
      return `${at} must be ${range} (got ${got})`;
    }
    case 'minLength':
      return p.limit === 1
        ? `${at} must not be empty`
        : `${at} must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `${at} must be at most ${String(p.limit)} characters long`;
    case 'pattern':
      return `${at} must be ${typeof parent['x-expected'] === 'string' ? parent['x-expected'] : `a string matching ${String(p.pattern)}`} (got ${got})`;
    case 'format':
      return `${at} must be a valid ${String(p.format)} (got ${got})`;
    case 'minItems':
      return `${at} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${at} must have at most ${String(p.limit)} items`;
    case 'uniqueItems':
      return `${at} must not contain duplicates`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

const AGGREGATES = new Set(['oneOf', 'anyOf', 'not']);

function under(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

/** The branches of a oneOf/anyOf whose `type` property accepts the value's `type`, by index. */
function discriminatedBranches(
  ctx: FormatContext,
  e: ErrorObject,
  value: unknown,
): { matching: number[]; allowed: string[] } | undefined {
  const branches = e.schema as unknown[];
  if (!Array.isArray(branches)) return undefined;
  const where = ctx.locate(e.schemaPath, e.schema);
  const base = where.slice(0, where.indexOf('#'));
  const allowed: string[] = [];
  const matching: number[] = [];
  branches.forEach((branch, i) => {
    let schema = branch as SchemaObject;
    if (typeof schema.$ref === 'string') {
      const ref = schema.$ref.startsWith('#') ? `${base}${schema.$ref}` : schema.$ref;
      schema = (ctx.ajv.getSchema(ref)?.schema ?? {}) as SchemaObject;
    }
    const typeSchema = ((schema.properties ?? {}) as SchemaObject).type as SchemaObject | undefined;
    const values =
      typeSchema?.const !== undefined ? [typeSchema.const] : (typeSchema?.enum as unknown[] | undefined);
    if (values === undefined) return;
    allowed.push(...values.map(String));
    const type = (value as SchemaObject | null)?.type;
    if (values.includes(type)) matching.push(i);
  });
  return allowed.length === 0 ? undefined : { matching, allowed };
}

/** One problem per mistake, naming the key and what was expected, from ajv's errors on `ctx.root`. */
export function formatProblems(ctx: FormatContext, errors: readonly ErrorObject[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const suppressedSchemaPaths: string[] = [];
  const suppressedInstances: string[] = [];

  // Aggregates first, outermost first: they decide which inner errors are noise.
  const aggregates = errors
    .filter((e) => AGGREGATES.has(e.keyword))
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const e of aggregates) {
    if (suppressedInstances.some((p) => under(e.instancePath, p) && e.instancePath !== p)) continue;
    const parent = (e.parentSchema ?? {}) as SchemaObject;
    if (typeof parent['x-message'] === 'string') {
      problems.push({
        pointer: e.instancePath,
        message: `${keyName(e.instancePath)}: ${parent['x-message']}`,
      });
      suppressedSchemaPaths.push(e.schemaPath);
      continue;
    }
    if (e.keyword === 'not') continue;
    const value = valueAt(ctx.root, e.instancePath);
    const branches = discriminatedBranches(ctx, e, value);
    if (branches === undefined) continue;
    suppressedInstances.push(e.instancePath);
    const type = (value as SchemaObject | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({
        pointer: e.instancePath,
        message: `${keyName(e.instancePath)} must be a mapping of keys (got ${describe(ctx, value, e.instancePath)})`,
      });
    } else if (type === undefined) {
      problems.push({
        pointer: e.instancePath,
        message: `missing required key ${keyName(e.instancePath, 'type')} (one of: ${branches.allowed.join(', ')})`,
      });
    } else if (branches.matching.length === 0) {
      problems.push({
        pointer: `${e.instancePath}/type`,
        message: `${keyName(e.instancePath, 'type')} must be one of: ${branches.allowed.join(', ')} (got ${describe(ctx, type, `${e.instancePath}/type`)})`,
      });
    } else {
      // Re-validate against the branch chosen by `type` alone, so that other branches' complaints stay out.
      const branchRef = `${ctx.locate(e.schemaPath, e.schema)}/${branches.matching[0]}`;
      const branch = ctx.ajv.getSchema(branchRef) as ValidateFunction | undefined;
      if (branch !== undefined && !branch(value)) {
        const inner = (branch.errors ?? []).map((b) => ({
          ...b,
          instancePath: `${e.instancePath}${b.instancePath}`,
        }));
        problems.push(...formatProblems(ctx, inner));
      }
    }
  }

  // A value of the wrong type fails its other constraints too: the type error alone says what is wrong.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    if (AGGREGATES.has(e.keyword) || e.keyword === 'if') continue;
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    if (suppressedSchemaPaths.some((s) => e.schemaPath.startsWith(`${s}/`))) continue;
    if (suppressedInstances.some((p) => under(e.instancePath, p))) continue;
    problems.push({ pointer: e.instancePath, message: messageFor(ctx, e) });
  }
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined);
}
