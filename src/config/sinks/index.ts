// Every sink type's config schema by `type`, and the sinks document (schemas/sinks.schema.json) made from
// them. A new sink type is one schema file beside this one and one line in SINK_SCHEMAS. Build time only
// (schema:write, tests, types): the running program validates with the generated file.
import type { Static } from 'typebox';
import { RetrySchema } from './common.js';
import { ElasticsearchSinkSchema } from './elasticsearch.js';
import { FileSinkSchema } from './file.js';
import { HttpSinkSchema } from './http.js';
import { S3SinkSchema } from './s3.js';
import { SecurityLakeSinkSchema } from './security-lake.js';
import { SekoiaSinkSchema } from './sekoia.js';
import { SplunkHecSinkSchema } from './splunk-hec.js';
import { StdoutSinkSchema } from './stdout.js';
import { SyslogSinkSchema } from './syslog.js';
import { jsonSchemaOf, type JsonSchemaObject } from '../json-schema.js';
import { SINKS_SCHEMA_ID } from '../schema-documents.js';

/** In the order the enum of `type` lists them (and error messages repeat). */
export const SINK_SCHEMAS = {
  stdout: StdoutSinkSchema,
  file: FileSinkSchema,
  http: HttpSinkSchema,
  splunk_hec: SplunkHecSinkSchema,
  sekoia: SekoiaSinkSchema,
  elasticsearch: ElasticsearchSinkSchema,
  syslog: SyslogSinkSchema,
  security_lake: SecurityLakeSinkSchema,
  s3: S3SinkSchema,
};

export type SinkType = keyof typeof SINK_SCHEMAS;

export const SINK_TYPES = Object.keys(SINK_SCHEMAS) as SinkType[];

/** The config of one sink type, defaults applied. */
export type SinkConfigOf<T extends SinkType> = Static<(typeof SINK_SCHEMAS)[T]>;

/** One entry of sinks[], defaults applied: what the sinks are built from. */
export type SinkConfig = { [T in SinkType]: SinkConfigOf<T> }[SinkType];

/** One entry of sinks[] as written (in a file or in code), before validation and defaults. */
export interface SinkConfigInput {
  type: string;
  name?: string;
  dry_run?: boolean;
  [key: string]: unknown;
}

/**
 * if/then by `type` rather than oneOf: a entry is checked against its own type's keys only, so a mistake is
 * reported once, for that type (ajv reports every failing branch of a oneOf).
 */
export const SINKS_DOCUMENT: JsonSchemaObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SINKS_SCHEMA_ID,
  title: 'iam-inventory sink',
  description: 'One entry of sinks[]: the keys allowed depend on `type`.',
  type: 'object',
  required: ['type'],
  properties: { type: { enum: SINK_TYPES } },
  allOf: SINK_TYPES.map((type) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { $ref: `#/definitions/${type}` },
  })),
  definitions: {
    retry: jsonSchemaOf(RetrySchema),
    ...Object.fromEntries(SINK_TYPES.map((type) => [type, jsonSchemaOf(SINK_SCHEMAS[type])])),
  },
};

export type { BatchConfig, HttpTransportKeys, RetryConfig, TlsConfig } from './common.js';
export type { ElasticsearchSinkConfig } from './elasticsearch.js';
export type { FileRotateConfig, FileSinkConfig } from './file.js';
export type { HttpSinkConfig } from './http.js';
export type { S3SinkConfig } from './s3.js';
export type { SecurityLakeSinkConfig } from './security-lake.js';
export type { SekoiaSinkConfig } from './sekoia.js';
export type { SplunkHecSinkConfig } from './splunk-hec.js';
export type { StdoutSinkConfig } from './stdout.js';
export type { SyslogFacility } from './limits.js';
export type { SyslogSinkConfig } from './syslog.js';
