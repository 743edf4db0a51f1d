import {
  Compression,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
  type WriterProperties,
} from 'parquet-wasm';
import { packageVersion } from '../../../package-root.js';
import { ipcStream, schemaMessage } from './arrow-ipc.js';
import { arrowSchema } from './arrow-schema.js';
import { orderByTime } from '../order-by-time.js';
import type { ColumnBuffers } from './column-builder.js';
import { ColumnBufferWriter, textOf, type EncodableRecord } from './column-buffer-writer.js';
import { columnsFromJsonSchema, jsonColumnPaths, type ColumnField, type JsonSchemaNode } from './columns.js';

// Records -> one Parquet file (bytes), for object stores and data lakes. The records become Arrow column
// buffers (column-buffer-writer.ts) in one Arrow IPC stream (arrow-ipc.ts; the schema message is serialized
// once per encoder), written by parquet-wasm (the Rust arrow-rs writer compiled to WebAssembly: ZSTD,
// nested types, page and row-group limits, no native build).
//
// Amazon Security Lake's rules for a custom source: ZSTD, data pages at most 1 MB uncompressed, row
// groups at most 256 MB, records ordered by time. arrow-rs closes a page once its buffered size reaches the
// limit, checked after every write batch of values, so a page holds at most 256 KiB + 128 values: below
// 1 MiB while the values of a batch average under 6 KiB (the largest, unmapped, is about 1 KiB per IAM
// user; IAM quotas bound it). Shorter batches cost time (64: +20% write time, measured). JSON text columns
// hold one document per record: a dictionary never pays off there, and min/max of JSON text prunes nothing.
// Nor does one for `time`, the epoch milliseconds the rows are sorted by (nearly one value per record:
// plain, the file is 1 KB smaller per 1,000 events). Other columns that hold distinct values (uids, ARNs,
// names) are nested, and parquet-wasm takes a column setting by its top-level name only (see below).
//
// Statistics (min, max, null count, per page and per chunk) only for the top-level scalar columns: `time`,
// which the rows are sorted by, so readers skip pages and files by time, and the class fields. In the
// nested columns (names, ARNs, uids, timestamps of 1,000 identities) a file's range spans nearly every
// value, and the account is the partition: they would prune nothing and cost 10% of the writer's time.
// (parquet-wasm takes a column setting by its top-level name only: "user.uid" would name no column.)

/** Page size target (uncompressed). */
export const DATA_PAGE_BYTES = 256 * 1024;
/**
 * A column whose dictionary outgrows this is written plain from there on: the uids, ARNs and names of
 * 1,000 identities are distinct, and hashing them into a dictionary that never pays off cost about 0.5 ms
 * per 1,000 events (and the file was 1.6 KB larger); columns of few values keep theirs.
 */
const DICTIONARY_PAGE_BYTES = 16 * 1024;
const WRITE_BATCH_ROWS = 128;
/** Uncompressed bytes per row group, half Security Lake's 256 MB limit. */
export const ROW_GROUP_BYTES = 128 * 1024 * 1024;
/**
 * An encoder keeps its last IPC stream up to this size and writes the next one into it: a new 2 MB
 * buffer per 1,000 events was half the memory each encode allocated outside V8's heap, and that external
 * memory is what starts V8's full collections (mark-compact of the whole process heap) every few encodes.
 */
const REUSED_STREAM_BYTES = 16 * 1024 * 1024;
/**
 * An encoder keeps its column builders' arrays after an object whose stream was up to this size (the
 * arrays hold less: JSON texts stay strings). New arrays for each object of 10,000 events doubled V8's
 * full collections during such encodes; an object of 256 MiB should not stay in memory after its flush.
 */
const REUSED_COLUMNS_STREAM_BYTES = 64 * 1024 * 1024;

export interface ParquetEncoderOptions {
  /** Written in the file's key-value metadata (e.g. the OCSF version). */
  metadata?: Readonly<Record<string, string>>;
  /** The file's created_by (e.g. "iam-inventory 0.3.0"). */
  createdBy?: string;
}

export interface ParquetEncoder {
  /** The top-level columns, identical for every file this encoder writes. */
  readonly columns: readonly ColumnField[];
  /** One Parquet file holding the records, ordered by `time`. Throws on a record that does not fit. */
  encode(records: readonly EncodableRecord[]): Uint8Array;
  /** `encode` for records given as their JSON texts (an object sink's NDJSON lines), without JSON.parse. */
  encodeTexts(texts: readonly string[]): Uint8Array;
}

/** The top-level columns that keep statistics (see above). */
export function columnsWithStatistics(columns: readonly ColumnField[]): string[] {
  const scalar = new Set(['string', 'int64', 'float64', 'boolean']);
  return columns.filter((c) => scalar.has(c.type.kind)).map((c) => c.name);
}

function writerProperties(
  options: ParquetEncoderOptions,
  jsonColumns: readonly string[],
  withStatistics: readonly string[],
): WriterProperties {
  let builder = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setDataPageSizeLimit(DATA_PAGE_BYTES)
    .setDictionaryPageSizeLimit(DICTIONARY_PAGE_BYTES)
    .setWriteBatchSize(WRITE_BATCH_ROWS)
    .setMaxRowGroupBytes(ROW_GROUP_BYTES)
    .setStatisticsEnabled(EnabledStatistics.None);
  for (const path of [...jsonColumns, 'time']) builder = builder.setColumnDictionaryEnabled(path, false);
  for (const name of withStatistics)
    builder = builder.setColumnStatisticsEnabled(name, EnabledStatistics.Page);
  if (options.createdBy !== undefined) builder = builder.setCreatedBy(options.createdBy);
  if (options.metadata !== undefined)
    builder = builder.setKeyValueMetadata(new Map(Object.entries(options.metadata)));
  return builder.build();
}

/** An encoder for records described by `recordSchema` (a JSON Schema; see columns.ts for the mapping). */
export function createParquetEncoder(
  recordSchema: JsonSchemaNode,
  options: ParquetEncoderOptions = {},
): ParquetEncoder {
  const columns = columnsFromJsonSchema(recordSchema);
  const schema = schemaMessage(arrowSchema(columns));
  const jsonColumns = jsonColumnPaths(columns, '.list.element');
  const withStatistics = columnsWithStatistics(columns);
  let reuse: ArrayBuffer | undefined;
  let writer: ColumnBufferWriter | undefined;
  const file = (length: number, write: (use: (buffers: ColumnBuffers) => Uint8Array) => Uint8Array) => {
    const ipc = write((buffers) => ipcStream(schema, length, buffers, reuse));
    // parquet-wasm copies the stream into its own memory before this returns: free to overwrite.
    if (ipc.buffer.byteLength <= REUSED_STREAM_BYTES) reuse = ipc.buffer as ArrayBuffer;
    if (ipc.byteLength > REUSED_COLUMNS_STREAM_BYTES) writer = undefined;
    return writeParquet(WasmTable.fromIPCStream(ipc), writerProperties(options, jsonColumns, withStatistics));
  };
  const encodeTexts = (texts: readonly string[]): Uint8Array => {
    const w = (writer ??= new ColumnBufferWriter(columns, texts.length));
    return file(texts.length, (use) => w.writeTextsByTime(texts, use));
  };
  return {
    columns,
    // Ordered first by the events' times, so that their texts are read once.
    encode: (records) => encodeTexts(orderByTime(records).map(textOf)),
    encodeTexts,
  };
}

/** The encoder the object sinks write OCSF events with: the version and the writer named in the metadata. */
export function createOcsfParquetEncoder(recordSchema: JsonSchemaNode, ocsfVersion: string): ParquetEncoder {
  return createParquetEncoder(recordSchema, {
    metadata: { 'ocsf.version': ocsfVersion },
    createdBy: `iam-inventory ${packageVersion}`,
  });
}
