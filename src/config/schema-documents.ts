// The JSON Schema documents the validator compiles at run time: schemas/config.schema.json and
// schemas/sinks.schema.json, generated from the TypeBox sources by `npm run schema:write` (a test fails
// when they are out of date). Reading the generated files keeps TypeBox out of the running program.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { JsonSchemaObject } from './json-schema.js';

export const CONFIG_SCHEMA_ID = 'config.schema.json';
export const SINKS_SCHEMA_ID = 'sinks.schema.json';

export interface SchemaDocuments {
  config: JsonSchemaObject;
  sinks: JsonSchemaObject;
}

function readSchema(file: string): JsonSchemaObject {
  const path = join(packageRoot, 'schemas', file);
  if (!existsSync(path)) throw new Error(`iam-inventory: ${path} is missing (broken installation)`);
  return JSON.parse(readFileSync(path, 'utf8')) as JsonSchemaObject;
}

let documents: SchemaDocuments | undefined;

export function schemaDocuments(): SchemaDocuments {
  documents ??= { config: readSchema(CONFIG_SCHEMA_ID), sinks: readSchema(SINKS_SCHEMA_ID) };
  return documents;
}
