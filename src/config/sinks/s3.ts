// The s3 sink: objects in any bucket (NDJSON or Parquet) under Hive-style accountId=/eventDay= partitions,
// for whatever ingests from a bucket.
import Type, { type Static } from 'typebox';
import { SINK_BASE_PROPERTIES } from './common.js';
import * as store from './object-store.js';

export const S3SinkSchema = Type.Object(
  {
    type: Type.Literal('s3'),
    ...SINK_BASE_PROPERTIES,
    ...store.BUCKET_PROPERTIES,
    prefix: Type.String({
      default: '',
      pattern: '^([^/].*)?$',
      description: 'Key prefix (no leading slash), e.g. "iam-inventory/"; partitions follow it.',
    }),
    format: Type.Union([Type.Literal('ndjson'), Type.Literal('parquet')], {
      default: 'ndjson',
      description: 'Object format: NDJSON (one event per line) or Parquet (one table per OCSF version).',
    }),
    compression: Type.Optional(
      Type.Union([Type.Literal('gzip'), Type.Literal('zstd'), Type.Literal('none')], {
        description:
          'NDJSON: gzip (default), zstd (Node >= 22.15) or none. Parquet is always ZSTD (only zstd is accepted).',
      }),
    ),
    role_arn: Type.Optional(
      store.roleArnSchema('A role to assume for writing; omit to write with the caller credentials.'),
    ),
    external_id: Type.Optional(store.externalIdSchema('The external id the role requires (a secret).')),
    flush_seconds: store.flushSecondsSchema(
      1,
      'Seconds between writes of a partition, unless it reaches max_object_bytes.',
    ),
    max_object_bytes: store.MAX_OBJECT_BYTES,
  },
  {
    description:
      'Objects in an S3 bucket under accountId=/eventDay= partitions, buffered on disk beside the state file.',
    additionalProperties: false,
  },
);

export type S3SinkConfig = Static<typeof S3SinkSchema>;
