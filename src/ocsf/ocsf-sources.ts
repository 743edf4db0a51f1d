import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The official OCSF source tree (dictionary.json, categories.json, events/, objects/, profiles/) read and
// composed by the OCSF rules: `extends` chains and `$include`d files, deep-merged with the entity's own
// attributes. The schema compiler turns the result into JSON Schema.

export type EnumItem = { caption?: string; [key: string]: unknown };

export interface AttributeDef {
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

export type AttributeMap = Record<string, AttributeDef>;

export interface SourceEntity {
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

export interface ResolvedEntity {
  name: string;
  caption?: string;
  category?: string;
  uid?: number;
  attributes: AttributeMap;
  constraints?: Record<string, string[]>;
}

export interface TypeDef {
  type?: string;
  regex?: string;
  max_len?: number;
  range?: [number, number];
  values?: unknown[];
}

export interface OcsfSources {
  root: string;
  version: string;
  dictionary: AttributeMap;
  types: Record<string, TypeDef>;
  categories: Record<string, { uid: number; caption: string }>;
  objects: Map<string, SourceEntity>;
  events: Map<string, SourceEntity>;
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

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OCSF's merge: the overriding side wins key by key, nested maps (enums) are merged recursively. */
export function deepMerge<T extends Record<string, unknown>>(base: T, override: Record<string, unknown>): T {
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

export function resolveEntity(
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
