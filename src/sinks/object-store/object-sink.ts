// The sink both object sinks (security_lake, s3) are: send() groups a batch by partition and resolves once
// it is durably in the disk buffer; flush() turns each buffered partition into one object and removes it
// from the buffer only after S3's 200. Flushes run every flush_seconds, early for a partition that would
// grow beyond max_object_bytes, and when the run asks (flush() before a one-shot run exits).
//
// Sizes: a partition's pending entries never exceed max_object_bytes (NDJSON bytes, which bound the
// object): a batch that would overflow them is cut, the full part staged as its own object. Only an event
// larger than the limit by itself makes a larger object, alone, and a warning says so.
import type { OutboundEvent, RejectedEvent, SendResult, Sink, SinkLogger } from '../sink.js';
import type { DiskBuffer, StagedObject } from './disk-buffer.js';
import { outboundPartition, partitionPath, type Partition } from './partition.js';
import type { S3Transport } from './s3-transport.js';

/** How a group of records becomes an object. */
export interface ObjectFormat {
  /** Appended to the uuid: ".zstd.parquet", ".ndjson.gz" ... */
  extension: string;
  contentType: string;
  /** The object holding these events, given as the NDJSON lines the buffer keeps. */
  encode(lines: readonly string[]): Uint8Array | Promise<Uint8Array>;
}

export interface ObjectSinkOptions {
  name: string;
  type: string;
  transport: S3Transport;
  buffer: DiskBuffer;
  format: ObjectFormat;
  /** The object's key from its partition and file name (<uuid><extension>). */
  keyOf(partition: Partition, objectName: string): string;
  flushSeconds: number;
  maxObjectBytes: number;
  logger: SinkLogger;
  /** What check() writes and deletes. */
  probeKey: string;
}

/**
 * Cuts a partition's lines into the pieces that fill its objects: the first piece tops up the `buffered`
 * bytes already pending, each later piece starts a new object (the one before is full: staged). A line
 * never waits behind a full object, and a line larger than `max` by itself is a piece of its own.
 */
export function objectPieces(lines: readonly string[], buffered: number, max: number): string[][] {
  const pieces: string[][] = [[]];
  let size = buffered;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (size > 0 && size + bytes > max) {
      pieces.push([]);
      size = 0;
    }
    pieces[pieces.length - 1]!.push(line);
    size += bytes;
  }
  return pieces;
}

function groupByPartition(batch: readonly OutboundEvent[]): {
  groups: Map<string, { partition: Partition; lines: string[] }>;
  rejected: RejectedEvent[];
} {
  const groups = new Map<string, { partition: Partition; lines: string[] }>();
  const rejected: RejectedEvent[] = [];
  batch.forEach((item, index) => {
    const partition = outboundPartition(item);
    if (typeof partition === 'string') {
      rejected.push({ index, reason: `no partition for the event: ${partition}` });
      return;
    }
    const id = partitionPath(partition);
    let group = groups.get(id);
    if (group === undefined) {
      group = { partition, lines: [] };
      groups.set(id, group);
    }
    group.lines.push(item.json);
  });
  return { groups, rejected };
}

export class ObjectSink implements Sink {
  readonly name: string;
  readonly type: string;
  /** Buffer changes (appends, staging) one at a time. */
  private bufferLock: Promise<unknown> = Promise.resolve();
  /** Flushes one at a time: an object is never uploaded by two flushes at once. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: ObjectSinkOptions) {
    this.name = o.name;
    this.type = o.type;
    this.timer = setInterval(() => this.scheduledFlush(), o.flushSeconds * 1000);
    this.timer.unref();
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.bufferLock.then(fn, fn);
    this.bufferLock = next.catch(() => undefined);
    return next;
  }

  async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
    const { groups, rejected } = groupByPartition(batch);
    let full = false;
    await this.locked(async () => {
      const pending = new Map(this.o.buffer.pending().map((p) => [partitionPath(p.partition), p]));
      // A batch is buffered whole or not at all: the run sends a failed batch again, and what a failed
      // attempt left buffered would be uploaded twice.
      const written: string[] = [];
      try {
        for (const [id, group] of groups) {
          const pieces = objectPieces(group.lines, pending.get(id)?.bytes ?? 0, this.o.maxObjectBytes);
          // Each piece after the first starts an object: the one before is full and written now.
          for (const [i, piece] of pieces.entries()) {
            if (i > 0) {
              await this.o.buffer.stage(group.partition, written);
              full = true;
            }
            if (piece.length > 0) await this.o.buffer.append(group.partition, piece, written);
            this.warnOversized(group.partition, piece);
          }
        }
      } catch (error) {
        await this.o.buffer
          .discard(written)
          .catch((err: unknown) =>
            this.o.logger.warn(
              { sink: this.name, err: err instanceof Error ? err.message : String(err) },
              'a failed batch could not be taken out of the buffer: its events may be uploaded twice',
            ),
          );
        throw error;
      }
    });
    if (full) this.scheduledFlush();
    return { rejected };
  }

  private warnOversized(partition: Partition, piece: readonly string[]): void {
    const bytes = piece.length === 1 ? Buffer.byteLength(piece[0]!) + 1 : 0;
    if (bytes <= this.o.maxObjectBytes) return;
    this.o.logger.warn(
      { sink: this.name, account: partition.account, day: partition.day, bytes, max: this.o.maxObjectBytes },
      'an event larger than max_object_bytes is written alone, in an object above the limit',
    );
  }

  /** Writes every buffered partition as one object each; rejects on the first object S3 did not take. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.flushAll());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private scheduledFlush(): void {
    if (this.o.buffer.isEmpty()) return;
    this.flush().catch((err: unknown) =>
      this.o.logger.warn(
        { sink: this.name, err: err instanceof Error ? err.message : String(err) },
        'objects not written; they stay buffered for the next flush',
      ),
    );
  }

  private async flushAll(): Promise<void> {
    const unencodable = new Map<string, string>();
    // Objects an earlier flush staged go first, under their keys. While S3 refuses them, this throws before
    // the pending entries are staged: they keep accumulating and become one object per partition when S3
    // is back, rather than one per failed flush.
    await this.uploadStaged(unencodable);
    await this.locked(async () => {
      for (const { partition } of this.o.buffer.pending()) await this.o.buffer.stage(partition);
    });
    await this.uploadStaged(unencodable);
    if (unencodable.size > 0) {
      throw new Error(`objects not encoded: ${[...unencodable].map(([d, e]) => `${d}: ${e}`).join('; ')}`);
    }
  }

  /**
   * Uploads the staged objects. One that cannot be encoded stays staged (reported, never dropped) without
   * holding up the others; an S3 failure stops the flush: the next objects would meet the same outage.
   */
  private async uploadStaged(unencodable: Map<string, string>): Promise<void> {
    for (const object of this.o.buffer.staged()) {
      if (unencodable.has(object.dir)) continue;
      const body = await this.encoded(object).catch((err: unknown) => {
        unencodable.set(object.dir, err instanceof Error ? err.message : String(err));
        return undefined;
      });
      if (body !== undefined) await this.upload(object, body);
    }
  }

  private async encoded(object: StagedObject): Promise<{ bytes: Uint8Array; events: number }> {
    const lines = await this.o.buffer.lines(object);
    return { bytes: await this.o.format.encode(lines), events: lines.length };
  }

  private async upload(object: StagedObject, body: { bytes: Uint8Array; events: number }): Promise<void> {
    const key = this.o.keyOf(object.partition, `${object.id}${this.o.format.extension}`);
    await this.o.transport.put(key, body.bytes, this.o.format.contentType);
    await this.o.buffer.remove(object);
    this.o.logger.info(
      { sink: this.name, key, events: body.events, bytes: body.bytes.length },
      'object written',
    );
  }

  async check(): Promise<string> {
    await this.o.transport.put(this.o.probeKey, new Uint8Array(0), 'application/octet-stream');
    await this.o.transport.delete(this.o.probeKey);
    return `${this.o.transport.location}: wrote and deleted ${this.o.probeKey}`;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.bufferLock;
    this.o.transport.close();
  }
}
