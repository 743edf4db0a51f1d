// NDJSON appended to a file, fsynced per batch, with optional rotation by size:
// events.ndjson -> events.ndjson.1 -> ... -> events.ndjson.<keep>, the oldest dropped. Rotation happens only
// between lines, and each part is fsynced before the rename, so a rotation never loses or cuts a line.
import { constants } from 'node:fs';
import { access, mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileSinkConfig } from '../config/config.js';
import type { OutboundEvent, SendResult, Sink, SinkContext } from './sink.js';
import { fsyncPath } from './fsync.js';

interface RotateSettings {
  maxBytes: number;
  keep: number;
}

export function createFileSink(config: FileSinkConfig, ctx: SinkContext, name: string): Sink {
  const path = resolve(ctx.baseDir, config.path);
  const rotate: RotateSettings | undefined =
    config.rotate === undefined ? undefined : { maxBytes: config.rotate.max_bytes, keep: config.rotate.keep };
  const writer = new RotatingFileWriter(path, rotate);
  // Batches are written one after another even if the caller overlaps send() calls.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name,
    type: 'file',
    send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const run = queue.then(async () => {
        try {
          await writer.append(batch.map((e) => e.json + '\n'));
        } catch (err) {
          await writer.close().catch(() => undefined);
          throw new Error(`sink ${name}: writing ${path} failed: ${(err as Error).message}`);
        }
        return { rejected: [] };
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async check(): Promise<string> {
      await mkdir(dirname(path), { recursive: true });
      await access(dirname(path), constants.W_OK);
      return `appends NDJSON to ${path}`;
    },
    async close(): Promise<void> {
      await queue;
      await writer.close();
    },
  };
}

class RotatingFileWriter {
  private handle: FileHandle | undefined;
  private size = 0;

  constructor(
    private readonly path: string,
    private readonly rotate: RotateSettings | undefined,
  ) {}

  private async openFile(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a', 0o640);
    this.size = (await handle.stat()).size;
    this.handle = handle;
    return handle;
  }

  async append(lines: readonly string[]): Promise<void> {
    await this.openFile();
    let pending: string[] = [];
    let pendingBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line, 'utf8');
      const filled = this.size + pendingBytes;
      if (this.rotate && filled > 0 && filled + bytes > this.rotate.maxBytes) {
        await this.write(pending, pendingBytes);
        await this.rotateFiles();
        pending = [];
        pendingBytes = 0;
      }
      pending.push(line);
      pendingBytes += bytes;
    }
    await this.write(pending, pendingBytes);
  }

  private async write(lines: string[], bytes: number): Promise<void> {
    if (lines.length === 0) return;
    const handle = await this.openFile();
    await handle.appendFile(lines.join(''), 'utf8');
    await handle.sync();
    this.size += bytes;
  }

  private async rotateFiles(): Promise<void> {
    const keep = (this.rotate as RotateSettings).keep;
    await this.close();
    for (let i = keep - 1; i >= 1; i--) {
      if (await exists(`${this.path}.${i}`)) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    await rename(this.path, `${this.path}.1`);
    // Makes the renames durable: without it a crash could bring back the pre-rotation names.
    await fsyncPath(dirname(this.path));
    await this.openFile();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
