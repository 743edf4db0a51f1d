import type { OcsfVersion } from '../config/config.js';
import type { UserInventoryEvent } from './event.js';
import { resolveSchemaRef } from './project.js';
import type { JsonSchema } from './schema-compiler.js';
import { loadCompiledSchema } from './schema-files.js';

// The JSON Schema of the records this product stores in columnar form (Parquet): the attributes a
// UserInventoryEvent has, typed as the compiled class schema of the version types them. The whole class
// would be 1,791 leaf columns in 1.3.0 and 8,166 in 1.8.0 (osint, actor, device, metadata.loggers ... that
// no inventory event carries): a table of phantom columns, and encoding cost grows with columns, not
// values. This schema is fixed per version, never read from the data, so every object has the same table.
// An attribute of the shape the version does not define is no column: the projection moved it under
// unmapped.ocsf, which is one of the free-form (JSON) columns.

/** `true`: the attribute as the version's schema types it; an object: only these members of it. */
type Shape<T> = {
  readonly [K in keyof Required<T>]-?: true | MemberShape<NonNullable<T[K]>>;
};
type MemberShape<V> = V extends readonly (infer Item)[]
  ? Item extends object
    ? Shape<Item>
    : never
  : V extends object
    ? Shape<V>
    : never;

const ACCOUNT = { type_id: true, type: true, uid: true, name: true, tags: true, is_disabled: true } as const;

/**
 * Every attribute of UserInventoryEvent, nested: the compiler rejects a shape that misses or invents one,
 * so a field added to the event type cannot be left without a column.
 */
export const EVENT_SHAPE = {
  activity_id: true,
  activity_name: true,
  category_name: true,
  category_uid: true,
  class_name: true,
  class_uid: true,
  cloud: { provider: true, account: ACCOUNT },
  metadata: {
    version: true,
    product: { name: true, vendor_name: true, version: true },
    profiles: true,
    uid: true,
    correlation_uid: true,
  },
  severity: true,
  severity_id: true,
  time: true,
  type_name: true,
  type_uid: true,
  unmapped: true,
  user: {
    name: true,
    uid: true,
    uid_alt: true,
    type_id: true,
    type: true,
    domain: true,
    display_name: true,
    full_name: true,
    email_addr: true,
    account: ACCOUNT,
    org: { uid: true, name: true },
    ldap_person: {
      created_time: true,
      last_login_time: true,
      deleted_time: true,
      given_name: true,
      surname: true,
    },
    groups: { name: true, uid: true, uid_alt: true, privileges: true },
    has_mfa: true,
    programmatic_credentials: { uid: true, type: true, last_used_time: true },
    risk_level_id: true,
    risk_level: true,
    risk_score: true,
  },
} as const satisfies Shape<UserInventoryEvent>;

type ShapeNode = true | { readonly [name: string]: ShapeNode };

/** `node` (a property's schema) with its object, or its list's item object, limited to `shape`. */
function limited(
  node: JsonSchema,
  shape: ShapeNode,
  defs: Record<string, JsonSchema>,
  path: string,
): JsonSchema {
  if (shape === true) return node;
  const resolved = resolveSchemaRef(node, defs);
  if (resolved.type === 'array') {
    return { ...resolved, items: limited(resolved.items as JsonSchema, shape, defs, `${path}[]`) };
  }
  const all = resolved.properties as Record<string, JsonSchema> | undefined;
  if (resolved.type !== 'object' || !all) throw new Error(`OCSF record schema: ${path} is not an object`);
  const properties: Record<string, JsonSchema> = {};
  for (const [name, member] of Object.entries(shape)) {
    const schema = all[name];
    // Not in this version: the projection moved it under unmapped.ocsf.
    if (schema) properties[name] = limited(schema, member, defs, path ? `${path}.${name}` : name);
  }
  return { type: 'object', properties, additionalProperties: false };
}

const cache = new Map<OcsfVersion, JsonSchema>();

/** The record schema of `version` (the $defs stay for attributes kept whole). */
export function eventRecordSchema(version: OcsfVersion): JsonSchema {
  let schema = cache.get(version);
  if (!schema) {
    const compiled = loadCompiledSchema(version);
    const defs = (compiled.$defs ?? {}) as Record<string, JsonSchema>;
    schema = {
      ...limited(compiled, EVENT_SHAPE, defs, ''),
      title: `${String(compiled.title)} records, OCSF ${version}`,
      'x-ocsf-version': compiled['x-ocsf-version'],
      $defs: defs,
    };
    cache.set(version, schema);
  }
  return schema;
}
