import {
  Bool,
  Field,
  Float64,
  Int64,
  List,
  Struct,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ColumnField, ColumnType } from './columns.js';

// Records -> Arrow column data, column by column (no row builders: a subtree that no record carries costs
// one allocation per leaf, not one append per row and leaf). A value that does not fit its column (a string
// where the schema says integer, a member the schema does not define) is an error naming its path: the
// encoder never writes null in place of a value.

/** A column with its Arrow type, computed once per encoder. */
export interface ArrowColumn {
  name: string;
  type: ColumnType;
  arrow: DataType;
  /** Struct members, or the single list item. */
  children: readonly ArrowColumn[];
  /** Struct member names, for the check that a record carries no member without a column. */
  names: ReadonlySet<string>;
}

/** Marks JSON text columns in the Arrow schema (the canonical extension name for JSON held as UTF-8). */
const JSON_FIELD_METADATA = new Map([['ARROW:extension:name', 'arrow.json']]);

export function arrowColumn(field: ColumnField): ArrowColumn {
  const { name, type } = field;
  switch (type.kind) {
    case 'struct': {
      const children = type.fields.map(arrowColumn);
      const arrow = new Struct(children.map(toArrowField));
      return { name, type, arrow, children, names: new Set(children.map((c) => c.name)) };
    }
    case 'list': {
      const item = arrowColumn({ name: 'element', type: type.item });
      return { name, type, arrow: new List(toArrowField(item)), children: [item], names: new Set() };
    }
    case 'string':
    case 'json':
      return { name, type, arrow: new Utf8(), children: [], names: new Set() };
    case 'int64':
      return { name, type, arrow: new Int64(), children: [], names: new Set() };
    case 'float64':
      return { name, type, arrow: new Float64(), children: [], names: new Set() };
    case 'boolean':
      return { name, type, arrow: new Bool(), children: [], names: new Set() };
  }
}

export function toArrowField(column: ArrowColumn): Field {
  const metadata = column.type.kind === 'json' ? JSON_FIELD_METADATA : undefined;
  return new Field(column.name, column.arrow, true, metadata);
}

/** Validity bits (LSB first) of the values `present` accepts; no bitmap when none is null. */
function validity(values: readonly unknown[], present: (value: unknown) => boolean) {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (present(values[i])) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return { nullCount, nullBitmap: nullCount === 0 ? undefined : bitmap };
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
const isAbsent = (value: unknown): boolean => value === undefined || value === null;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mismatch(path: string, expected: string, value: unknown): Error {
  const got = Array.isArray(value) ? 'a list' : typeof value;
  return new Error(`Parquet encoding: ${path} must be ${expected} for its column, got ${got}`);
}

function utf8Data(type: DataType, texts: readonly (string | undefined)[]): Data {
  const valueOffsets = new Int32Array(texts.length + 1);
  // One encoding pass for the column; when every text is ASCII (nearly always: ids, ARNs, names) the
  // byte offsets are the character offsets, otherwise each text's byte length is measured.
  const joined = texts.join('');
  const data = Buffer.from(joined, 'utf8');
  const ascii = data.length === joined.length;
  let end = 0;
  texts.forEach((text, i) => {
    if (text !== undefined) end += ascii ? text.length : Buffer.byteLength(text);
    valueOffsets[i + 1] = end;
  });
  const { nullCount, nullBitmap } = validity(texts, (text) => text !== undefined);
  return makeData({ type: type as Utf8, length: texts.length, nullCount, nullBitmap, valueOffsets, data });
}

function scalarData(column: ArrowColumn, values: readonly unknown[], path: string): Data {
  const length = values.length;
  const { nullCount, nullBitmap } = validity(values, (value) => !isAbsent(value));
  switch (column.type.kind) {
    case 'int64': {
      const data = new BigInt64Array(length);
      values.forEach((value, i) => {
        if (isAbsent(value)) return;
        if (!Number.isSafeInteger(value)) throw mismatch(path, 'an integer', value);
        data[i] = BigInt(value as number);
      });
      return makeData({ type: column.arrow as Int64, length, nullCount, nullBitmap, data });
    }
    case 'float64': {
      const data = new Float64Array(length);
      values.forEach((value, i) => {
        if (isAbsent(value)) return;
        if (typeof value !== 'number') throw mismatch(path, 'a number', value);
        data[i] = value;
      });
      return makeData({ type: column.arrow as Float64, length, nullCount, nullBitmap, data });
    }
    case 'boolean': {
      const data = new Uint8Array((length + 7) >> 3);
      values.forEach((value, i) => {
        if (isAbsent(value)) return;
        if (typeof value !== 'boolean') throw mismatch(path, 'true or false', value);
        if (value) data[i >> 3]! |= 1 << (i & 7);
      });
      return makeData({ type: column.arrow as Bool, length, nullCount, nullBitmap, data });
    }
    case 'json':
      return utf8Data(
        column.arrow,
        values.map((value) => (isAbsent(value) ? undefined : JSON.stringify(value))),
      );
    default:
      return utf8Data(
        column.arrow,
        values.map((value) => {
          if (isAbsent(value)) return undefined;
          if (typeof value !== 'string') throw mismatch(path, 'a string', value);
          return value;
        }),
      );
  }
}

/** Members with a value (for-in: no array per object, unlike Object.keys). */
function definedMembers(value: Record<string, unknown>): number {
  let count = 0;
  for (const key in value) if (value[key] !== undefined) count++;
  return count;
}

function unknownMember(column: ArrowColumn, value: Record<string, unknown>, path: string): Error {
  const key = Object.keys(value).find((k) => !column.names.has(k) && value[k] !== undefined);
  return new Error(
    `Parquet encoding: ${join(path, String(key))} has no column (the record schema does not define it)`,
  );
}

function structData(column: ArrowColumn, values: readonly unknown[], path: string): Data {
  const length = values.length;
  const records: (Record<string, unknown> | undefined)[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (isRecord(value)) records[i] = value;
    else if (isAbsent(value)) records[i] = undefined;
    else throw mismatch(path, 'an object', value);
  }
  // Column by column: one property name per loop keeps V8's property lookups cached. Every member with a
  // value must land in a column: `taken` counts them against the members each record has.
  const taken = new Int32Array(length);
  const children = column.children.map((child) => {
    const name = child.name;
    const members: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const member = records[i]?.[name];
      members[i] = member;
      if (member !== undefined) taken[i]!++;
    }
    return columnData(child, members, join(path, name));
  });
  for (let i = 0; i < length; i++) {
    const record = records[i];
    if (record !== undefined && taken[i] !== definedMembers(record))
      throw unknownMember(column, record, path);
  }
  const { nullCount, nullBitmap } = validity(records, (record) => record !== undefined);
  return makeData({ type: column.arrow as Struct, length, nullCount, nullBitmap, children });
}

function listData(column: ArrowColumn, values: readonly unknown[], path: string): Data {
  const valueOffsets = new Int32Array(values.length + 1);
  const items: unknown[] = [];
  values.forEach((value, i) => {
    if (Array.isArray(value)) for (const item of value) items.push(item);
    else if (!isAbsent(value)) throw mismatch(path, 'a list', value);
    valueOffsets[i + 1] = items.length;
  });
  const child = columnData(column.children[0] as ArrowColumn, items, `${path}[]`);
  const { nullCount, nullBitmap } = validity(values, Array.isArray);
  return makeData({
    type: column.arrow as List,
    length: values.length,
    nullCount,
    nullBitmap,
    valueOffsets,
    child,
  });
}

/** A column no record has a value for: every subtree null, without looking at a value. */
function nullData(column: ArrowColumn, length: number): Data {
  const common = { length, nullCount: length, nullBitmap: new Uint8Array((length + 7) >> 3) };
  switch (column.type.kind) {
    case 'struct':
      return makeData({
        ...common,
        type: column.arrow as Struct,
        children: column.children.map((c) => nullData(c, length)),
      });
    case 'list':
      return makeData({
        ...common,
        type: column.arrow as List,
        valueOffsets: new Int32Array(length + 1),
        child: nullData(column.children[0] as ArrowColumn, 0),
      });
    case 'int64':
      return makeData({ ...common, type: column.arrow as Int64, data: new BigInt64Array(length) });
    case 'float64':
      return makeData({ ...common, type: column.arrow as Float64, data: new Float64Array(length) });
    case 'boolean':
      return makeData({ ...common, type: column.arrow as Bool, data: new Uint8Array((length + 7) >> 3) });
    default:
      return makeData({
        ...common,
        type: column.arrow as Utf8,
        valueOffsets: new Int32Array(length + 1),
        data: new Uint8Array(0),
      });
  }
}

/** The Arrow data of one column for `values` (undefined or null = no value). */
export function columnData(column: ArrowColumn, values: readonly unknown[], path = column.name): Data {
  if (values.every(isAbsent)) return nullData(column, values.length);
  if (column.type.kind === 'struct') return structData(column, values, path);
  if (column.type.kind === 'list') return listData(column, values, path);
  return scalarData(column, values, path);
}
