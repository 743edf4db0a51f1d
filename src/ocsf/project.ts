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

/** What the walk needs of a schema node, read once per node (a schema is walked for every event). */
interface NodeShape {
  /** The enumerated values, when the node is an enum. */
  allowed?: unknown[];
  /** The enum has 99 "Other" and a caption sibling names the value. */
  otherWithSibling: boolean;
  items?: Node;
  properties?: Record<string, Node>;
  /** Members the schema does not define stay (additionalProperties is not false). */
  open: boolean;
}

const shapes = new WeakMap<Node, NodeShape>();

function shapeOf(node: Node, defs: Record<string, Node>): NodeShape {
  let shape = shapes.get(node);
  if (shape === undefined) {
    const schema = resolveSchemaRef(node, defs);
    const allowed = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
    shape = {
      ...(allowed !== undefined ? { allowed } : {}),
      otherWithSibling:
        allowed !== undefined && typeof schema['x-ocsf-sibling'] === 'string' && allowed.includes(OTHER_ID),
      ...(schema.items !== undefined ? { items: schema.items as Node } : {}),
      ...(schema.properties !== undefined ? { properties: schema.properties as Record<string, Node> } : {}),
      open: schema.additionalProperties !== false,
    };
    shapes.set(node, shape);
  }
  return shape;
}

/**
 * The walk returns what is kept (NOTHING when the target has no place for the value) and leaves what the
 * target does not define, in the value's own shape, in `movedOut` (undefined when nothing moved): no result
 * object per value, as the walk visits every value of every event.
 */
let movedOut: unknown;

function projectList(value: unknown[], items: Node, defs: Record<string, Node>): unknown {
  // Copy on write: most lists keep every element as it is, and are then returned as they are.
  let kept: unknown[] | undefined;
  let moved: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const element = value[i];
    const result = project(element, items, defs);
    if (kept === undefined && result !== element) kept = value.slice(0, i);
    if (kept !== undefined && result !== NOTHING) kept.push(result);
    if (movedOut !== undefined) {
      // Elements with nothing moved are {} at their index.
      moved ??= Array.from({ length: i }, () => ({}));
      moved.push(movedOut);
    } else if (moved !== undefined) moved.push({});
  }
  movedOut = moved;
  return kept ?? value;
}

/** An enumerated value the target lacks: 99 "Other" where the enum has it and a sibling names it. */
function projectEnumerated(value: unknown, shape: NodeShape): unknown {
  if (shape.allowed!.includes(value)) {
    movedOut = undefined;
    return value;
  }
  movedOut = value;
  return shape.otherWithSibling ? OTHER_ID : NOTHING;
}

/** The members of `value` before `stop`, in order: what a copy made on the first change starts with. */
function membersBefore(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (key === stop) break;
    if (Object.hasOwn(value, key)) copy[key] = value[key];
  }
  return copy;
}

function projectObject(
  value: Record<string, unknown>,
  shape: NodeShape,
  defs: Record<string, Node>,
): unknown {
  const properties = shape.properties!;
  // Copy on write: an object whose members all stay as they are is returned as it is (no allocation).
  let kept: Record<string, unknown> | undefined;
  let moved: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member = value[key];
    const memberSchema = properties[key];
    if (memberSchema) {
      const result = project(member, memberSchema, defs);
      if (kept === undefined && result !== member) kept = membersBefore(value, key);
      if (kept !== undefined && result !== NOTHING) kept[key] = result;
      if (movedOut !== undefined) (moved ??= {})[key] = movedOut;
    } else if (shape.open) {
      if (kept !== undefined) kept[key] = member;
    } else {
      kept ??= membersBefore(value, key);
      (moved ??= {})[key] = member;
    }
  }
  movedOut = moved;
  return kept ?? value;
}

function project(value: unknown, node: Node, defs: Record<string, Node>): unknown {
  const shape = shapeOf(node, defs);
  if (shape.allowed !== undefined && !Array.isArray(value)) return projectEnumerated(value, shape);
  movedOut = undefined;
  if (Array.isArray(value)) return shape.items ? projectList(value, shape.items, defs) : value;
  if (typeof value !== 'object' || value === null || !shape.properties) return value;
  return projectObject(value as Record<string, unknown>, shape, defs);
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
 * The event in the shape `version` defines, with metadata.version set to it: what `version` lacks is under
 * unmapped.ocsf (merged with what an earlier projection put there). A new top-level object, sharing the
 * members that needed no change with `event` (neither is changed afterwards on the way to the sinks).
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
  // The walk shares what it keeps unchanged with `event`: the copy below is what makes the result its own
  // (metadata and unmapped, the only members changed here, are copied too).
  const projected = { ...(project(event, compiledSchema, defs) as UserInventoryEvent) };
  const moved = movedOut;
  movedOut = undefined;
  projected.metadata = { ...projected.metadata, version };
  if (moved !== undefined) {
    assertUnmappedIsOpen(compiledSchema, defs, version);
    const unmapped: Record<string, unknown> = { ...projected.unmapped };
    unmapped[MOVED_ATTRIBUTES_KEY] = mergeMoved(unmapped[MOVED_ATTRIBUTES_KEY], moved);
    projected.unmapped = unmapped as UserInventoryEvent['unmapped'];
  }
  return projected;
}
