import type { JsonSchema } from './schema-compiler.js';

// What JSON Schema cannot say: type_uid = class_uid * 100 + activity_id, and every enumerated id's caption
// sibling (activity_name, severity, type_name, category_name, class_name, user.type, account.type...) equals
// the caption of the id's value. The plan is derived from the compiled schema's x-ocsf-enum/x-ocsf-sibling
// annotations once; checking an event is then a walk of the event's own members.

export type SemanticCheck = (event: unknown) => string[];

interface SiblingRule {
  id: string;
  sibling: string;
  /** Keyed by the id's value: numbers for integer enums, strings for string enums. */
  captions: Map<number | string, string>;
}

interface Plan {
  rules: SiblingRule[];
  /** By event member name: the rule whose id it is, and/or the plan of the object(s) it holds. */
  members: Map<string, { rule?: SiblingRule; child?: Plan }>;
}

// OCSF: for the value 99 "Other" the sibling carries the source's own label, so any label is accepted.
const OTHER = 99;

function defName(node: JsonSchema): string | undefined {
  const ref = node.$ref;
  return typeof ref === 'string' ? ref.replace('#/$defs/', '') : undefined;
}

function buildPlans(schema: JsonSchema): Plan {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const plans = new Map<string, Plan>();
  const childDefs = new Map<Plan, Array<{ key: string; def: string }>>();

  const planOf = (node: JsonSchema): Plan => {
    const plan: Plan = { rules: [], members: new Map() };
    const links: Array<{ key: string; def: string }> = [];
    const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of Object.keys(properties).sort()) {
      const property = properties[key] as JsonSchema;
      const captions = property['x-ocsf-enum'] as Record<string, string> | undefined;
      const sibling = property['x-ocsf-sibling'];
      if (captions && typeof sibling === 'string') {
        const numeric = property.type === 'integer';
        const entries = Object.entries(captions).map(
          ([value, caption]) => [numeric ? Number(value) : value, caption] as const,
        );
        plan.rules.push({ id: key, sibling, captions: new Map<number | string, string>(entries) });
      }
      const target = defName(property) ?? defName((property.items ?? {}) as JsonSchema);
      if (target) links.push({ key, def: target });
    }
    childDefs.set(plan, links);
    return plan;
  };

  const root = planOf(schema);
  for (const [name, def] of Object.entries(defs)) plans.set(name, planOf(def));

  // Keep only links that can lead to a rule, so the walk skips subtrees with nothing to check.
  const relevant = new Set<Plan>([...childDefs.keys()].filter((plan) => plan.rules.length > 0));
  for (let changed = true; changed;) {
    changed = false;
    for (const [plan, links] of childDefs) {
      if (relevant.has(plan)) continue;
      if (links.some((link) => relevant.has(plans.get(link.def) as Plan))) {
        relevant.add(plan);
        changed = true;
      }
    }
  }
  for (const [plan, links] of childDefs) {
    for (const rule of plan.rules) plan.members.set(rule.id, { rule });
    for (const link of links) {
      const child = plans.get(link.def);
      if (child && relevant.has(child)) plan.members.set(link.key, { ...plan.members.get(link.key), child });
    }
  }
  return root;
}

// Iterates the event's own members (few) rather than the schema's (many): an event names a small part of
// what OCSF defines. The path is a stack turned into a string only when there is an error to report.
function walk(
  value: Record<string, unknown>,
  plan: Plan,
  path: Array<string | number>,
  errors: string[],
): void {
  const keys = Object.keys(value);
  for (let k = 0; k < keys.length; k += 1) {
    const key = keys[k] as string;
    const member = plan.members.get(key);
    if (member === undefined) continue;
    const item = value[key];
    if (member.rule) checkSibling(value, member.rule, item, path, errors);
    if (member.child === undefined || typeof item !== 'object' || item === null) continue;
    path.push(key);
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index += 1) {
        const element: unknown = item[index];
        if (typeof element !== 'object' || element === null) continue;
        path.push(index);
        walk(element as Record<string, unknown>, member.child, path, errors);
        path.pop();
      }
    } else {
      walk(item as Record<string, unknown>, member.child, path, errors);
    }
    path.pop();
  }
}

function checkSibling(
  value: Record<string, unknown>,
  rule: SiblingRule,
  id: unknown,
  path: Array<string | number>,
  errors: string[],
): void {
  const label = value[rule.sibling];
  if (label === undefined) return;
  const key = typeof id === 'number' ? id : String(id);
  const caption = rule.captions.get(key);
  // An id outside the enum is the JSON Schema's error to report.
  if (caption === undefined || key === OTHER || label === caption) return;
  const where = path.map((part) => `/${part}`).join('');
  errors.push(
    `${where}/${rule.sibling}: ${JSON.stringify(label)} is not the caption of ${rule.id} ${key} (${JSON.stringify(caption)})`,
  );
}

export function createSemanticCheck(compiledSchema: JsonSchema): SemanticCheck {
  const root = buildPlans(compiledSchema);
  return (event: unknown): string[] => {
    if (typeof event !== 'object' || event === null) return ['/: event is not an object'];
    const record = event as Record<string, unknown>;
    const errors: string[] = [];
    const { class_uid: classUid, activity_id: activityId, type_uid: typeUid } = record;
    if (
      typeof classUid === 'number' &&
      typeof activityId === 'number' &&
      typeUid !== classUid * 100 + activityId
    ) {
      errors.push(
        `/type_uid: ${String(typeUid)} is not class_uid * 100 + activity_id (${classUid * 100 + activityId})`,
      );
    }
    walk(record, root, [], errors);
    return errors;
  };
}
