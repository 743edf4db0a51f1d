import type { CodeOptions } from 'ajv';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import type { OcsfVersion } from '../config/config.js';
import { packageRoot } from '../package-root.js';
import {
  ajvCompiler,
  loadStandaloneValidators,
  validatorFingerprint,
  withFingerprint,
} from '../standalone-validator.js';
import { OCSF_ANNOTATION_KEYWORDS, type JsonSchema } from './schema-compiler.js';
import { loadCompiledSchema } from './schema-files.js';
import { createSemanticCheck, type SemanticCheck } from './semantic-check.js';

// One compiled validator per OCSF version per process: compiling the schema costs a third of a second,
// checking an event afterwards a few microseconds. The build compiles them ahead of time
// (src/standalone-validator.ts); a process compiles a schema only when no matching build exists.

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

export interface EventValidator {
  readonly version: OcsfVersion;
  validate(event: unknown): ValidationResult;
  /** True when the schema check is the build's precompiled one (src/standalone-validator.ts). */
  readonly precompiled: boolean;
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return `${path}: must not have property ${JSON.stringify(params.additionalProperty)}`;
  }
  if (error.keyword === 'enum') {
    return `${path}: ${error.message ?? 'invalid'} ${JSON.stringify(params.allowedValues)}`;
  }
  return `${path}: ${error.message ?? error.keyword}`;
}

/** The part of an ajv validate function the validator uses (ajv's own, or its standalone code). */
interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// strictRequired off: OCSF constraints and profile rules name attributes in `required` of subschemas that
// do not repeat the properties (they are defined by the enclosing object).
const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
  keywords: OCSF_ANNOTATION_KEYWORDS,
} as const;

function eventAjv(code?: CodeOptions): Ajv2020 {
  const { Ajv2020, addFormats } = ajvCompiler();
  const ajv = new Ajv2020({ ...AJV_OPTIONS, keywords: [...AJV_OPTIONS.keywords], ...(code ? { code } : {}) });
  addFormats(ajv);
  return ajv;
}

function moduleName(version: OcsfVersion): string {
  return `ocsf-${version}`;
}

function fingerprintOf(schema: JsonSchema): string {
  return validatorFingerprint([AJV_OPTIONS, schema]);
}

/** The CommonJS module the build writes for `version` (scripts/write-validators.ts). */
export function eventValidatorModule(
  version: OcsfVersion,
  schema: JsonSchema,
): { name: string; code: string } {
  const { _, standaloneCode } = ajvCompiler();
  const ajv = eventAjv({ source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` });
  const code = standaloneCode(ajv, ajv.compile(schema));
  return { name: moduleName(version), code: withFingerprint(code, fingerprintOf(schema)) };
}

function prebuiltCheck(
  version: OcsfVersion,
  schema: JsonSchema,
  root: string | undefined,
): SchemaCheck | undefined {
  if (root === undefined) return undefined;
  const built = loadStandaloneValidators(root, moduleName(version), fingerprintOf(schema))?.default;
  return typeof built === 'function' ? (built as SchemaCheck) : undefined;
}

/**
 * Builds a validator for a compiled schema (tests pass their own; the product uses createEventValidator).
 * With `root`, the build's precompiled validator under it is used when it was compiled from this schema.
 */
export function compileEventValidator(
  version: OcsfVersion,
  schema: JsonSchema,
  root?: string,
): EventValidator {
  const prebuilt = prebuiltCheck(version, schema, root);
  const check: SchemaCheck = prebuilt ?? eventAjv().compile(schema);
  const semantic: SemanticCheck = createSemanticCheck(schema);
  return {
    version,
    precompiled: prebuilt !== undefined,
    validate(event: unknown): ValidationResult {
      const errors: string[] = [];
      if (!check(event)) errors.push(...(check.errors ?? []).map(describe));
      errors.push(...semantic(event));
      // An event declaring another version than the one it was checked against would mislead the SIEM.
      const declared = (event as { metadata?: { version?: unknown } } | null)?.metadata?.version;
      if (declared !== undefined && declared !== version) {
        errors.push(
          `/metadata/version: ${JSON.stringify(declared)} is not the validated version "${version}"`,
        );
      }
      return errors.length === 0 ? { valid: true } : { valid: false, errors: [...new Set(errors)] };
    },
  };
}

const validators = new Map<OcsfVersion, EventValidator>();

/** The shared validator for `version`, compiled on first use from schemas/ocsf/<version>/. */
export function createEventValidator(version: OcsfVersion): EventValidator {
  let validator = validators.get(version);
  if (!validator) {
    validator = compileEventValidator(version, loadCompiledSchema(version), packageRoot);
    validators.set(version, validator);
  }
  return validator;
}

/** Mean validation cost in microseconds per event over `iterations` passes (for the benchmark). */
export function measureValidation(validator: EventValidator, events: unknown[], iterations = 10): number {
  if (events.length === 0 || iterations <= 0) return 0;
  const start = process.hrtime.bigint();
  for (let pass = 0; pass < iterations; pass += 1) for (const event of events) validator.validate(event);
  const elapsedNs = Number(process.hrtime.bigint() - start);
  return elapsedNs / 1000 / (events.length * iterations);
}
