// TypeBox schema -> plain JSON Schema (what ajv compiles and schemas/*.json hold).
//
// The TypeBox sources describe the config as the code reads it after loading, so a key with a default is
// written required there (its type is never undefined). In the JSON Schema such a key is optional: the user
// may leave it out and validation fills it in. That is the one difference this conversion makes.

export type JsonSchemaObject = { [key: string]: unknown };

/** Keys first in this order (the rest keep theirs), so the generated files read like hand-written ones. */
const LEADING_KEYS = [
  '$schema',
  '$id',
  'title',
  'type',
  'description',
  'additionalProperties',
  'const',
  'enum',
];
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords whose value is a schema or a list of schemas. */
const SUBSCHEMAS = new Set([
  'items',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
]);

function isObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plain data (defaults, enums, required lists): a copy without TypeBox's non-enumerable markers. */
function copy(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function convert(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convert);
  if (!isObject(schema)) return copy(schema);
  const keys = Object.keys(schema);
  const out: JsonSchemaObject = {};
  for (const key of [...LEADING_KEYS.filter((k) => keys.includes(k)), ...keys]) {
    if (key in out) continue;
    const value = schema[key];
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, convert(s)]));
    } else out[key] = SUBSCHEMAS.has(key) ? convert(value) : copy(value);
  }
  const properties = out.properties;
  if (Array.isArray(out.required) && isObject(properties)) {
    const required = out.required.filter(
      (key) => !(isObject(properties[key]) && properties[key].default !== undefined),
    );
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

/** The JSON Schema of a TypeBox schema (TypeBox's own markers are not enumerable and are left behind). */
export function jsonSchemaOf(schema: object): JsonSchemaObject {
  return convert(schema) as JsonSchemaObject;
}
