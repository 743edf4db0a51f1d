// The object formats: Parquet (one table per OCSF version, ZSTD) and NDJSON (gzip, zstd or none).
import { encodeNdjson, type NdjsonCompression } from '../encoding/ndjson.js';
import { columnsFromJsonSchema } from '../encoding/parquet/columns.js';
import type { ParquetEncoder } from '../encoding/parquet/parquet-encoder.js';
import type { SinkContext } from '../sink.js';
import type { ObjectFormat } from './object-sink.js';

/**
 * The Parquet writer (apache-arrow and parquet-wasm: about 20 MB of resident memory once loaded) is loaded
 * at the first object to encode, so that a collector without a Parquet sink never carries it. The columns
 * are derived at once: a record schema they cannot describe fails when the sink is built, as before.
 */
export function parquetFormat(ocsf: NonNullable<SinkContext['ocsf']>): ObjectFormat {
  const recordSchema = ocsf.recordSchema();
  columnsFromJsonSchema(recordSchema);
  let encoder: Promise<ParquetEncoder> | undefined;
  const load = (): Promise<ParquetEncoder> =>
    (encoder ??= import('../encoding/parquet/parquet-encoder.js').then(({ createOcsfParquetEncoder }) =>
      createOcsfParquetEncoder(recordSchema, ocsf.version),
    ));
  return {
    extension: '.zstd.parquet',
    contentType: 'application/vnd.apache.parquet',
    // The lines are read as they are, without JSON.parse (see column-buffer-writer.ts).
    encode: async (lines) => (await load()).encodeTexts(lines),
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
    // Each line parsed for its time alone (which orders the object) and the rest dropped at once: the
    // parsed events of a whole object (up to max_object_bytes of NDJSON) took twice its size in heap.
    encode: (lines) =>
      encodeNdjson(
        lines.map((json) => ({ json, event: { time: (JSON.parse(json) as { time?: unknown }).time } })),
        compression,
      ),
  };
}
