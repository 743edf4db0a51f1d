import {
  deepMerge,
  isPlainObject,
  loadOcsfSources,
  resolveEntity,
  type AttributeDef,
  type EnumItem,
  type OcsfSources,
  type ResolvedEntity,
  type TypeDef,
} from './ocsf-sources.js';

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

export interface CompileResult {
  schema: JsonSchema;
  /** Things the compiler could not express, for the caller to log. */
  warnings: string[];
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
