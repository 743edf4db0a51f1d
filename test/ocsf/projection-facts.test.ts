// An older OCSF version never loses a fact: for every identity of a seeded world (and the hand-built
// fixtures), every leaf of the 1.8.0 event is in the older event, at its own path or at the same path under
// unmapped.ocsf, the older event invents nothing, and it validates. docs/mapping.md lists what moves.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { OcsfVersion } from '../../src/config/config.js';
import { generateWorld } from '../../src/emulator/index.js';
import type { Identity } from '../../src/identity/identity.js';
import type { UserInventoryEvent } from '../../src/ocsf/event.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { projectToVersion } from '../../src/ocsf/project.js';
import { loadCompiledSchema } from '../../src/ocsf/schema-files.js';
import { createEventValidator } from '../../src/ocsf/validate.js';
import { packageRoot } from '../../src/package-root.js';
import * as fixtures from './identity-fixtures.js';
import {
  DOC_END,
  DOC_START,
  collectMoved,
  movedAttributesTable,
  tableCells,
  type MovedAttributes,
} from './moved-attributes.js';
import { worldIdentities } from './world-identities.js';

const OLDER: OcsfVersion[] = ['1.6.0', '1.3.0', '1.1.0'];

const { world } = generateWorld({
  seed: 4000,
  accounts: 2,
  usersPerAccount: 200,
  groupsPerAccount: 20,
  identityCenter: { users: 30, groups: 5 },
});
const handBuilt: Identity[] = [
  fixtures.adminViaGroup,
  fixtures.noGroups,
  fixtures.withMfa,
  fixtures.twoKeys,
  fixtures.disabledUser,
  fixtures.role,
  fixtures.identityCenterUser,
];
const identities = [...worldIdentities(world), ...handBuilt];
const events: UserInventoryEvent[] = identities.map((identity, i) =>
  mapIdentity(identity, { ...fixtures.mappingContext, eventId: `evt-${i}` }),
);

type Path = (string | number)[];

/** Scalars, and empty lists/objects (a collected "none" is a fact too), with their paths. */
function leaves(value: unknown, path: Path = [], out: Array<[Path, unknown]> = []): Array<[Path, unknown]> {
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  if (entries.length === 0) out.push([path, value]);
  for (const [key, member] of entries) leaves(member, [...path, key], out);
  return out;
}

const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const isVersionLeaf = (path: Path): boolean => path.join('.') === 'metadata.version';

describe.each(OLDER)('projection of the seeded world to OCSF %s', (version) => {
  const schema = loadCompiledSchema(version);
  const projected = events.map((event) => projectToVersion(event, version, schema));

  it('keeps every leaf of the 1.8.0 event, at its path or under unmapped.ocsf', () => {
    expect(identities.length).toBeGreaterThan(400);
    const lost: string[] = [];
    events.forEach((event, i) => {
      for (const [path, value] of leaves(event)) {
        if (isVersionLeaf(path)) continue;
        const older = projected[i];
        if (!same(at(older, path), value) && !same(at(older, ['unmapped', 'ocsf', ...path]), value)) {
          lost.push(`${event.user.uid}: ${path.join('.')} = ${JSON.stringify(value)}`);
        }
      }
    });
    expect(lost).toEqual([]);
  });

  it('invents nothing: every other leaf is the 1.8.0 value, or 99 "Other" for an id moved', () => {
    const invented: string[] = [];
    projected.forEach((older, i) => {
      const { ocsf: moved, ...rest } = older.unmapped ?? {};
      for (const [path, value] of leaves({ ...older, unmapped: rest })) {
        const original = at(events[i], path);
        if (isVersionLeaf(path) || same(value, original)) continue;
        if (value === 99 && same(at(moved, path), original)) continue;
        invented.push(`${older.user.uid}: ${path.join('.')} = ${JSON.stringify(value)}`);
      }
    });
    expect(invented).toEqual([]);
  });

  it('every event validates', () => {
    const validator = createEventValidator(version);
    const invalid = projected.flatMap((event) => {
      const result = validator.validate(event);
      return result.valid ? [] : [`${event.user.uid}: ${result.errors.join('; ')}`];
    });
    expect(invalid).toEqual([]);
  });
});

describe('docs/mapping.md', () => {
  it('lists, per version, exactly the attributes the projection moves', () => {
    const byVersion = new Map<OcsfVersion, MovedAttributes>();
    for (const version of OLDER) {
      const schema = loadCompiledSchema(version);
      const moved: MovedAttributes = new Map();
      for (const event of events) collectMoved(projectToVersion(event, version, schema), schema, moved);
      byVersion.set(version, moved);
    }
    const table = movedAttributesTable(byVersion);
    const file = join(packageRoot, 'docs', 'mapping.md');
    const doc = readFileSync(file, 'utf8');
    const start = doc.indexOf(DOC_START);
    const end = doc.indexOf(DOC_END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    if (process.env.UPDATE_DOCS === '1') {
      writeFileSync(file, `${doc.slice(0, start + DOC_START.length)}\n\n${table}\n\n${doc.slice(end)}`);
      return;
    }
    expect(tableCells(doc.slice(start, end))).toEqual(tableCells(table));
  });
});
