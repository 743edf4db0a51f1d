// Validation of a config object against schemas/config.schema.json (+ schemas/sinks.schema.json, which it
// refers to), both generated from the TypeBox sources, with defaults filled in and one line per problem.
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
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
}

type SchemaObject = Record<string, unknown>;

export function createConfigValidator(
  schemas: { config?: SchemaObject; sinks?: SchemaObject } = {},
): ConfigValidator {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    useDefaults: true,
    discriminator: true,
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
  });
  addFormats.default(ajv);
  // Annotations read by the error formatter (and ignored by editors).
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  const documents: Record<string, SchemaObject> = {
    [CONFIG_SCHEMA_ID]: schemas.config ?? schemaDocuments().config,
    [SINKS_SCHEMA_ID]: schemas.sinks ?? schemaDocuments().sinks,
  };
  ajv.addSchema(documents[SINKS_SCHEMA_ID] as AnySchema, SINKS_SCHEMA_ID);
  const validateConfig = ajv.compile(documents[CONFIG_SCHEMA_ID] as AnySchema);
  const validateEntry = ajv.getSchema(SINKS_SCHEMA_ID) as ValidateFunction;
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
    fn: ValidateFunction,
    data: unknown,
    context: Pick<FormatContext, 'hidden' | 'isSecret'>,
  ): ConfigProblem[] =>
    fn(data) ? [] : formatProblems({ ajv, root: data, locate, ...context }, fn.errors ?? []);
  return {
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
