import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OcsfVersion } from '../config/config.js';
import { packageRoot } from '../package-root.js';
import type { JsonSchema } from './schema-compiler.js';

// The compiled schemas ship in the package (schemas/ocsf/<version>/) and are read once per process.

const cache = new Map<OcsfVersion, JsonSchema>();

export function compiledSchemaPath(version: OcsfVersion, root: string = packageRoot): string {
  return join(root, 'schemas', 'ocsf', version, 'user_inventory.schema.json');
}

export function loadCompiledSchema(version: OcsfVersion): JsonSchema {
  let schema = cache.get(version);
  if (!schema) {
    schema = JSON.parse(readFileSync(compiledSchemaPath(version), 'utf8')) as JsonSchema;
    cache.set(version, schema);
  }
  return schema;
}
