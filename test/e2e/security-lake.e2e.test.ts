// Amazon Security Lake end to end through the CLI against the emulator (2 accounts x 20 users): objects at
// the exact prefixes per account and day, read back by DuckDB equal to the NDJSON events of the same run, one
// Parquet schema across runs, S3 down for a whole run (exit 1, nothing lost, uploaded by the next run), kill -9
// between buffer and upload (uploaded once after restart), and OCSF 1.8.0 refused with exit 2.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  addSecurityLakeSource,
  createUser,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type Emulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { openDuckDb, rowAsEvent, sqlString, type DuckDb } from '../sinks/support/duckdb.js';
import { collect, LEAN_COLLECTOR, readEvents, runCli, spawnCli, tempDir, writeConfig } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const LAKE = '999988887777';
const BUCKET = 'aws-security-data-lake-us-east-1-e2e';
const EXTERNAL_ID = 'lake-external-id-5501';
const ROLE = 'IamInventoryReader';
/** How long the emulator holds a PutObject in the kill -9 test. */
const LATENCY_MS = 1500;

let emu: Emulator;
let s3: S3Client;
let duck: DuckDb;

function lakeSink(source: string): Record<string, unknown> {
  return {
    type: 'security_lake',
    bucket: BUCKET,
    region: 'us-east-1',
    source_name: source,
    role_arn: `arn:aws:iam::${LAKE}:role/AmazonSecurityLake-Provider-${source}-us-east-1`,
    external_id: EXTERNAL_ID,
  };
}

/** A config writing to a file sink and the lake source `source`, in its own state folder. */
function lakeConfig(source: string, ocsf = '1.3.0'): { dir: string; config: string; events: string } {
  const dir = tempDir();
  const events = join(dir, 'events.ndjson');
  const config = writeConfig({
    dir,
    endpoint: emu.url,
    collector: LEAN_COLLECTOR,
    ocsf: { version: ocsf },
    aws: { organization: { enabled: true, role_name: ROLE }, max_attempts: 2 },
    sinks: [{ type: 'file', path: events }, lakeSink(source)],
  });
  return { dir, config, events };
}

function keysUnder(prefix: string): string[] {
  return [...(emu.world.buckets?.get(BUCKET)?.objects.keys() ?? [])]
    .filter((k) => k.startsWith(prefix))
    .sort();
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The partition folder of each event, as Security Lake wants it. */
function partitionOf(source: string, event: Record<string, unknown>): string {
  const account = (event.cloud as { account: { uid: string } }).account.uid;
  return `ext/${source}/region=us-east-1/accountId=${account}/eventDay=${utcDay(event.time as number)}/`;
}

const folderOf = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);

/** The object, fetched through GetObject into a file of `dir`, as a SQL string literal of its path. */
async function fetchObject(key: string, dir: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const file = join(dir, key.replaceAll('/', '_'));
  writeFileSync(file, await got.Body!.transformToByteArray());
  return sqlString(file);
}

/** The object's rows as DuckDB reads them, as events. */
async function readObject(key: string, dir: string): Promise<Record<string, unknown>[]> {
  const rows = await duck.rows(`SELECT * FROM read_parquet(${await fetchObject(key, dir)})`);
  return rows.map((row) => rowAsEvent(row, new Set(['unmapped'])) as Record<string, unknown>);
}

async function schemaOf(key: string, dir: string): Promise<string[]> {
  const file = await fetchObject(key, dir);
  const rows = await duck.rows(`SELECT * EXCLUDE (file_name) FROM parquet_schema(${file})`);
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

/** Rows of every object under the source, and the NDJSON events grouped the same way (time order). */
async function expectObjectsEqualEvents(source: string, events: Record<string, unknown>[], dir: string) {
  const expected = new Map<string, Record<string, unknown>[]>();
  for (const e of events)
    expected.set(partitionOf(source, e), [...(expected.get(partitionOf(source, e)) ?? []), e]);
  const keys = keysUnder(`ext/${source}/`);
  expect(keys.map(folderOf).sort()).toEqual([...expected.keys()].sort());
  for (const key of keys) {
    expect(key).toMatch(/\/[0-9a-f-]{36}\.zstd\.parquet$/);
    const want = [...expected.get(folderOf(key))!].sort((a, b) => (a.time as number) - (b.time as number));
    expect(await readObject(key, dir)).toEqual(want);
  }
  return keys;
}

beforeAll(async () => {
  emu = await startEmulator({
    generator: {
      seed: 5501,
      accounts: 2,
      usersPerAccount: 20,
      groupsPerAccount: 3,
      organization: true,
      identityCenter: false,
    },
  });
  for (const source of ['lake1', 'lake2', 'lake3']) {
    addSecurityLakeSource(emu.world, {
      lakeAccountId: LAKE,
      bucket: BUCKET,
      sourceName: source,
      region: 'us-east-1',
      externalId: EXTERNAL_ID,
      trustedAccountId: emu.world.defaultAccountId,
    });
  }
  s3 = new S3Client({
    endpoint: emu.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
  });
  duck = await openDuckDb();
});

afterAll(async () => {
  duck?.close();
  s3?.destroy();
  await emu?.stop();
});

describe('security_lake through the CLI', () => {
  it('writes each account and day at its exact prefix; DuckDB reads the NDJSON events; one schema across runs', async () => {
    const { dir, config, events } = lakeConfig('lake1');
    const first = await runCli(['run', '--mode', 'full', '--config', config]);
    expect(first.code).toBe(0);
    const sent = readEvents(events);
    expect(new Set(sent.map((e) => (e.cloud as { account: { uid: string } }).account.uid)).size).toBe(2);
    const firstKeys = await expectObjectsEqualEvents('lake1', sent, dir);
    expect(first.stdout + first.stderr).not.toContain(EXTERNAL_ID);
    expect(readdirSync(join(dir, 'buffers', 'security_lake', 'staged'))).toEqual([]);

    // A second run with other identities: a new object, the same Parquet schema.
    createUser(emu.world, emu.world.defaultAccountId, { userName: 'lake-newcomer' });
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const added = keysUnder('ext/lake1/').filter((k) => !firstKeys.includes(k));
    expect(added).toHaveLength(1);
    expect(await readObject(added[0]!, dir)).toEqual(readEvents(events).slice(sent.length));
    expect(await schemaOf(added[0]!, dir)).toEqual(await schemaOf(firstKeys[0]!, dir));

    const policy = await runCli(['policy', '--config', config]);
    expect(policy.stdout).toContain('AmazonSecurityLake-Provider-lake1-us-east-1');
    expect(policy.stderr).toContain(`arn:aws:s3:::${BUCKET}/ext/lake1/*`);
  });

  it('S3 down for a whole run: exit 1, the buffer kept, everything uploaded by the next run', async () => {
    const { dir, config, events } = lakeConfig('lake2');
    const outage = emu.faults.add({ service: 's3', kind: 'error', status: 503, code: 'ServiceUnavailable' });
    const down = await runCli(['run', '--mode', 'full', '--config', config]);
    emu.faults.remove(outage);
    expect(down.code).toBe(1);
    expect(down.stdout + down.stderr).toContain('kept for the next flush');
    expect(keysUnder('ext/lake2/')).toEqual([]);
    expect(readdirSync(join(dir, 'buffers', 'security_lake', 'staged')).length).toBeGreaterThan(0);
    const sent = readEvents(events);
    expect(sent.length).toBeGreaterThan(0);
    // The events were acknowledged by the buffer: the next run sends nothing new, and uploads them.
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect(readEvents(events)).toHaveLength(sent.length);
    await expectObjectsEqualEvents('lake2', sent, dir);
  });

  it('kill -9 between buffer and upload: uploaded once, under the staged key, after restart', async () => {
    const { dir, config, events } = lakeConfig('lake3');
    const slow = emu.faults.add({
      service: 's3',
      action: 'PutObject',
      kind: 'latency',
      latencyMs: LATENCY_MS,
    });
    const puts = () => emu.stats().calls[LAKE]?.['s3:PutObject'] ?? 0;
    const before = puts();
    const child = spawnCli(['run', '--mode', 'full', '--config', config]);
    const exited = collect(child);
    for (let waited = 0; puts() === before; waited += 50) {
      if (waited > 60_000) throw new Error('the run never reached PutObject');
      await new Promise((r) => setTimeout(r, 50));
    }
    const killedAt = Date.now();
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    emu.faults.remove(slow);
    const staged = readdirSync(join(dir, 'buffers', 'security_lake', 'staged')).map((n) => n.split(',')[2]);
    expect(staged.length).toBeGreaterThan(0);

    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const keys = await expectObjectsEqualEvents('lake3', readEvents(events), dir);
    for (const id of staged) expect(keys.filter((k) => k.includes(id!))).toHaveLength(1);
    // The killed writer's PutObject is still held by the emulator: let it land before the emulator stops.
    await new Promise((r) => setTimeout(r, Math.max(0, LATENCY_MS + 200 - (Date.now() - killedAt))));
  });

  it('refuses security_lake with ocsf.version 1.8.0 (exit 2, naming both keys)', async () => {
    const { config } = lakeConfig('lake1', '1.8.0');
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sinks[1].type: security_lake needs ocsf.version 1.3.0 or earlier');
    expect(result.stderr).toContain('ocsf.version is 1.8.0');
  });
});
