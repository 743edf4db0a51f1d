import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OcsfVersion } from '../config/config.js';
import { OCSF_ANNOTATION_KEYWORDS, type JsonSchema } from './schema-compiler.js';
import { loadCompiledSchema } from './schema-files.js';
import { createSemanticCheck, type SemanticCheck } from './semantic-check.js';

// One compiled validator per OCSF version per process: compiling the schema costs about a second, checking
// an event afterwards a few microseconds.

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

export interface EventValidator {
  readonly version: OcsfVersion;
  validate(event: unknown): ValidationResult;
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

/** Builds a validator for a compiled schema (tests pass their own; the product uses createEventValidator). */
export function compileEventValidator(version: OcsfVersion, schema: JsonSchema): EventValidator {
  // strictRequired off: OCSF constraints and profile rules name attributes in `required` of subschemas that
  // do not repeat the properties (they are defined by the enclosing object).
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    keywords: OCSF_ANNOTATION_KEYWORDS,
  });
  addFormats.default(ajv);
  const check: ValidateFunction = ajv.compile(schema);
  const semantic: SemanticCheck = createSemanticCheck(schema);
  return {
    version,
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
    validator = compileEventValidator(version, loadCompiledSchema(version));
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
