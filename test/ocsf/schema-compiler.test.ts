import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/package-root.js';
import { compileClassSchema, serializeSchema } from '../../src/ocsf/schema-compiler.js';
import { compiledSchemaPath } from '../../src/ocsf/schema-files.js';
import { itUnless } from '../support/skip.js';

// The committed schemas must be exactly what the compiler makes of the official sources: the folder named by
// OCSF_SCHEMA_SOURCES, else the nearest shared/ocsf-schema beside the checkout or above it (a worktree sits
// deeper than the main checkout). Without them the comparison is skipped, saying so (and fails in CI).

function officialSources(): string | undefined {
  if (process.env.OCSF_SCHEMA_SOURCES) return process.env.OCSF_SCHEMA_SOURCES;
  for (let dir = dirname(packageRoot); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'shared', 'ocsf-schema'))) return join(dir, 'shared', 'ocsf-schema');
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The shared copies of 1.3.0 and 1.1.0 lack the official tags' includes/ folder (base_event's
 * classification and occurrence attributes): the test lays the two official files from
 * test/fixtures/ocsf-includes beside links to the shared sources.
 */
const laidOut: string[] = [];
afterAll(() => laidOut.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function sourcesWithIncludes(sourceDir: string, version: string): string {
  const vendored = join(packageRoot, 'test', 'fixtures', 'ocsf-includes', version, 'includes');
  if (existsSync(join(sourceDir, 'includes')) || !existsSync(vendored)) return sourceDir;
  const dir = mkdtempSync(join(tmpdir(), `ocsf-${version}-`));
  laidOut.push(dir);
  for (const entry of readdirSync(sourceDir)) symlinkSync(join(sourceDir, entry), join(dir, entry));
  symlinkSync(vendored, join(dir, 'includes'));
  return dir;
}

describe.each(['1.8.0', '1.6.0', '1.3.0', '1.1.0'] as const)('compiled OCSF %s schema', (version) => {
  const sources = officialSources();
  const sourceDir = sources === undefined ? undefined : join(sources, version);
  const missing =
    sourceDir === undefined
      ? 'no shared/ocsf-schema folder was found beside or above the checkout (set OCSF_SCHEMA_SOURCES)'
      : existsSync(sourceDir)
        ? undefined
        : `${sourceDir} is absent`;

  itUnless(missing)('is identical to a fresh compilation of the official sources', () => {
    const { schema, warnings } = compileClassSchema(sourcesWithIncludes(sourceDir!, version));
    expect(warnings).toEqual([]);
    expect(serializeSchema(schema)).toBe(readFileSync(compiledSchemaPath(version), 'utf8'));
  });

  it('composes the class as OCSF does', () => {
    const schema = JSON.parse(readFileSync(compiledSchemaPath(version), 'utf8')) as Record<string, unknown>;
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    const defs = schema.$defs as Record<string, Record<string, Record<string, unknown>>>;
    // extends: user_inventory -> discovery -> base_event
    expect(properties.activity_id?.['x-ocsf-enum']).toEqual({
      '0': 'Unknown',
      '1': 'Log',
      '2': 'Collect',
      '99': 'Other',
    });
    expect(properties.user).toEqual({ $ref: '#/$defs/user' });
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'activity_id',
        'class_uid',
        'metadata',
        'severity_id',
        'time',
        'type_uid',
        'user',
      ]),
    );
    expect(properties.time).toEqual({ type: 'integer' });
    expect(properties.type_uid?.enum).toEqual([500300, 500301, 500302, 500399]);
    // $include of profiles, and the cloud profile's required attribute under metadata.profiles
    expect(properties.cloud?.['x-ocsf-profile']).toBe('cloud');
    expect(JSON.stringify(schema.allOf)).toContain('"const":"cloud"');
    // objects: user -> _entity with its constraint, cycles through $ref
    expect(defs.user?.anyOf).toEqual([
      { required: ['account'] },
      { required: ['name'] },
      { required: ['uid'] },
    ]);
    expect(defs.user?.additionalProperties).toBe(false);
    expect(defs.ldap_person?.properties?.manager).toEqual({ $ref: '#/$defs/user' });
    // credential_uid gave way to programmatic_credentials in 1.6.0.
    if (version === '1.8.0' || version === '1.6.0') {
      expect(defs.user?.properties?.credential_uid).toMatchObject({ deprecated: true });
    }
    expect(defs.user?.properties?.email_addr).toHaveProperty('pattern');
    expect(properties.unmapped).toEqual({ type: 'object' });
  });
});
