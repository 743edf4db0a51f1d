// The security_lake sink: an Amazon Security Lake custom source (OCSF <= 1.3.0 as ZSTD Parquet, written by
// the provider role Security Lake created for the source).
import Type, { type Static } from 'typebox';
import { SINK_BASE_PROPERTIES } from './common.js';
import {
  BUCKET_PROPERTIES,
  MAX_OBJECT_BYTES,
  externalIdSchema,
  flushSecondsSchema,
  roleArnSchema,
} from './object-store.js';

export const SecurityLakeSinkSchema = Type.Object(
  {
    type: Type.Literal('security_lake'),
    ...SINK_BASE_PROPERTIES,
    ...BUCKET_PROPERTIES,
    source_name: Type.String({
      minLength: 1,
      maxLength: 20,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'The custom source name: objects go under ext/<source_name>/.',
    }),
    role_arn: roleArnSchema(
      'The provider role Security Lake created for the source (AmazonSecurityLake-Provider-<source>-<region>).',
    ),
    external_id: externalIdSchema('The external id the provider role requires (a secret).'),
    flush_seconds: flushSecondsSchema(
      300,
      'Seconds between writes of a partition (Security Lake: at most one object per 5 minutes per partition, unless it reaches max_object_bytes).',
    ),
    max_object_bytes: MAX_OBJECT_BYTES,
  },
  {
    description:
      'Amazon Security Lake custom source: Parquet (ZSTD) objects per account and day, buffered on disk beside the state file.',
    additionalProperties: false,
  },
);

export type SecurityLakeSinkConfig = Static<typeof SecurityLakeSinkSchema>;
