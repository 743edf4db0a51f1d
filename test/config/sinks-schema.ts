// The validator the config tests use: the real schemas/sinks.schema.json when the sinks part has written it,
// else a minimal stand-in with the same shape (oneOf by `type`), so these tests do not depend on its progress.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createConfigValidator, type ConfigValidator } from '../../src/config/index.js';
import { packageRoot } from '../../src/package-root.js';

const retry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_attempts: { type: 'integer', minimum: 1, maximum: 100 },
    max_delay_ms: { type: 'integer', minimum: 0 },
  },
};
const common = { name: { type: 'string' }, dry_run: { type: 'boolean' } };

export const STAND_IN_SINKS_SCHEMA = {
  $id: 'sinks.schema.json',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'stdout' }, ...common },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'path'],
      properties: { type: { const: 'file' }, path: { type: 'string', minLength: 1 }, ...common },
    },
    { $ref: '#/$defs/http' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'url', 'token'],
      properties: {
        type: { const: 'splunk_hec' },
        url: { type: 'string' },
        token: { type: 'string' },
        retry,
        ...common,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'intake_key'],
      properties: {
        type: { const: 'sekoia' },
        intake_url: { type: 'string' },
        intake_key: { type: 'string' },
        ...common,
      },
    },
  ],
  $defs: {
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'url'],
      properties: {
        type: { const: 'http' },
        url: { type: 'string', format: 'uri' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        format: { enum: ['ndjson', 'json_array'] },
        retry,
        ...common,
      },
    },
  },
};

export const realSinksSchemaExists = existsSync(join(packageRoot, 'schemas', 'sinks.schema.json'));

export function testValidator(): ConfigValidator {
  return realSinksSchemaExists
    ? createConfigValidator()
    : createConfigValidator({ sinks: STAND_IN_SINKS_SCHEMA });
}
