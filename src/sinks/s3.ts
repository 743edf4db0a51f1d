// Objects in any S3 bucket, for whatever ingests from one: NDJSON (gzip, zstd, none) or Parquet, at
// <prefix>accountId=<account>/eventDay=<YYYYMMDD>/<uuid><extension>.
import type { S3SinkConfig } from '../config/index.js';
import type { Sink, SinkContext } from './sink.js';
import { ndjsonFormat, parquetFormat } from './object-store/object-formats.js';
import { openObjectSink } from './object-store/open-object-sink.js';
import { prefixedKey } from './object-store/partition.js';

export function createS3Sink(config: S3SinkConfig, ctx: SinkContext, name: string): Sink {
  let format;
  if (config.format === 'parquet') {
    if (ctx.ocsf === undefined) throw new Error(`sink ${name}: Parquet needs the OCSF record schema`);
    format = parquetFormat(ctx.ocsf);
  } else {
    format = ndjsonFormat(config.compression ?? 'gzip');
  }
  return openObjectSink(ctx, name, config, {
    type: 's3',
    format,
    keyOf: (partition, objectName) => prefixedKey(config.prefix, partition, objectName),
    probeKey: prefixedKey(config.prefix, { account: 'check', day: '00000000' }, 'iam-inventory-check.probe'),
  });
}
