// The Parquet encoder, read back by an independent engine (DuckDB): rows equal the NDJSON events field by
// field and in time order, one schema per OCSF version whatever the identities, ZSTD, pages <= 1 MiB.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OcsfVersion } from '../../src/config/config.js';
import { generateWorld } from '../../src/emulator/index.js';
import type { Identity } from '../../src/identity/identity.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { projectToVersion } from '../../src/ocsf/project.js';
import { eventRecordSchema } from '../../src/ocsf/record-schema.js';
import { loadCompiledSchema } from '../../src/ocsf/schema-files.js';
import { encodeNdjson } from '../../src/sinks/encoding/ndjson.js';
import {
  columnsFromJsonSchema,
  jsonColumnPaths,
  leafColumnCount,
} from '../../src/sinks/encoding/parquet/columns.js';
import {
  createParquetEncoder,
  type ParquetEncoder,
} from '../../src/sinks/encoding/parquet/parquet-encoder.js';
import { mappingContext } from '../ocsf/identity-fixtures.js';
import { worldIdentities } from '../ocsf/world-identities.js';
import { openDuckDb, rowAsEvent, sqlString, type DuckDb } from './support/duckdb.js';
import { pageHeaders } from './support/parquet-pages.js';

interface Outbound {
  event: Record<string, unknown>;
  json: string;
}

function worldOf(seed: number, users: number): Identity[] {
  const { world } = generateWorld({
    seed,
    accounts: 1,
    usersPerAccount: users,
    groupsPerAccount: 12,
    identityCenter: { users: 8, groups: 3 },
  });
  return worldIdentities(world);
}

/** Events as a run hands them to sinks; `time` is each identity's CreateDate, so input is not time-ordered. */
function outbound(identities: Identity[], version: OcsfVersion): Outbound[] {
  return identities.map((identity, i) => {
    const ctx = { ...mappingContext, eventId: `evt-${i}`, eventTime: 'created' as const };
    const event = projectToVersion(mapIdentity(identity, ctx), version, loadCompiledSchema(version));
    return { event: event as unknown as Record<string, unknown>, json: JSON.stringify(event) };
  });
}

const encoderOf = (version: OcsfVersion): ParquetEncoder =>
  createParquetEncoder(eventRecordSchema(version), { metadata: { 'ocsf.version': version } });

let dir: string;
let duck: DuckDb;
let fileCount = 0;

function writeTemp(bytes: Uint8Array): string {
  const file = join(dir, `f${fileCount++}.parquet`);
  writeFileSync(file, bytes);
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parquet-test-'));
  duck = await openDuckDb();
});
afterAll(() => {
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

const identities = worldOf(18, 60);

describe.each(['1.3.0', '1.1.0', '1.8.0'] as const)('Parquet of OCSF %s events', (version) => {
  const encoder = encoderOf(version);
  const events = outbound(identities, version);

  it('DuckDB reads every row equal to the NDJSON event, field by field, ordered by time', async () => {
    const ndjson = gunzipSync(encodeNdjson(events, 'gzip')).toString('utf8');
    const expected = ndjson
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const times = expected.map((e) => e.time as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times).not.toEqual(events.map((e) => e.event.time));

    const file = writeTemp(encoder.encode(events));
    const rows = await duck.rows(`SELECT * FROM read_parquet(${sqlString(file)})`);
    const json = new Set(jsonColumnPaths(encoder.columns));
    expect(rows.map((row) => rowAsEvent(row, json))).toEqual(expected);
  });

  it("the same file from the JSON texts alone (an object sink's lines) as from the events", () => {
    // Out of time order, so the texts are read twice (the second time in order).
    expect(encoder.encodeTexts(events.map((e) => e.json))).toEqual(encoder.encode(events));
    const ordered = [...events].sort((a, b) => (a.event.time as number) - (b.event.time as number));
    expect(encoder.encodeTexts(ordered.map((e) => e.json))).toEqual(encoder.encode(events));
  });

  it('has nested columns (structs and lists), JSON text only for unmapped', async () => {
    const file = writeTemp(encoder.encode(events.slice(0, 5)));
    const described = await duck.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    const types = Object.fromEntries(described.map((r) => [r.column_name, r.column_type]));
    expect(types.time).toBe('BIGINT');
    expect(types.unmapped).toBe('VARCHAR');
    expect(types.user).toContain('"groups" STRUCT("name" VARCHAR, "privileges" VARCHAR[], uid VARCHAR');
    expect(types.user).toContain('ldap_person STRUCT(created_time BIGINT');
    expect(jsonColumnPaths(encoder.columns)).toEqual(['unmapped']);
  });
});

describe('one table per version', () => {
  it('two encodes of different identities have the same Parquet schema', async () => {
    const encoder = encoderOf('1.3.0');
    const schemaOf = async (bytes: Uint8Array) =>
      (
        await duck.rows(`SELECT * EXCLUDE (file_name) FROM parquet_schema(${sqlString(writeTemp(bytes))})`)
      ).map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
    const first = outbound(worldOf(18, 60).slice(0, 20), '1.3.0');
    const other = outbound(worldOf(77, 30).slice(-3), '1.3.0');
    const a = await schemaOf(encoder.encode(first));
    const b = await schemaOf(encoderOf('1.3.0').encode(other));
    expect(a.length).toBeGreaterThan(40);
    expect(b).toEqual(a);
  });

  it('an encoder writes the same bytes after a larger object as a new one (its stream buffer is reused)', () => {
    const encoder = encoderOf('1.3.0');
    const records = outbound(identities, '1.3.0');
    encoder.encode(records);
    const small = records.slice(0, 7);
    expect(encoder.encode(small)).toEqual(encoderOf('1.3.0').encode(small));
  });

  it('keeps min/max statistics for time (rows are sorted by it), none for nested columns', async () => {
    const records = outbound(identities, '1.3.0');
    const file = writeTemp(encoderOf('1.3.0').encode(records));
    const stats = await duck.rows(
      `SELECT path_in_schema AS path, stats_min_value AS min, stats_max_value AS max
         FROM parquet_metadata(${sqlString(file)})`,
    );
    const times = records.map((r) => r.event.time as number);
    expect(stats.find((s) => s.path === 'time')).toEqual({
      path: 'time',
      min: String(Math.min(...times)),
      max: String(Math.max(...times)),
    });
    expect(stats.find((s) => s.path === 'user, uid')).toEqual({ path: 'user, uid', min: null, max: null });
  });

  it('has the leaf columns per version that docs/parquet.md gives', () => {
    const count = (v: OcsfVersion) => leafColumnCount(columnsFromJsonSchema(eventRecordSchema(v)));
    const docs = readFileSync('docs/parquet.md', 'utf8').replace(/\s+/g, ' ');
    expect(docs).toContain(
      `the table has ${count('1.1.0')} leaf columns in 1.1.0, ${count('1.3.0')} in 1.3.0, ` +
        `${count('1.6.0')} in 1.6.0 and ${count('1.8.0')} in 1.8.0.`,
    );
  });

  it('writes the OCSF version in the key-value metadata', async () => {
    const file = writeTemp(encoderOf('1.3.0').encode(outbound(identities.slice(0, 2), '1.3.0')));
    const kv = await duck.rows(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${sqlString(file)})`,
    );
    expect(kv).toContainEqual({ key: 'ocsf.version', value: '1.3.0' });
  });
});

describe('Security Lake file rules', () => {
  async function expectZstdAndBoundedPages(records: { event: Record<string, unknown> }[]): Promise<void> {
    const bytes = encoderOf('1.3.0').encode(records);
    const file = writeTemp(bytes);
    const chunks = await duck.rows(
      `SELECT path_in_schema, compression, total_compressed_size, total_uncompressed_size,
              coalesce(dictionary_page_offset, data_page_offset) AS start
         FROM parquet_metadata(${sqlString(file)})`,
    );
    expect(new Set(chunks.map((c) => c.compression))).toEqual(new Set(['ZSTD']));
    const big = chunks.filter((c) => Number(c.total_uncompressed_size) > 2 * 1024 * 1024);
    expect(big.map((c) => c.path_in_schema)).toContain('unmapped');
    for (const chunk of chunks) {
      const pages = pageHeaders(bytes, Number(chunk.start), Number(chunk.total_compressed_size));
      expect(Math.max(...pages.map((p) => p.uncompressedSize))).toBeLessThanOrEqual(1024 * 1024);
      const dataPages = pages.filter((p) => p.type === 0 || p.type === 3);
      if (big.includes(chunk)) expect(dataPages.length).toBeGreaterThan(2);
    }
  }

  const base = outbound(identities, '1.3.0');

  it('every column chunk is ZSTD and every page holds at most 1 MiB uncompressed', async () => {
    // About 3,500 records: the unmapped column alone is several MiB, so it spans several pages.
    await expectZstdAndBoundedPages(Array.from({ length: 50 }, () => base).flat());
  });

  it('pages stay within 1 MiB with 6 KiB unmapped documents', async () => {
    const padded = base.map(({ event }) => {
      const unmapped = event.unmapped as { aws: Record<string, unknown> };
      return {
        event: { ...event, unmapped: { ...unmapped, aws: { ...unmapped.aws, pad: 'x'.repeat(6000) } } },
      };
    });
    await expectZstdAndBoundedPages(Array.from({ length: 8 }, () => padded).flat());
  });
});

describe('records that do not fit', () => {
  const encoder = encoderOf('1.3.0');
  const [sample] = outbound(identities.slice(0, 1), '1.3.0');
  const withUser = (user: Record<string, unknown>) => [{ event: { ...sample!.event, user } }];

  it('a member without a column is an error naming it, never dropped', () => {
    const user = { ...(sample!.event.user as Record<string, unknown>), has_mfa: true };
    expect(() => encoder.encode(withUser(user))).toThrow(/user\.has_mfa has no column/);
    expect(() => encoder.encode([{ event: { ...sample!.event, actor: {} } }])).toThrow(/actor has no column/);
  });

  it('a value of the wrong type is an error naming its path, never null', () => {
    const user = { ...(sample!.event.user as Record<string, unknown>), type_id: '1' };
    expect(() => encoder.encode(withUser(user))).toThrow(/user\.type_id must be an integer/);
  });

  it('a record without a numeric time cannot be ordered', () => {
    const { time: _time, ...timeless } = sample!.event;
    for (const event of [timeless, { ...sample!.event, time: null }]) {
      expect(() => encoder.encode([{ event }])).toThrow(/record 0: time must be a number/);
      expect(() => encoder.encodeTexts([JSON.stringify(event)])).toThrow(/record 0: time must be a number/);
    }
    const stringTime = { ...sample!.event, time: '2025' };
    expect(() => encoder.encode([{ event: stringTime }])).toThrow(/time must be a number/);
    expect(() => encoder.encodeTexts([JSON.stringify(stringTime)])).toThrow(/time must be an integer/);
  });

  it('the JSON texts meet the same errors as the events', () => {
    const user = { ...(sample!.event.user as Record<string, unknown>), has_mfa: true };
    expect(() => encoder.encodeTexts([JSON.stringify(withUser(user)[0]!.event)])).toThrow(
      /user\.has_mfa has no column/,
    );
    const typed = { ...(sample!.event.user as Record<string, unknown>), type_id: '1' };
    expect(() => encoder.encodeTexts([JSON.stringify(withUser(typed)[0]!.event)])).toThrow(
      /user\.type_id must be an integer for its column, got string/,
    );
    expect(() => encoder.encodeTexts([sample!.json.slice(0, -1)])).toThrow(/is not JSON/);
  });
});
