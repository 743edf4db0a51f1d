// Amazon Security Lake custom source: ZSTD Parquet objects at
// ext/<source_name>/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/<uuid>.zstd.parquet, written by
// the provider role assumed with its external id. The config layer has refused OCSF versions after 1.3.0.
import type { SecurityLakeSinkConfig } from '../config/index.js';
import type { Sink, SinkContext } from './sink.js';
import { parquetFormat } from './object-store/object-formats.js';
import { openObjectSink } from './object-store/open-object-sink.js';
import { securityLakeKey } from './object-store/partition.js';

export function createSecurityLakeSink(config: SecurityLakeSinkConfig, ctx: SinkContext, name: string): Sink {
  if (ctx.ocsf === undefined) throw new Error(`sink ${name}: security_lake needs the OCSF record schema`);
  return openObjectSink(ctx, name, config, {
    type: 'security_lake',
    format: parquetFormat(ctx.ocsf),
    keyOf: (partition, objectName) =>
      securityLakeKey(config.source_name, config.region, partition, objectName),
    probeKey: `ext/${config.source_name}/iam-inventory-check.probe`,
  });
}
