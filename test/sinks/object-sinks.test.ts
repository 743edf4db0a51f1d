// The object sinks (security_lake, s3) against the emulator's S3 through the SDK: a batch is acknowledged
// once it is in the disk buffer, a flush writes one object per partition at the exact key, an outage keeps
// the buffer (and a restart uploads it under the key it was staged with), the role is refreshed before expiry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { configFromObject } from '../../src/config/load.js';
import {
  addSecurityLakeSource,
  createBucket,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type Emulator,
  generateWorld,
  startEmulator,
} from '../../src/emulator/index.js';
import { sinkContextFor } from '../../src/run/sink-context.js';
import { DiskBuffer } from '../../src/sinks/object-store/disk-buffer.js';
import { createSink } from '../../src/sinks/registry.js';
import type { OutboundEvent, Sink } from '../../src/sinks/sink.js';
import { CaptureLogger, failureOf } from './support/fixtures.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const LAKE = '999988887777';
const BUCKET = 'lake-bucket';
const EXTERNAL_ID = 'ext-id-never-logged';
const DAY1 = Date.UTC(2026, 11, 1, 10);
const DAY2 = Date.UTC(2026, 11, 2, 23, 59);
let emu: Emulator;
let clockOffset = 0;

const golden = JSON.parse(readFileSync('test/fixtures/ocsf/1.3.0/mfa.json', 'utf8')) as Record<
  string,
  unknown
>;

function eventFor(account: string, time: number, i: number): OutboundEvent {
  const event = structuredClone(golden);
  event.time = time + i;
  (event.cloud as { account: { uid: string } }).account.uid = account;
  (event.user as { name: string }).name = `user-${i}`;
  return { key: `user-${i}`, event, json: JSON.stringify(event) };
}

function openSink(
  stateDir: string,
  sink: Record<string, unknown>,
  maxAttempts = 1,
  logger = new CaptureLogger(),
): Sink {
  const config = configFromObject(
    {
      aws: {
        endpoint: emu.url,
        max_attempts: maxAttempts,
        credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
      },
      ocsf: { version: '1.3.0' },
      state: { path: join(stateDir, 'state.db') },
      sinks: [sink],
    },
    { baseDir: stateDir },
  );
  return createSink(config.sinks[0]!, { ...sinkContextFor(config, logger as never), logger });
}

const lakeSink = {
  type: 'security_lake',
  bucket: BUCKET,
  region: 'us-east-1',
  source_name: 'iaminv',
  role_arn: `arn:aws:iam::${LAKE}:role/AmazonSecurityLake-Provider-iaminv-us-east-1`,
  external_id: EXTERNAL_ID,
};

function keys(bucket: string): string[] {
  return [...(emu.world.buckets?.get(bucket)?.objects.keys() ?? [])].sort();
}

beforeAll(async () => {
  const { world } = generateWorld({ seed: 7, accounts: 1, usersPerAccount: 2, groupsPerAccount: 1 });
  emu = await startEmulator({ world, now: () => Date.now() + clockOffset });
  addSecurityLakeSource(emu.world, {
    lakeAccountId: LAKE,
    bucket: BUCKET,
    sourceName: 'iaminv',
    region: 'us-east-1',
    externalId: EXTERNAL_ID,
    trustedAccountId: world.defaultAccountId,
  });
  createBucket(emu.world, 'plain');
});

afterAll(async () => emu.stop());

describe('security_lake sink', () => {
  it('writes one object per account and day at the exact key, as the provider role', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lake-'));
    const sink = openSink(dir, lakeSink);
    const batch = [
      eventFor('111111111111', DAY1, 0),
      eventFor('222222222222', DAY2, 1),
      eventFor('111111111111', DAY1, 2),
    ];
    expect(await sink.send(batch)).toEqual({ rejected: [] });
    // Acknowledged = durably buffered; nothing is in S3 before the flush.
    expect(readdirSync(join(dir, 'buffers', 'security_lake', 'pending')).sort()).toEqual([
      '111111111111,20261201',
      '222222222222,20261202',
    ]);
    expect(keys(BUCKET)).toEqual([]);
    await sink.flush!();
    const written = keys(BUCKET);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(
      /^ext\/iaminv\/region=us-east-1\/accountId=111111111111\/eventDay=20261201\/[0-9a-f-]{36}\.zstd\.parquet$/,
    );
    expect(written[1]).toMatch(/^ext\/iaminv\/region=us-east-1\/accountId=222222222222\/eventDay=20261202\//);
    const object = emu.world.buckets!.get(BUCKET)!.objects.get(written[0]!)!;
    expect(object.body.subarray(0, 4).toString()).toBe('PAR1');
    expect(object.writtenBy).toContain(':assumed-role/AmazonSecurityLake-Provider-iaminv-us-east-1/');
    expect(Object.keys(object.checksums)).toEqual(['sha256']);
    expect(await sink.check()).toContain('wrote and deleted');
    await sink.close();
    expect(keys(BUCKET)).toHaveLength(2);
  });

  it('keeps the buffer while S3 is down and uploads it after a restart under the staged key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lake-'));
    const before = new Set(keys(BUCKET));
    const sink = openSink(dir, lakeSink);
    await sink.send([eventFor('333333333333', DAY1, 0)]);
    const outage = emu.faults.add({ service: 's3', kind: 'error', status: 503, code: 'ServiceUnavailable' });
    const err = await failureOf(sink.flush!());
    expect(err.message).toContain('PutObject');
    expect(err.message).not.toContain(EXTERNAL_ID);
    await sink.close();
    const staged = readdirSync(join(dir, 'buffers', 'security_lake', 'staged'));
    expect(staged).toHaveLength(1);
    emu.faults.remove(outage);
    const restarted = openSink(dir, lakeSink);
    await restarted.flush!();
    await restarted.close();
    const added = keys(BUCKET).filter((k) => !before.has(k));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain(
      `accountId=333333333333/eventDay=20261201/${staged[0]!.split(',')[2]}.zstd.parquet`,
    );
    expect(readdirSync(join(dir, 'buffers', 'security_lake', 'staged'))).toEqual([]);
  });

  it('reuses the provider role session, and refreshes it before it expires', async () => {
    const assumed = () => emu.stats().calls[emu.world.defaultAccountId]?.['sts:AssumeRole'] ?? 0;
    const twoFlushes = async (): Promise<number> => {
      const sink = openSink(mkdtempSync(join(tmpdir(), 'lake-')), lakeSink);
      const start = assumed();
      for (const i of [0, 1]) {
        await sink.send([eventFor('444444444444', DAY1, i)]);
        await sink.flush!();
      }
      await sink.close();
      return assumed() - start;
    };
    expect(await twoFlushes()).toBe(1);
    // Sessions the emulator issues now expire in two minutes of real time: inside the refresh margin.
    clockOffset = -(3600 - 120) * 1000;
    try {
      expect(await twoFlushes()).toBeGreaterThanOrEqual(2);
    } finally {
      clockOffset = 0;
    }
  });
});

describe('s3 sink', () => {
  it('writes gzip NDJSON under the prefix and Hive partitions, and refuses an event without an account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-'));
    const sink = openSink(dir, { type: 's3', bucket: 'plain', region: 'eu-west-1', prefix: 'inv' });
    const good = [eventFor('555555555555', DAY2, 1), eventFor('555555555555', DAY2, 0)];
    const bad = eventFor('555555555555', DAY2, 2);
    delete (bad.event as { cloud?: unknown }).cloud;
    const result = await sink.send([...good, { ...bad, json: JSON.stringify(bad.event) }]);
    expect(result.rejected).toEqual([{ index: 2, reason: expect.stringContaining('cloud.account.uid') }]);
    await sink.flush!();
    await sink.close();
    const [key] = keys('plain');
    expect(key).toMatch(/^inv\/accountId=555555555555\/eventDay=20261202\/[0-9a-f-]{36}\.ndjson\.gz$/);
    const body = emu.world.buckets!.get('plain')!.objects.get(key!)!.body;
    const lines = gunzipSync(body).toString('utf8').trim().split('\n');
    // Ordered by time.
    expect(lines).toEqual([good[1]!.json, good[0]!.json]);
    expect(existsSync(join(dir, 'buffers', 's3', 'pending', '555555555555,20261202'))).toBe(false);
  });
});

describe('object sizes and outages', () => {
  const ACCOUNT = '666666666666';
  /** The NDJSON lines of each object under `prefix`, in key order. */
  const objectsUnder = (prefix: string): string[][] =>
    keys('plain')
      .filter((k) => k.startsWith(`${prefix}/`))
      .map((k) => {
        const body = emu.world.buckets!.get('plain')!.objects.get(k)!.body;
        return gunzipSync(body).toString('utf8').trim().split('\n');
      });
  const names = (lines: string[]) =>
    lines.map((l) => (JSON.parse(l) as { user: { name: string } }).user.name).sort();

  it('S3 down for three flushes: the staged object keeps its key, the later batches make one object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-'));
    const sink = openSink(dir, { type: 's3', bucket: 'plain', region: 'eu-west-1', prefix: 'outage' });
    const buffer = join(dir, 'buffers', 's3');
    const outage = emu.faults.add({ service: 's3', kind: 'error', status: 503, code: 'ServiceUnavailable' });
    for (const batch of [[0], [1, 2], [3]]) {
      await sink.send(batch.map((i) => eventFor(ACCOUNT, DAY1, i)));
      await failureOf(sink.flush!());
    }
    const staged = readdirSync(join(buffer, 'staged'));
    expect(staged).toHaveLength(1);
    expect(readdirSync(join(buffer, 'pending'))).toEqual([`${ACCOUNT},20261201`]);
    emu.faults.remove(outage);
    await sink.flush!();
    await sink.close();
    const objects = objectsUnder('outage');
    expect(objects.map(names).sort()).toEqual([['user-0'], ['user-1', 'user-2', 'user-3']]);
    expect(keys('plain').filter((k) => k.includes(staged[0]!.split(',')[2]!))).toHaveLength(1);
    expect(readdirSync(join(buffer, 'staged'))).toEqual([]);
    expect(readdirSync(join(buffer, 'pending'))).toEqual([]);
  });

  it('a batch that fails to buffer leaves none of its events buffered: sent again, each is uploaded once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-'));
    const other = '777777777777';
    const max = 2 * (eventFor(ACCOUNT, DAY1, 0).json.length + 1) + 10;
    const sink = openSink(dir, {
      type: 's3',
      bucket: 'plain',
      region: 'eu-west-1',
      prefix: 'whole',
      max_object_bytes: max,
    });
    const buffer = join(dir, 'buffers', 's3');
    // The second account's folder leads where no file can be created (a real ENOENT from open), after the
    // first account's lines were appended and its full object staged by the same batch.
    const blocked = join(buffer, 'pending', `${other},20261201`);
    mkdirSync(join(buffer, 'pending'), { recursive: true });
    symlinkSync('/proc/1', blocked);
    const batch = [1, 2, 3].map((i) => eventFor(ACCOUNT, DAY1, i)).concat([eventFor(other, DAY1, 4)]);
    // The object it staged held only its own lines: it goes too.
    await expect(sink.send(batch)).rejects.toThrow(/ENOENT/);
    expect(readdirSync(join(buffer, 'staged'))).toEqual([]);
    await sink.send([eventFor(ACCOUNT, DAY1, 0)]);
    await expect(sink.send(batch)).rejects.toThrow(/ENOENT/);
    // What a flush would read: the older event staged, nothing of the failed batch pending.
    const onDisk = new DiskBuffer(buffer);
    const staged = await Promise.all(onDisk.staged().map((object) => onDisk.lines(object)));
    expect(names(staged.flat())).toEqual(['user-0']);
    expect(onDisk.pending()).toEqual([]);
    rmSync(blocked);
    await sink.send(batch);
    await sink.flush!();
    await sink.close();
    expect(objectsUnder(`whole/accountId=${ACCOUNT}`).flatMap(names).sort()).toEqual([
      'user-0',
      'user-1',
      'user-2',
      'user-3',
    ]);
    expect(objectsUnder(`whole/accountId=${other}`).map(names)).toEqual([['user-4']]);
  });

  it('cuts a batch above max_object_bytes into objects under it; an event above it goes alone, with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-'));
    const line = eventFor(ACCOUNT, DAY2, 0).json.length + 1;
    const max = 3 * line + 10;
    const logger = new CaptureLogger();
    const sink = openSink(
      dir,
      { type: 's3', bucket: 'plain', region: 'eu-west-1', prefix: 'cut', max_object_bytes: max },
      1,
      logger,
    );
    const huge = eventFor(ACCOUNT, DAY2, 7);
    (huge.event.user as { name: string }).name = `user-7-${'x'.repeat(max)}`;
    const batch = [...[0, 1, 2, 3, 4, 5, 6].map((i) => eventFor(ACCOUNT, DAY2, i)), huge];
    await sink.send(batch.map((e) => ({ ...e, json: JSON.stringify(e.event) })));
    await sink.flush!();
    await sink.close();
    const objects = objectsUnder('cut');
    const sizes = objects.map((lines) => Buffer.byteLength(`${lines.join('\n')}\n`));
    const oversized = objects.filter((_o, i) => sizes[i]! > max);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]).toHaveLength(1);
    expect(names(objects.flat()).map((n) => n.slice(0, 6))).toEqual(batch.map((_e, i) => `user-${i}`));
    expect(objects).toHaveLength(4);
    const warning = logger.lines.find((l) => l.level === 'warn');
    expect(warning?.msg).toContain('larger than max_object_bytes');
    expect(warning?.obj).toMatchObject({ account: ACCOUNT, day: '20261202', max });
  });
});
