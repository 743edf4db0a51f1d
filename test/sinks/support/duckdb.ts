// DuckDB as the independent Parquet reader of the tests (its own C++ reader, not the writer's library).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDb {
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openDuckDb(): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection: DuckDBConnection = await instance.connect();
  return {
    async rows(sql) {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A path as a SQL string literal. */
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * A DuckDB row as the JSON event it came from: NULL members left out (an absent value is absent, never
 * null), BIGINTs as numbers, and the named JSON text columns parsed.
 */
export function rowAsEvent(row: unknown, jsonColumns: ReadonlySet<string>, path = ''): unknown {
  if (typeof row === 'bigint') return Number(row);
  if (Array.isArray(row)) return row.map((item) => rowAsEvent(item, jsonColumns, `${path}[]`));
  if (typeof row === 'string' && jsonColumns.has(path)) return JSON.parse(row) as unknown;
  if (typeof row !== 'object' || row === null) return row;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null) continue;
    out[key] = rowAsEvent(value, jsonColumns, path === '' ? key : `${path}.${key}`);
  }
  return out;
}
