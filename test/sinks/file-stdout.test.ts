// File sink (append, fsync, rotation) and stdout sink, on real temp files and streams.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createSink } from '../../src/sinks/registry.js';
import { makeContext, makeEvents } from './support/fixtures.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sinks-file-'));
}

describe('file sink', () => {
  it('appends NDJSON relative to baseDir, creating the folder, with mode 0640', async () => {
    const dir = tempDir();
    const sink = createSink({ type: 'file', path: 'out/events.ndjson' }, makeContext(dir));
    const events = makeEvents(4);
    await sink.send(events.slice(0, 2));
    await sink.send(events.slice(2));
    await sink.close();
    const path = join(dir, 'out', 'events.ndjson');
    expect(readFileSync(path, 'utf8')).toBe(events.map((e) => e.json + '\n').join(''));
    expect(statSync(path).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  it('rotates by size, keeps `keep` files and loses no line', async () => {
    const dir = tempDir();
    // user-10 .. user-49: every line has the same length, so the expected split is easy to state.
    const events = makeEvents(50).slice(10);
    const lineBytes = Buffer.byteLength(events[0]!.json) + 1;
    const sink = createSink(
      { type: 'file', path: 'events.ndjson', rotate: { max_bytes: lineBytes * 7 + 3, keep: 3 } },
      makeContext(dir),
    );
    // Batches of 5 do not divide 7 lines per file: batches must straddle rotations.
    for (let i = 0; i < 40; i += 5) await sink.send(events.slice(i, i + 5));
    await sink.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['events.ndjson', 'events.ndjson.1', 'events.ndjson.2', 'events.ndjson.3']);
    // 40 lines at 7 per file: 5 full files and a current one with 5; the two oldest files were dropped.
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const kept = ['events.ndjson.3', 'events.ndjson.2', 'events.ndjson.1', 'events.ndjson']
      .map(read)
      .join('');
    expect(kept).toBe(
      events
        .slice(14, 40)
        .map((e) => e.json + '\n')
        .join(''),
    );
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(lineBytes * 7 + 3);
  });

  it('puts a line larger than max_bytes alone in a file rather than splitting it', async () => {
    const dir = tempDir();
    const events = makeEvents(3);
    const sink = createSink(
      { type: 'file', path: 'e.ndjson', rotate: { max_bytes: 10, keep: 5 } },
      makeContext(dir),
    );
    await sink.send(events);
    await sink.close();
    expect(readFileSync(join(dir, 'e.ndjson.2'), 'utf8')).toBe(events[0]!.json + '\n');
    expect(readFileSync(join(dir, 'e.ndjson.1'), 'utf8')).toBe(events[1]!.json + '\n');
    expect(readFileSync(join(dir, 'e.ndjson'), 'utf8')).toBe(events[2]!.json + '\n');
  });
});

describe('stdout sink', () => {
  it('writes one JSON line per event to the injected stream', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const sink = createSink({ type: 'stdout' }, { ...makeContext(), stdout: stream });
    const events = makeEvents(3);
    await sink.send(events);
    await sink.close();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(events.map((e) => e.json + '\n').join(''));
  });
});
