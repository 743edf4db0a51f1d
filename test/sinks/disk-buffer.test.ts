// The object sinks' disk buffer after a crash in the middle of writing an entry: what the crash cut short
// was never acknowledged and must not be read, and the acknowledged entries beside it must stay uploadable.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DiskBuffer } from '../../src/sinks/object-store/disk-buffer.js';

const partition = { account: '111111111111', day: '20261201' };
const dirs: string[] = [];

function bufferDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'disk-buffer-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DiskBuffer', () => {
  it('leaves no half-written entry after a crash: the acknowledged lines are staged, and only they', async () => {
    const dir = bufferDir();
    const before = new DiskBuffer(dir);
    await before.append(partition, ['{"n":1}', '{"n":2}']);
    await before.append(partition, ['{"n":3}']);
    const folder = join(dir, 'pending', '111111111111,20261201');
    expect(readdirSync(folder).every((name) => name.endsWith('.ndjson'))).toBe(true);
    // What a SIGKILL (or a full disk) in the middle of the next append leaves behind.
    writeFileSync(join(folder, '000000000000000-000000009-cut.part'), '{"n":4}\n{"n":');

    const after = new DiskBuffer(dir);
    const [pending] = after.pending();
    expect(readdirSync(folder).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(pending).toEqual({ partition, bytes: '{"n":1}\n{"n":2}\n{"n":3}\n'.length });
    const staged = await after.stage(partition);
    expect(await after.lines(staged)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('is empty when a crash left only a cut-off entry, so no flush runs for nothing', () => {
    const dir = bufferDir();
    const folder = join(dir, 'pending', '111111111111,20261201');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '000000000000000-000000001-cut.part'), '{"n":');
    const buffer = new DiskBuffer(dir);
    expect(buffer.pending()).toEqual([]);
    expect(buffer.isEmpty()).toBe(true);
  });

  it('touches nothing until it is used: building a sink to check its config leaves a live buffer alone', () => {
    const dir = bufferDir();
    const folder = join(dir, 'pending', '111111111111,20261201');
    mkdirSync(folder, { recursive: true });
    // A daemon's append in flight, and a removal it has yet to finish.
    writeFileSync(join(folder, '000000000000000-000000001-live.part'), '{"n":');
    mkdirSync(join(dir, 'trash', 'acknowledged'), { recursive: true });
    new DiskBuffer(dir);
    new DiskBuffer(join(dir, 'other'));
    expect(readdirSync(folder)).toEqual(['000000000000000-000000001-live.part']);
    expect(readdirSync(join(dir, 'trash'))).toEqual(['acknowledged']);
    expect(readdirSync(dir).sort()).toEqual(['pending', 'trash']);
  });
});
