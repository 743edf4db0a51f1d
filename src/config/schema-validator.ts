// Validation of a config object against schemas/config.schema.json (+ schemas/sinks.schema.json, which it
// refers to), both generated from the TypeBox sources, with defaults filled in and one line per problem.
import type { Ajv, AnySchema, CodeOptions, ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../package-root.js';
import {
  ajvCompiler,
  loadStandaloneValidators,
  validatorFingerprint,
  withFingerprint,
} from '../standalone-validator.js';
import { pointerToSegments } from './key-path.js';
import { formatProblems, valueAt, type ConfigProblem, type FormatContext } from './problem-format.js';
import { CONFIG_SCHEMA_ID, SINKS_SCHEMA_ID, schemaDocuments } from './schema-documents.js';
import { isSecretPath } from './secret-keys.js';

export type { ConfigProblem } from './problem-format.js';

export interface ConfigValidator {
  /**
   * Validates in place (fills defaults); returns the problems, empty when valid. Values at pointers for
   * which `hidden` is true (substituted from the environment or a file) are never quoted in messages.
   */
  validate(data: unknown, hidden?: (pointer: string) => boolean): ConfigProblem[];
  /** Validates one entry of sinks[] in place (fills defaults); key paths in messages start at the entry. */
  validateSink(entry: unknown): ConfigProblem[];
  /** True when the checks are the build's precompiled ones (src/standalone-validator.ts). */
  readonly precompiled: boolean;
}

type SchemaObject = Record<string, unknown>;

/** The part of an ajv validate function the validator uses (ajv's own, or its standalone code). */
interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  useDefaults: true,
  discriminator: true,
  strictTypes: false,
  strictRequired: false,
  strictTuples: false,
} as const;

const STANDALONE_NAME = 'config';

function configAjv(documents: Record<string, SchemaObject>, code?: CodeOptions): Ajv {
  const { Ajv, addFormats } = ajvCompiler();
  const ajv = new Ajv({ ...AJV_OPTIONS, ...(code ? { code } : {}) });
  addFormats(ajv);
  // Annotations read by the error formatter (and ignored by editors).
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  for (const [id, doc] of Object.entries(documents)) ajv.addSchema(doc as AnySchema, id);
  return ajv;
}

function fingerprintOf(documents: Record<string, SchemaObject>): string {
  return validatorFingerprint([AJV_OPTIONS, documents]);
}

function shippedDocuments(): Record<string, SchemaObject> {
  const { config, sinks } = schemaDocuments();
  return { [CONFIG_SCHEMA_ID]: config, [SINKS_SCHEMA_ID]: sinks };
}

/** The CommonJS module the build writes for the shipped config schemas (scripts/write-validators.ts). */
export function configValidatorModule(): { name: string; code: string } {
  const documents = shippedDocuments();
  const { _, standaloneCode } = ajvCompiler();
  const ajv = configAjv(documents, {
    source: true,
    formats: _`require("ajv-formats/dist/formats").fullFormats`,
  });
  const code = standaloneCode(ajv, { config: CONFIG_SCHEMA_ID, sink: SINKS_SCHEMA_ID });
  return { name: STANDALONE_NAME, code: withFingerprint(code, fingerprintOf(documents)) };
}

/** The build's precompiled checks of the shipped schemas, when they were compiled from these documents. */
function prebuiltChecks(
  root: string,
  documents: Record<string, SchemaObject>,
): { config: SchemaCheck; sink: SchemaCheck } | undefined {
  const built = loadStandaloneValidators(root, STANDALONE_NAME, fingerprintOf(documents));
  if (typeof built?.config !== 'function' || typeof built.sink !== 'function') return undefined;
  return { config: built.config as SchemaCheck, sink: built.sink as SchemaCheck };
}

/**
 * A validator of `schemas` (the shipped ones by default). The build's precompiled checks under
 * `prebuiltRoot` are used when they were compiled from exactly these documents.
 */
export function createConfigValidator(
  schemas: { config?: SchemaObject; sinks?: SchemaObject } = {},
  prebuiltRoot: string = packageRoot,
): ConfigValidator {
  const documents: Record<string, SchemaObject> = {
    [CONFIG_SCHEMA_ID]: schemas.config ?? schemaDocuments().config,
    [SINKS_SCHEMA_ID]: schemas.sinks ?? schemaDocuments().sinks,
  };
  const prebuilt = prebuiltChecks(prebuiltRoot, documents);
  // With prebuilt checks, ajv itself is needed only to explain a failure (the formatter resolves branches).
  let ajv: Ajv | undefined;
  const fullAjv = (): Ajv => (ajv ??= configAjv(documents));
  const validateConfig: SchemaCheck =
    prebuilt?.config ?? (fullAjv().getSchema(CONFIG_SCHEMA_ID) as ValidateFunction);
  const validateEntry: SchemaCheck =
    prebuilt?.sink ?? (fullAjv().getSchema(SINKS_SCHEMA_ID) as ValidateFunction);
  // ajv reports paths inside a referenced schema relative to that schema ("#/oneOf"): find which document.
  const locate = (schemaPath: string, schema: unknown): string => {
    const [id, fragment = ''] = schemaPath.split('#');
    if (id !== undefined && id !== '') return `${id}#${fragment}`;
    for (const [docId, doc] of Object.entries(documents)) {
      if (JSON.stringify(valueAt(doc, fragment)) === JSON.stringify(schema)) return `${docId}#${fragment}`;
    }
    return `${CONFIG_SCHEMA_ID}#${fragment}`;
  };
  const run = (
    fn: SchemaCheck,
    data: unknown,
    context: Pick<FormatContext, 'hidden' | 'isSecret'>,
  ): ConfigProblem[] =>
    fn(data) ? [] : formatProblems({ ajv: fullAjv(), root: data, locate, ...context }, fn.errors ?? []);
  return {
    precompiled: prebuilt !== undefined,
    validate: (data, hidden = () => false) =>
      run(validateConfig, data, { hidden, isSecret: (p) => isSecretPath(pointerToSegments(p)) }),
    validateSink: (entry) =>
      run(validateEntry, entry, {
        hidden: () => false,
        isSecret: (p) => isSecretPath(['sinks', 0, ...pointerToSegments(p)]),
      }),
  };
}

let defaultValidator: ConfigValidator | undefined;

export function defaultConfigValidator(): ConfigValidator {
  defaultValidator ??= createConfigValidator();
  return defaultValidator;
}
