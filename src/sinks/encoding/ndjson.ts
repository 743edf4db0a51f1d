import * as zlib from 'node:zlib';
import { orderByTime, type TimedRecord } from './order-by-time.js';

// Records -> one NDJSON object (one event per line, ordered by time), optionally compressed, for object
// stores. The JSON text is the run's own serialization (OutboundEvent.json): no second stringify.

export type NdjsonCompression = 'gzip' | 'zstd' | 'none';

export interface NdjsonRecord extends TimedRecord {
  json: string;
}

type ZstdCompress = (buffer: Buffer) => Buffer;

/** node:zlib has zstd from Node 22.15 / 23.8; Node 20 has none. */
const zstdCompressSync: ZstdCompress | undefined = (() => {
  const candidate: unknown = Reflect.get(zlib, 'zstdCompressSync');
  return typeof candidate === 'function' ? (candidate as ZstdCompress) : undefined;
})();

/** The compressions this Node runtime can write (zstd needs Node >= 22.15). */
export function supportedNdjsonCompressions(): NdjsonCompression[] {
  return zstdCompressSync ? ['gzip', 'zstd', 'none'] : ['gzip', 'none'];
}

export function encodeNdjson(records: readonly NdjsonRecord[], compression: NdjsonCompression): Uint8Array {
  const text = orderByTime(records)
    .map((record) => `${record.json}\n`)
    .join('');
  const raw = Buffer.from(text, 'utf8');
  switch (compression) {
    case 'none':
      return raw;
    case 'gzip':
      return zlib.gzipSync(raw);
    case 'zstd':
      if (!zstdCompressSync) {
        throw new Error(`NDJSON zstd compression needs Node >= 22.15 (this is ${process.version}): use gzip`);
      }
      return zstdCompressSync(raw);
  }
}
