// Durability on disk for the sinks that write files: a file's or a folder's contents and entries reach the
// disk before a batch counts as delivered (a folder's fsync makes its creations and renames durable).
import { open } from 'node:fs/promises';

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
