// The columns of a Parquet table, derived from the JSON Schema of its records (for OCSF: the compiled class
// schema of one version), never from the data: every object written for a version has the same columns,
// so a Glue crawler sees one stable table.
//
// Closed objects (additionalProperties: false) become structs and arrays become lists, all nullable.
// Three parts cannot be structs and become JSON text columns (`json`): free-form objects and json_t values
// (`unmapped`, the generic `object` type), objects that leave room for extra members, and an object that
// contains itself (user.ldap_person.manager is a user): that column holds the nested object as JSON.

/** A JSON Schema document or node, draft 2020-12, with objects as $defs referenced by "#/$defs/<name>". */
export type JsonSchemaNode = { readonly [key: string]: unknown };

export type ColumnType =
  | { kind: 'struct'; fields: readonly ColumnField[] }
  | { kind: 'list'; item: ColumnType }
  | { kind: 'string' }
  | { kind: 'int64' }
  | { kind: 'float64' }
  | { kind: 'boolean' }
  | { kind: 'json'; reason: 'free-form' | 'recursive' };

export interface ColumnField {
  name: string;
  type: ColumnType;
}

interface Walk {
  defs: Record<string, JsonSchemaNode>;
  /** $defs entered on the way from the root: a $ref back into one of them is a cycle. */
  open: readonly string[];
}

const FREE_FORM: ColumnType = { kind: 'json', reason: 'free-form' };

function columnType(node: JsonSchemaNode, walk: Walk, path: string): ColumnType {
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/$defs/', '');
    const target = walk.defs[name];
    if (!target) throw new Error(`Parquet columns: ${path} refers to a missing schema ${ref}`);
    if (walk.open.includes(name)) return { kind: 'json', reason: 'recursive' };
    return columnType(target, { ...walk, open: [...walk.open, name] }, path);
  }
  switch (node.type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'int64' };
    case 'number':
      return { kind: 'float64' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const items = node.items as JsonSchemaNode | undefined;
      return items ? { kind: 'list', item: columnType(items, walk, `${path}[]`) } : FREE_FORM;
    }
    case 'object':
      return objectType(node, walk, path);
    case undefined:
      return FREE_FORM;
    default:
      throw new Error(`Parquet columns: ${path} has type ${JSON.stringify(node.type)}, which has no column`);
  }
}

function objectType(node: JsonSchemaNode, walk: Walk, path: string): ColumnType {
  const properties = node.properties as Record<string, JsonSchemaNode> | undefined;
  if (!properties || Object.keys(properties).length === 0 || node.additionalProperties !== false) {
    return FREE_FORM;
  }
  // Sorted, so two schemas listing the same members in another order give the same table.
  const fields = Object.keys(properties)
    .sort()
    .map((name) => ({
      name,
      type: columnType(properties[name] as JsonSchemaNode, walk, path ? `${path}.${name}` : name),
    }));
  return { kind: 'struct', fields };
}

/** The top-level columns for records described by `schema` (a closed object at its root). */
export function columnsFromJsonSchema(schema: JsonSchemaNode): readonly ColumnField[] {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchemaNode>;
  const root = objectType(schema, { defs, open: [] }, '');
  if (root.kind !== 'struct') {
    throw new Error('Parquet columns: the record schema must be an object with additionalProperties false');
  }
  return root.fields;
}

/**
 * Paths of the JSON text columns: "user.ldap_person.manager", lists as `list` ("a[]", or the Parquet leaf
 * path "a.list.element" with `list` = ".list.element").
 */
export function jsonColumnPaths(fields: readonly ColumnField[], list = '[]', prefix = ''): string[] {
  return fields.flatMap((field) => {
    let type = field.type;
    let path = `${prefix}${field.name}`;
    while (type.kind === 'list') {
      type = type.item;
      path += list;
    }
    if (type.kind === 'json') return [path];
    return type.kind === 'struct' ? jsonColumnPaths(type.fields, list, `${path}.`) : [];
  });
}

/** The Parquet leaf columns under `fields`: one per scalar or JSON text, through structs and lists. */
export function leafColumnCount(fields: readonly ColumnField[]): number {
  const leaves = (type: ColumnType): number =>
    type.kind === 'struct' ? leafColumnCount(type.fields) : type.kind === 'list' ? leaves(type.item) : 1;
  return fields.reduce((n, f) => n + leaves(f.type), 0);
}
