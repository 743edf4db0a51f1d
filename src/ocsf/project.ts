import type { OcsfVersion } from '../config/config.js';
import type { UserInventoryEvent } from './event.js';
import type { JsonSchema } from './schema-compiler.js';

// Fits an event built for the newest OCSF version to an older version by walking the event along the
// target's compiled schema: no hand-kept list of per-version fields. What the target does not define is not
// dropped: it moves under `unmapped.ocsf` at the same path and with the same shape (user.has_mfa ->
// unmapped.ocsf.user.has_mfa). Inside a list, a moved member goes to the same index of a list under
// unmapped.ocsf (the index in the original list; elements with nothing moved are {}). An enumerated id the target does not define moves
// the same way and becomes 99 "Other", whose caption sibling already carries the source's label (a role's
// user.type_id 4 "Service" is 99 "Service" in 1.3.0). Free-form parts (unmapped, json_t, the generic
// object) are kept whole.

type Node = JsonSchema;

/** Where moved attributes go, below the event's free-form `unmapped` object. */
export const MOVED_ATTRIBUTES_KEY = 'ocsf';

const OTHER_ID = 99;
/** `kept` when the target has no place at all for the value. */
const NOTHING = Symbol('nothing kept');

interface Projected {
  kept: unknown;
  /** What the target does not define, in the value's own shape; undefined when nothing moved. */
  moved?: unknown;
}

/** Follows `$ref`s (objects are compiled as $defs) to the schema node that describes a value. */
export function resolveSchemaRef(node: Node, defs: Record<string, Node>): Node {
  let current = node;
  for (let ref = current.$ref; typeof ref === 'string'; ref = current.$ref) {
    const name = ref.replace('#/$defs/', '');
    const target = defs[name];
    if (!target) throw new Error(`compiled OCSF schema: dangling $ref ${ref}`);
    current = target;
  }
  return current;
}

function projectList(value: unknown[], items: Node, defs: Record<string, Node>): Projected {
  const kept: unknown[] = [];
  const moved: unknown[] = [];
  let anyMoved = false;
  for (const item of value) {
    const result = project(item, items, defs);
    if (result.kept !== NOTHING) kept.push(result.kept);
    moved.push(result.moved ?? {});
    anyMoved ||= result.moved !== undefined;
  }
  return anyMoved ? { kept, moved } : { kept };
}

/** An enumerated value the target lacks: 99 "Other" where the enum has it and a sibling names it. */
function projectEnumerated(value: unknown, schema: Node): Projected {
  const allowed = schema.enum as unknown[];
  if (allowed.includes(value)) return { kept: value };
  const other = typeof schema['x-ocsf-sibling'] === 'string' && allowed.includes(OTHER_ID);
  return { kept: other ? OTHER_ID : NOTHING, moved: value };
}

function project(value: unknown, node: Node, defs: Record<string, Node>): Projected {
  const schema = resolveSchemaRef(node, defs);
  if (Array.isArray(schema.enum) && !Array.isArray(value)) return projectEnumerated(value, schema);
  if (Array.isArray(value)) {
    const items = schema.items as Node | undefined;
    return items ? projectList(value, items, defs) : { kept: value };
  }
  const properties = schema.properties as Record<string, Node> | undefined;
  if (typeof value !== 'object' || value === null || !properties) return { kept: value };
  const open = schema.additionalProperties !== false;
  const kept: Record<string, unknown> = {};
  const moved: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const memberSchema = properties[key];
    if (memberSchema) {
      const result = project(member, memberSchema, defs);
      if (result.kept !== NOTHING) kept[key] = result.kept;
      if (result.moved !== undefined) moved[key] = result.moved;
    } else if (open) kept[key] = member;
    else moved[key] = member;
  }
  return Object.keys(moved).length > 0 ? { kept, moved } : { kept };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Adds `extra` into `base` member by member (lists index by index); `extra` wins on a leaf. */
function mergeMoved(base: unknown, extra: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(extra)) {
    const length = Math.max(base.length, extra.length);
    return Array.from({ length }, (_, i) =>
      i < extra.length ? mergeMoved(base[i], extra[i]) : (base[i] as unknown),
    );
  }
  if (isRecord(base) && isRecord(extra)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, member] of Object.entries(extra)) out[key] = mergeMoved(base[key], member);
    return out;
  }
  return extra;
}

/** The target must type `unmapped` as a free-form object, or the moved attributes would not validate. */
function assertUnmappedIsOpen(compiledSchema: JsonSchema, defs: Record<string, Node>, version: string): void {
  const properties = compiledSchema.properties as Record<string, Node> | undefined;
  const unmapped = properties?.unmapped ? resolveSchemaRef(properties.unmapped, defs) : undefined;
  if (!unmapped || unmapped.type !== 'object' || unmapped.properties !== undefined) {
    throw new Error(`OCSF ${version}: unmapped is not a free-form object, attributes cannot move under it`);
  }
}

/**
 * A copy of the event in the shape `version` defines, with metadata.version set to it: what `version`
 * lacks is under unmapped.ocsf (merged with what an earlier projection put there).
 */
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
  const { kept, moved } = project(event, compiledSchema, defs);
  const projected = kept as UserInventoryEvent;
  projected.metadata = { ...projected.metadata, version };
  if (moved !== undefined) {
    assertUnmappedIsOpen(compiledSchema, defs, version);
    const unmapped: Record<string, unknown> = { ...projected.unmapped };
    unmapped[MOVED_ATTRIBUTES_KEY] = mergeMoved(unmapped[MOVED_ATTRIBUTES_KEY], moved);
    projected.unmapped = unmapped as UserInventoryEvent['unmapped'];
  }
  return projected;
}
