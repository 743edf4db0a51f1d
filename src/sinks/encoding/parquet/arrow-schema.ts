import { Bool, Field, Float64, Int64, List, Schema, Struct, Utf8, type DataType } from 'apache-arrow';
import type { ColumnField, ColumnType } from './columns.js';

// The Arrow schema of the columns (computed once per encoder): the table parquet-wasm turns into the
// Parquet schema. JSON text columns carry the canonical extension name for JSON held as UTF-8.

const JSON_FIELD_METADATA = new Map([['ARROW:extension:name', 'arrow.json']]);

function arrowType(type: ColumnType): DataType {
  switch (type.kind) {
    case 'struct':
      return new Struct(type.fields.map(arrowField));
    case 'list':
      return new List(arrowField({ name: 'element', type: type.item }));
    case 'string':
    case 'json':
      return new Utf8();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'boolean':
      return new Bool();
  }
}

function arrowField(field: ColumnField): Field {
  const metadata = field.type.kind === 'json' ? JSON_FIELD_METADATA : undefined;
  return new Field(field.name, arrowType(field.type), true, metadata);
}

export function arrowSchema(columns: readonly ColumnField[]): Schema {
  return new Schema(columns.map(arrowField));
}
