// The sink both object sinks (security_lake, s3) are: send() groups a batch by partition and resolves once
// it is durably in the disk buffer; flush() turns each buffered partition into one object and removes it
// from the buffer only after S3's 200. Flushes run every flush_seconds, early for a partition that would
// grow beyond max_object_bytes, and when the run asks (flush() before a one-shot run exits).
import type { NdjsonRecord } from '../encoding/ndjson.js';
import type { OutboundEvent, RejectedEvent, SendResult, Sink, SinkLogger } from '../sink.js';
import type { DiskBuffer, StagedObject } from './disk-buffer.js';
import { partitionOf, type Partition } from './partition.js';
import type { S3Transport } from './s3-transport.js';

/** How a group of records becomes an object. */
export interface ObjectFormat {
  /** Appended to the uuid: ".zstd.parquet", ".ndjson.gz" ... */
  extension: string;
  contentType: string;
  encode(records: readonly NdjsonRecord[]): Uint8Array | Promise<Uint8Array>;
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

function groupByPartition(batch: readonly OutboundEvent[]): {
  groups: Map<string, { partition: Partition; lines: string[]; bytes: number }>;
  rejected: RejectedEvent[];
} {
  const groups = new Map<string, { partition: Partition; lines: string[]; bytes: number }>();
  const rejected: RejectedEvent[] = [];
  batch.forEach((item, index) => {
    const partition = partitionOf(item.event);
    if (typeof partition === 'string') {
      rejected.push({ index, reason: `no partition for the event: ${partition}` });
      return;
    }
    const id = `${partition.account}/${partition.day}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { partition, lines: [], bytes: 0 };
      groups.set(id, group);
    }
    group.lines.push(item.json);
    group.bytes += Buffer.byteLength(item.json) + 1;
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
      const pending = new Map(
        this.o.buffer.pending().map((p) => [`${p.partition.account}/${p.partition.day}`, p]),
      );
      for (const [id, group] of groups) {
        const buffered = pending.get(id)?.bytes ?? 0;
        // The partition's object would outgrow max_object_bytes: it is written now, before the limit.
        if (buffered > 0 && buffered + group.bytes > this.o.maxObjectBytes) {
          await this.o.buffer.stage(group.partition);
          full = true;
        }
        await this.o.buffer.append(group.partition, group.lines);
      }
    });
    if (full) this.scheduledFlush();
    return { rejected };
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
    await this.locked(async () => {
      for (const { partition } of this.o.buffer.pending()) await this.o.buffer.stage(partition);
    });
    // An object that cannot be encoded stays staged (reported, never dropped) without holding up the others;
    // an S3 failure stops the flush: the next objects would meet the same outage.
    const unencodable: string[] = [];
    for (const object of this.o.buffer.staged()) {
      const body = await this.encoded(object).catch((err: unknown) => {
        unencodable.push(`${object.dir}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      if (body !== undefined) await this.upload(object, body);
    }
    if (unencodable.length > 0) throw new Error(`objects not encoded: ${unencodable.join('; ')}`);
  }

  private async encoded(object: StagedObject): Promise<{ bytes: Uint8Array; events: number }> {
    const records = (await this.o.buffer.lines(object)).map((json) => ({
      json,
      event: JSON.parse(json) as Record<string, unknown>,
    }));
    return { bytes: await this.o.format.encode(records), events: records.length };
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
