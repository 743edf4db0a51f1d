import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Compiles one OCSF event class from the official source tree (dictionary.json, events/, objects/,
// profiles/) into a JSON Schema (draft 2020-12). The composition follows the OCSF rules: `extends` chains,
// `$include`d files, dictionary types and enums deep-merged with the class/object overrides, objects as
// $defs referenced with $ref (objects reference each other in cycles).
//
// Annotations the validator's semantic check reads (JSON Schema itself cannot compare siblings):
//   x-ocsf-enum:    { "<id value>": "<caption>" } on every enumerated attribute
//   x-ocsf-sibling: the name of the attribute that carries the caption (activity_id -> activity_name)
//   x-ocsf-profile: the profile an attribute comes from (informational)

export type JsonSchema = { [key: string]: unknown };

export const OCSF_ANNOTATION_KEYWORDS = ['x-ocsf-enum', 'x-ocsf-sibling', 'x-ocsf-profile', 'x-ocsf-version'];

type EnumItem = { caption?: string; [key: string]: unknown };

interface AttributeDef {
  type?: string;
  is_array?: boolean;
  enum?: Record<string, EnumItem>;
  sibling?: string;
  requirement?: string;
  profile?: string | null;
  '@deprecated'?: unknown;
  caption?: string;
  [key: string]: unknown;
}

type AttributeMap = Record<string, AttributeDef>;

interface SourceEntity {
  name: string;
  caption?: string;
  extends?: string;
  category?: string;
  uid?: number;
  attributes?: Record<string, unknown>;
  constraints?: Record<string, string[]>;
  meta?: string;
  [key: string]: unknown;
}

interface ResolvedEntity {
  name: string;
  caption?: string;
  category?: string;
  uid?: number;
  attributes: AttributeMap;
  constraints?: Record<string, string[]>;
}

interface TypeDef {
  type?: string;
  regex?: string;
  max_len?: number;
  range?: [number, number];
  values?: unknown[];
}

interface OcsfSources {
  root: string;
  version: string;
  dictionary: AttributeMap;
  types: Record<string, TypeDef>;
  categories: Record<string, { uid: number; caption: string }>;
  objects: Map<string, SourceEntity>;
  events: Map<string, SourceEntity>;
}

export interface CompileResult {
  schema: JsonSchema;
  /** Things the compiler could not express, for the caller to log. */
  warnings: string[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listJsonFiles(path));
    else if (entry.endsWith('.json')) out.push(path);
  }
  return out;
}

function indexByName(dir: string): Map<string, SourceEntity> {
  const map = new Map<string, SourceEntity>();
  for (const file of listJsonFiles(dir)) {
    const entity = readJson(file) as SourceEntity;
    if (typeof entity.name === 'string') map.set(entity.name, entity);
  }
  return map;
}

export function loadOcsfSources(root: string): OcsfSources {
  const dictionaryFile = readJson(join(root, 'dictionary.json')) as {
    attributes: AttributeMap;
    types: { attributes: Record<string, TypeDef> };
  };
  const categoriesFile = readJson(join(root, 'categories.json')) as {
    attributes: Record<string, { uid: number; caption: string }>;
  };
  const version = (readJson(join(root, 'version.json')) as { version: string }).version;
  return {
    root,
    version,
    dictionary: dictionaryFile.attributes,
    types: dictionaryFile.types.attributes,
    categories: categoriesFile.attributes,
    objects: indexByName(join(root, 'objects')),
    events: indexByName(join(root, 'events')),
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OCSF's merge: the overriding side wins key by key, nested maps (enums) are merged recursively. */
function deepMerge<T extends Record<string, unknown>>(base: T, override: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out as T;
}

function mergeAttributeMaps(base: AttributeMap, override: AttributeMap): AttributeMap {
  const out: AttributeMap = { ...base };
  for (const [name, def] of Object.entries(override)) {
    out[name] = out[name] ? deepMerge(out[name], def) : def;
  }
  return out;
}

/** The entity's own attributes with its `$include`d files expanded (its own entries win). */
function ownAttributes(sources: OcsfSources, entity: SourceEntity): AttributeMap {
  const raw = entity.attributes ?? {};
  let included: AttributeMap = {};
  const includes = raw['$include'];
  for (const includePath of Array.isArray(includes) ? (includes as string[]) : []) {
    // OCSF resolves include paths against the schema root, not against the including file.
    const file = readJson(join(sources.root, includePath)) as SourceEntity;
    const fileAttributes = (file.attributes ?? {}) as AttributeMap;
    const annotated: AttributeMap = {};
    for (const [name, def] of Object.entries(fileAttributes)) {
      annotated[name] = file.meta === 'profile' && !('profile' in def) ? { ...def, profile: file.name } : def;
    }
    included = mergeAttributeMaps(included, annotated);
  }
  const own: AttributeMap = {};
  for (const [name, def] of Object.entries(raw)) {
    if (name !== '$include') own[name] = def as AttributeDef;
  }
  return mergeAttributeMaps(included, own);
}

function resolveEntity(
  sources: OcsfSources,
  table: Map<string, SourceEntity>,
  name: string,
  seen: string[] = [],
): ResolvedEntity {
  const entity = table.get(name);
  if (!entity)
    throw new Error(`OCSF source: unknown ${table === sources.events ? 'class' : 'object'} "${name}"`);
  if (seen.includes(name)) throw new Error(`OCSF source: extends cycle ${[...seen, name].join(' -> ')}`);
  const own = ownAttributes(sources, entity);
  if (!entity.extends) {
    return {
      name,
      caption: entity.caption,
      category: entity.category,
      uid: entity.uid,
      attributes: own,
      constraints: entity.constraints,
    };
  }
  const parent = resolveEntity(sources, table, entity.extends, [...seen, name]);
  return {
    name,
    caption: entity.caption ?? parent.caption,
    category: entity.category ?? parent.category,
    uid: entity.uid ?? parent.uid,
    attributes: mergeAttributeMaps(parent.attributes, own),
    constraints: entity.constraints ?? parent.constraints,
  };
}

class SchemaBuilder {
  readonly defs: Record<string, JsonSchema> = {};
  readonly warnings: string[] = [];
  private readonly pending: string[] = [];

  constructor(private readonly sources: OcsfSources) {}

  scalarSchema(typeName: string): JsonSchema {
    // Walk to the primitive (timestamp_t -> long_t, email_t -> string_t); the named type's own
    // constraints are applied last so they win over its base's.
    const chain: TypeDef[] = [];
    let base = typeName;
    for (;;) {
      const def: TypeDef | undefined = this.sources.types[base];
      if (!def) throw new Error(`OCSF source: unknown type "${base}"`);
      chain.push(def);
      if (!def.type) break;
      base = def.type;
    }
    const schema: JsonSchema = {};
    switch (base) {
      case 'string_t':
        schema.type = 'string';
        break;
      case 'integer_t':
      case 'long_t':
        // timestamp_t is long_t: epoch milliseconds as an integer, never a string or float seconds.
        schema.type = 'integer';
        break;
      case 'float_t':
        schema.type = 'number';
        break;
      case 'boolean_t':
        schema.type = 'boolean';
        break;
      case 'json_t':
        break;
      default:
        throw new Error(`OCSF source: type "${typeName}" has no JSON Schema mapping`);
    }
    for (const def of chain.reverse()) {
      if (def.regex !== undefined) schema.pattern = def.regex;
      if (def.max_len !== undefined) schema.maxLength = def.max_len;
      if (def.range) {
        schema.minimum = def.range[0];
        schema.maximum = def.range[1];
      }
    }
    return schema;
  }

  objectRef(objectName: string): JsonSchema {
    // The generic `object` type has no attributes: it is free-form, like json_t.
    if (objectName === 'object') return { type: 'object' };
    if (!this.sources.objects.has(objectName)) throw new Error(`OCSF source: unknown object "${objectName}"`);
    if (!(objectName in this.defs) && !this.pending.includes(objectName)) this.pending.push(objectName);
    return { $ref: `#/$defs/${objectName}` };
  }

  attributeSchema(
    name: string,
    local: AttributeDef,
    owner: string,
    replacedEnum?: Record<string, EnumItem>,
  ): JsonSchema {
    const dictionaryDef = this.sources.dictionary[name];
    if (!dictionaryDef) throw new Error(`OCSF source: ${owner}.${name} is not in dictionary.json`);
    const def = deepMerge(dictionaryDef, local);
    if (replacedEnum) def.enum = replacedEnum;
    const typeName = def.type;
    if (!typeName) throw new Error(`OCSF source: ${owner}.${name} has no type`);
    let value: JsonSchema = typeName.endsWith('_t') ? this.scalarSchema(typeName) : this.objectRef(typeName);
    if (def.enum && Object.keys(def.enum).length > 0) {
      const numeric = value.type === 'integer';
      const keys = Object.keys(def.enum);
      const values = keys.map((key) => (numeric ? Number(key) : key));
      values.sort((a, b) =>
        typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
      );
      const captions: Record<string, string> = {};
      for (const key of keys) captions[key] = def.enum[key]?.caption ?? key;
      value = { ...value, enum: values, 'x-ocsf-enum': captions };
      if (def.sibling) value['x-ocsf-sibling'] = def.sibling;
    }
    const schema: JsonSchema = def.is_array ? { type: 'array', items: value } : value;
    if (def['@deprecated'] !== undefined) schema.deprecated = true;
    if (typeof def.profile === 'string') schema['x-ocsf-profile'] = def.profile;
    return schema;
  }

  /** properties/required/constraints for a resolved entity; attributes required only under a profile are returned apart. */
  entityBody(
    entity: ResolvedEntity,
    owner: string,
    replacedEnums: Record<string, Record<string, EnumItem>> = {},
  ): { body: JsonSchema; profileRequired: Map<string, string[]> } {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const profileRequired = new Map<string, string[]>();
    for (const name of Object.keys(entity.attributes).sort()) {
      const def = entity.attributes[name] as AttributeDef;
      properties[name] = this.attributeSchema(name, def, owner, replacedEnums[name]);
      if (def.requirement !== 'required') continue;
      if (typeof def.profile === 'string') {
        profileRequired.set(def.profile, [...(profileRequired.get(def.profile) ?? []), name]);
      } else {
        required.push(name);
      }
    }
    const body: JsonSchema = { type: 'object', properties, additionalProperties: false };
    if (entity.caption) body.title = entity.caption;
    if (required.length > 0) body.required = required;
    const constraintSchemas: JsonSchema[] = [];
    for (const [kind, names] of Object.entries(entity.constraints ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const alternatives = [...names].sort().map((attribute) => ({ required: [attribute] }));
      if (kind === 'at_least_one') constraintSchemas.push({ anyOf: alternatives });
      else if (kind === 'just_one') constraintSchemas.push({ oneOf: alternatives });
      else this.warnings.push(`${owner}: constraint "${kind}" is not supported and was ignored`);
    }
    if (constraintSchemas.length === 1) Object.assign(body, constraintSchemas[0]);
    else if (constraintSchemas.length > 1) body.allOf = constraintSchemas;
    return { body, profileRequired };
  }

  drainObjects(): void {
    for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
      if (next in this.defs) continue;
      this.defs[next] = {}; // placeholder: cycles resolve to the $ref, not to a second compilation
      const entity = resolveEntity(this.sources, this.sources.objects, next);
      const { body, profileRequired } = this.entityBody(entity, next);
      for (const [profile, names] of profileRequired) {
        // A nested object cannot see the event's metadata.profiles, so these stay optional.
        this.warnings.push(
          `${next}: ${names.join(', ')} required only under profile "${profile}": left optional`,
        );
      }
      this.defs[next] = body;
    }
  }
}

function classUid(
  sources: OcsfSources,
  entity: ResolvedEntity,
): { classUid: number; category: { uid: number; caption: string } } {
  const category = entity.category ? sources.categories[entity.category] : undefined;
  if (!category || entity.uid === undefined) {
    throw new Error(`OCSF source: class "${entity.name}" has no category or uid`);
  }
  return { classUid: category.uid * 1000 + entity.uid, category };
}

/** The `if metadata.profiles contains P then required [...]` rule for one profile. */
function profileRule(profile: string, names: string[]): JsonSchema {
  return {
    if: {
      properties: {
        metadata: { properties: { profiles: { contains: { const: profile } } }, required: ['profiles'] },
      },
      required: ['metadata'],
    },
    then: { required: [...names].sort() },
  };
}

export function compileClassSchema(sourceRoot: string, className = 'user_inventory'): CompileResult {
  const sources = loadOcsfSources(sourceRoot);
  const entity = resolveEntity(sources, sources.events, className);
  const { classUid: uid, category } = classUid(sources, entity);
  const caption = entity.caption ?? className;

  // What the OCSF server derives per class: class_uid, category_uid and type_uid enums.
  const activityEnum = deepMerge(
    sources.dictionary['activity_id']?.enum ?? {},
    entity.attributes['activity_id']?.enum ?? {},
  );
  const typeEnum: Record<string, EnumItem> = {};
  for (const [activity, item] of Object.entries(activityEnum)) {
    typeEnum[String(uid * 100 + Number(activity))] = { caption: `${caption}: ${item.caption ?? activity}` };
  }
  // These replace, not extend, the inherited enums (base_event's class_uid 0 "Base Event" and so on).
  const replacedEnums = {
    class_uid: { [String(uid)]: { caption } },
    category_uid: { [String(category.uid)]: { caption: category.caption } },
    type_uid: typeEnum,
  };
  const builder = new SchemaBuilder(sources);
  const { body, profileRequired } = builder.entityBody(entity, className, replacedEnums);
  builder.drainObjects();

  const rules = [...profileRequired.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([profile, names]) => profileRule(profile, names));
  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://schema.ocsf.io/${sources.version}/classes/${className}`,
    'x-ocsf-version': sources.version,
    ...body,
    title: caption,
    $defs: builder.defs,
  };
  if (rules.length > 0) schema.allOf = [...((schema.allOf as JsonSchema[] | undefined) ?? []), ...rules];
  return { schema, warnings: builder.warnings };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

/** The committed file form: keys sorted at every level, two-space indent, trailing newline. */
export function serializeSchema(schema: JsonSchema): string {
  return `${JSON.stringify(sortKeys(schema), null, 2)}\n`;
}
