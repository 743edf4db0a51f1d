// The object formats: Parquet (one table per OCSF version, ZSTD) and NDJSON (gzip, zstd or none).
import { packageVersion } from '../../package-root.js';
import { encodeNdjson, type NdjsonCompression } from '../encoding/ndjson.js';
import { createParquetEncoder } from '../encoding/parquet/parquet-encoder.js';
import type { SinkContext } from '../sink.js';
import type { ObjectFormat } from './object-sink.js';

export function parquetFormat(ocsf: NonNullable<SinkContext['ocsf']>): ObjectFormat {
  const encoder = createParquetEncoder(ocsf.recordSchema(), {
    metadata: { 'ocsf.version': ocsf.version },
    createdBy: `iam-inventory ${packageVersion}`,
  });
  return {
    extension: '.zstd.parquet',
    contentType: 'application/vnd.apache.parquet',
    encode: (records) => encoder.encode(records),
  };
}

const NDJSON_EXTENSIONS: Record<NdjsonCompression, string> = {
  gzip: '.ndjson.gz',
  zstd: '.ndjson.zst',
  none: '.ndjson',
};

export function ndjsonFormat(compression: NdjsonCompression): ObjectFormat {
  return {
    extension: NDJSON_EXTENSIONS[compression],
    contentType: 'application/x-ndjson',
    encode: (records) => encodeNdjson(records, compression),
  };
}
