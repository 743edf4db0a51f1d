// The object sinks' disk buffer, beside the state file. A batch counts as delivered once its lines are on
// disk (file and folder fsynced): the run may then commit it. Layout, one folder per sink:
//
//   pending/<account>,<day>/<entry>.ndjson      batches not yet in an object, grouped by partition
//   staged/<account>,<day>,<uuid>/<entry>...    one object being written: its key ends in <uuid>
//   trash/                                      staged folders S3 acknowledged, being deleted
//
// An entry is written under a `.part` name and renamed to `.ndjson` once it is on disk, so an entry a crash
// or a full disk cut short is never read as one: staged with acknowledged entries it would make their
// object unreadable, and those events would never be uploaded. Leftover `.part` files are removed when the
// buffer opens, at its first use.
//
// Staging renames a partition's pending folder in one step, so the uuid (the object's key) is on disk
// before the upload starts: a crash before S3's 200 re-uploads the same key after restart (no duplicate
// object), and a staged folder leaves only once S3 answered, by an atomic rename into trash.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncPath } from '../fsync.js';
import type { Partition } from './partition.js';

export interface StagedObject {
  partition: Partition;
  /** The object's uuid: part of its key, fixed from staging on. */
  id: string;
  dir: string;
}

export interface PendingPartition {
  partition: Partition;
  /** Bytes of NDJSON buffered. */
  bytes: number;
}

const ENTRY = '.ndjson';
const PART = '.part';

function entryNames(folder: string): string[] {
  return readdirSync(folder).filter((n) => n.endsWith(ENTRY));
}

function folderName(p: Partition): string {
  return `${p.account},${p.day}`;
}

function parseFolder(name: string): { partition: Partition; id?: string } | undefined {
  const [account, day, id, extra] = name.split(',');
  if (account === undefined || day === undefined || !/^\d{8}$/.test(day) || extra !== undefined)
    return undefined;
  return { partition: { account, day }, ...(id !== undefined ? { id } : {}) };
}

export class DiskBuffer {
  private readonly pendingDir: string;
  private readonly stagedDir: string;
  private readonly trashDir: string;
  private sequence = 0;
  private opened = false;

  /**
   * Touches nothing on disk: the folder is opened by the first use, so that building a sink to check its
   * config (validate-config, check) never clears what a running daemon's buffer is writing.
   */
  constructor(readonly dir: string) {
    this.pendingDir = join(dir, 'pending');
    this.stagedDir = join(dir, 'staged');
    this.trashDir = join(dir, 'trash');
  }

  /** Opens (creating) the buffer folder and finishes deletions a crash interrupted; once. */
  private open(): void {
    if (this.opened) return;
    for (const d of [this.pendingDir, this.stagedDir, this.trashDir]) mkdirSync(d, { recursive: true });
    for (const name of readdirSync(this.trashDir))
      rmSync(join(this.trashDir, name), { recursive: true, force: true });
    for (const name of readdirSync(this.pendingDir)) {
      const folder = join(this.pendingDir, name);
      for (const part of readdirSync(folder).filter((n) => n.endsWith(PART))) rmSync(join(folder, part));
    }
    this.opened = true;
  }

  /**
   * Appends lines to the partition's pending entries; resolves once they are durable. `written` collects
   * the entry's file, for `discard` should the rest of its batch fail.
   */
  async append(partition: Partition, lines: readonly string[], written?: string[]): Promise<void> {
    this.open();
    const folder = join(this.pendingDir, folderName(partition));
    mkdirSync(folder, { recursive: true });
    // Entry names sort in write order, which keeps an object's records in the order they were sent.
    const name = `${Date.now().toString().padStart(15, '0')}-${String(this.sequence++).padStart(9, '0')}-${randomUUID()}`;
    const part = join(folder, `${name}${PART}`);
    try {
      const handle = await open(part, 'wx');
      try {
        await handle.writeFile(`${lines.join('\n')}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(part, join(folder, `${name}${ENTRY}`));
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
    written?.push(join(folder, `${name}${ENTRY}`));
    await fsyncPath(folder);
    await fsyncPath(this.pendingDir);
  }

  /** The partitions holding pending entries, with their buffered size. */
  pending(): PendingPartition[] {
    return this.pendingFolders().map(({ partition, folder, entries }) => ({
      partition,
      bytes: entries.reduce((sum, f) => sum + statSync(join(folder, f)).size, 0),
    }));
  }

  /** The pending partitions' folders that hold entries, and their entry names. */
  private pendingFolders(): { partition: Partition; folder: string; entries: string[] }[] {
    this.open();
    return readdirSync(this.pendingDir).flatMap((name) => {
      const parsed = parseFolder(name);
      if (parsed === undefined || parsed.id !== undefined) return [];
      const folder = join(this.pendingDir, name);
      const entries = entryNames(folder);
      return entries.length === 0 ? [] : [{ partition: parsed.partition, folder, entries }];
    });
  }

  /**
   * Moves the partition's pending entries into a new staged object (its key fixed by the new uuid). The
   * files in `written` that were among them are followed to where they are now.
   */
  async stage(partition: Partition, written?: string[]): Promise<StagedObject> {
    this.open();
    const id = randomUUID();
    const pending = join(this.pendingDir, folderName(partition));
    const dir = join(this.stagedDir, `${folderName(partition)},${id}`);
    await rename(pending, dir);
    written?.forEach((file, i) => {
      if (dirname(file) === pending) written[i] = join(dir, basename(file));
    });
    await fsyncPath(this.stagedDir);
    await fsyncPath(this.pendingDir);
    return { partition, id, dir };
  }

  /**
   * Removes the entries a batch wrote before a later part of it failed (the files `append` and `stage`
   * collected), so that the batch, sent again, is buffered once. A staged object left without entries goes
   * with them: it would be an empty object.
   */
  async discard(written: readonly string[]): Promise<void> {
    const folders = new Set(written.map((file) => dirname(file)));
    for (const file of written) await rm(file, { force: true });
    for (const folder of folders) {
      if (!existsSync(folder)) continue; // a flush uploaded the staged object meanwhile
      if (dirname(folder) === this.stagedDir && entryNames(folder).length === 0) {
        await rm(folder, { recursive: true, force: true });
        await fsyncPath(this.stagedDir);
      } else await fsyncPath(folder);
    }
  }

  /** Every staged object, those a crash left behind included. */
  staged(): StagedObject[] {
    this.open();
    return readdirSync(this.stagedDir).flatMap((name) => {
      const parsed = parseFolder(name);
      return parsed?.id === undefined
        ? []
        : [{ partition: parsed.partition, id: parsed.id, dir: join(this.stagedDir, name) }];
    });
  }

  /** The NDJSON lines of a staged object, in the order they were appended. */
  async lines(object: StagedObject): Promise<string[]> {
    const names = (await readdir(object.dir)).filter((n) => n.endsWith(ENTRY)).sort();
    const texts = await Promise.all(names.map((n) => readFile(join(object.dir, n), 'utf8')));
    return texts.flatMap((t) => t.split('\n').filter((l) => l !== ''));
  }

  /** Drops a staged object once S3 acknowledged it: out of staged in one rename, then deleted. */
  async remove(object: StagedObject): Promise<void> {
    const doomed = join(this.trashDir, `${object.id}`);
    await rename(object.dir, doomed);
    await fsyncPath(this.stagedDir);
    await rm(doomed, { recursive: true, force: true });
  }

  /**
   * Whether anything waits to be written: what a flush would stage or upload, so a partition folder left
   * without entries (an append that failed after creating it, a crash's `.part` removed) is not work.
   */
  isEmpty(): boolean {
    return this.pendingFolders().length === 0 && this.staged().length === 0;
  }
}
