import { Table, tableToIPC, type Schema } from 'apache-arrow';
import type { ColumnBuffers } from './column-builder.js';

// An Arrow IPC stream (the format parquet-wasm reads) assembled from column buffers: the schema message,
// serialized once per encoder by apache-arrow, then one record batch message whose metadata (a small
// flatbuffer: lengths, null counts, buffer positions) is written here, then the buffers, copied once.
// The layout is the Arrow columnar format's encapsulated message: 0xFFFFFFFF, the metadata size, the
// metadata padded to 8 bytes, the body with every buffer at an 8-byte boundary; the stream ends with
// 0xFFFFFFFF 0x00000000. Arrow IPC is little-endian, as typed arrays are on every platform Node runs on.

const CONTINUATION = 0xffffffff;
const METADATA_V5 = 4;
const HEADER_RECORD_BATCH = 3;

const pad8 = (n: number): number => (n + 7) & ~7;

/** The schema message of `schema` (its bytes up to the first record batch). */
export function schemaMessage(schema: Schema): Uint8Array {
  const stream = tableToIPC(new Table(schema), 'stream');
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (view.getUint32(0, true) !== CONTINUATION) throw new Error('Arrow IPC: unexpected schema message');
  return stream.slice(0, 8 + view.getInt32(4, true));
}

/**
 * The record batch's Message flatbuffer, laid out front to back (offsets point forward, 8-byte values
 * 8-byte aligned): root offset, Message vtable and table, RecordBatch vtable and table, then the FieldNode
 * and Buffer vectors (structs of two int64).
 */
function batchMetadata(length: number, parts: ColumnBuffers, offsets: readonly number[], bodyLength: number) {
  const nodesAt = 80;
  const buffersAt = nodesAt + 16 * parts.nodes.length + 8;
  const size = pad8(buffersAt + 16 * parts.buffers.length);
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 16, true); // root: the Message table at 16
  // Message vtable at 4: 4 fields (version, header_type, header, bodyLength).
  [12, 24, 16, 18, 4, 8].forEach((n, i) => v.setUint16(4 + 2 * i, n, true));
  v.setInt32(16, 16 - 4, true);
  v.setUint32(20, 56 - 20, true); // header: the RecordBatch table at 56
  v.setBigInt64(24, BigInt(bodyLength), true);
  v.setInt16(32, METADATA_V5, true);
  v.setUint8(34, HEADER_RECORD_BATCH);
  // RecordBatch vtable at 40: 3 fields (length, nodes, buffers).
  [10, 20, 8, 4, 16].forEach((n, i) => v.setUint16(40 + 2 * i, n, true));
  v.setInt32(56, 56 - 40, true);
  v.setUint32(60, nodesAt - 4 - 60, true);
  v.setBigInt64(64, BigInt(length), true);
  v.setUint32(72, buffersAt - 4 - 72, true);
  v.setUint32(nodesAt - 4, parts.nodes.length, true);
  parts.nodes.forEach((node, i) => {
    v.setBigInt64(nodesAt + 16 * i, BigInt(node.length), true);
    v.setBigInt64(nodesAt + 16 * i + 8, BigInt(node.nullCount), true);
  });
  v.setUint32(buffersAt - 4, parts.buffers.length, true);
  parts.buffers.forEach((buffer, i) => {
    v.setBigInt64(buffersAt + 16 * i, BigInt(offsets[i]!), true);
    v.setBigInt64(buffersAt + 16 * i + 8, BigInt(buffer.byteLength), true);
  });
  return bytes;
}

/**
 * One IPC stream: the schema message, a record batch of `length` rows holding `parts`, the end marker.
 * Written into `reuse` when it is large enough (the caller's previous stream, which it no longer reads),
 * else into a new buffer.
 */
export function ipcStream(
  schema: Uint8Array,
  length: number,
  parts: ColumnBuffers,
  reuse?: ArrayBuffer,
): Uint8Array {
  const offsets: number[] = [];
  let bodyLength = 0;
  for (const buffer of parts.buffers) {
    offsets.push(bodyLength);
    bodyLength += pad8(buffer.byteLength);
  }
  const metadata = batchMetadata(length, parts, offsets, bodyLength);
  const bodyAt = schema.length + 8 + metadata.length;
  const size = bodyAt + bodyLength + 8;
  const stream =
    reuse !== undefined && reuse.byteLength >= size ? new Uint8Array(reuse, 0, size) : new Uint8Array(size);
  const view = new DataView(stream.buffer, 0, size);
  stream.set(schema, 0);
  view.setUint32(schema.length, CONTINUATION, true);
  view.setInt32(schema.length + 4, metadata.length, true);
  stream.set(metadata, schema.length + 8);
  parts.buffers.forEach((buffer, i) => {
    const at = bodyAt + offsets[i]!;
    if (buffer instanceof Uint8Array) stream.set(buffer, at);
    else buffer.writeInto(stream, at);
    stream.fill(0, at + buffer.byteLength, at + pad8(buffer.byteLength)); // a reused stream's old bytes
  });
  view.setUint32(bodyAt + bodyLength, CONTINUATION, true);
  view.setUint32(bodyAt + bodyLength + 4, 0, true);
  return stream;
}
