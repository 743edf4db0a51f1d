import type { OcsfVersion } from '../config/config.js';
import type { UserInventoryEvent } from './event.js';
import type { JsonSchema } from './schema-compiler.js';

// Trims an event built for the newest OCSF version down to what an older version defines, by walking the
// event along the target's compiled schema: no hand-kept list of per-version fields. Free-form parts
// (unmapped, json_t, the generic object) are kept whole.

type Node = JsonSchema;

function resolve(node: Node, defs: Record<string, Node>): Node {
  let current = node;
  for (let ref = current.$ref; typeof ref === 'string'; ref = current.$ref) {
    const name = ref.replace('#/$defs/', '');
    const target = defs[name];
    if (!target) throw new Error(`compiled OCSF schema: dangling $ref ${ref}`);
    current = target;
  }
  return current;
}

function project(value: unknown, node: Node, defs: Record<string, Node>): unknown {
  const schema = resolve(node, defs);
  if (Array.isArray(value)) {
    const items = schema.items as Node | undefined;
    return items ? value.map((item) => project(item, items, defs)) : value;
  }
  const properties = schema.properties as Record<string, Node> | undefined;
  if (typeof value !== 'object' || value === null || !properties) return value;
  const open = schema.additionalProperties !== false;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const memberSchema = properties[key];
    if (memberSchema) out[key] = project(member, memberSchema, defs);
    else if (open) out[key] = member;
  }
  return out;
}

/** A copy of the event holding only what `version` defines, with metadata.version set to it. */
export function projectToVersion(
  event: UserInventoryEvent,
  version: OcsfVersion,
  compiledSchema: JsonSchema,
): UserInventoryEvent {
  const schemaVersion = compiledSchema['x-ocsf-version'];
  if (schemaVersion !== version) {
    throw new Error(`projectToVersion: schema is for OCSF ${String(schemaVersion)}, not ${version}`);
  }
  const defs = (compiledSchema.$defs ?? {}) as Record<string, Node>;
  const projected = project(event, compiledSchema, defs) as UserInventoryEvent;
  projected.metadata = { ...projected.metadata, version };
  return projected;
}
