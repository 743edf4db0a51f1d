// The TypeBox sources are the one source of truth: the committed JSON Schemas are generated from them, a
// default makes a key optional in the file only, secrets are marked in the schema, and the OCSF version list
// drives the enum and the compiled OCSF schemas.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import Type from 'typebox';
import { renderConfigSchemas } from '../../scripts/config-schemas.js';
import { CONFIG_DOCUMENT } from '../../src/config/config-schema.js';
import { sinkConfigFrom } from '../../src/config/index.js';
import { jsonSchemaOf } from '../../src/config/json-schema.js';
import { LATEST_OCSF_VERSION, OCSF_VERSIONS } from '../../src/config/ocsf-versions.js';
import { declaredSecretKeys, isSecretPath, writeOnlyKeys } from '../../src/config/secret-keys.js';
import { SINKS_DOCUMENT } from '../../src/config/sinks/index.js';
import { compiledSchemaPath } from '../../src/ocsf/schema-files.js';

describe('generated schema files', () => {
  it('schemas/config.schema.json and schemas/sinks.schema.json match the TypeBox sources', async () => {
    const rendered = await renderConfigSchemas();
    expect(rendered).toHaveLength(2);
    for (const { path, text } of rendered) {
      // On a failure: run `npm run schema:write` and commit the result.
      expect({ path, text: readFileSync(path, 'utf8') }).toEqual({ path, text });
    }
  });
});

describe('jsonSchemaOf', () => {
  it('makes a key with a default optional in the file, keeps the others required, drops TypeBox markers', () => {
    const schema = Type.Object(
      {
        kept: Type.String(),
        defaulted: Type.Integer({ default: 3 }),
        optional: Type.Optional(Type.Boolean()),
        nested: Type.Object({ inner: Type.String({ default: 'x' }) }, { default: {} }),
      },
      { additionalProperties: false },
    );
    expect(jsonSchemaOf(schema)).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['kept'],
      properties: {
        kept: { type: 'string' },
        defaulted: { type: 'integer', default: 3 },
        optional: { type: 'boolean' },
        nested: { type: 'object', properties: { inner: { type: 'string', default: 'x' } }, default: {} },
      },
    });
  });
});

describe('secret keys', () => {
  it('are the keys marked writeOnly in the schemas', () => {
    expect([...declaredSecretKeys()].sort()).toEqual([
      'api_key',
      'external_id',
      'intake_key',
      'password',
      'secret_access_key',
      'session_token',
      'token',
    ]);
    for (const key of declaredSecretKeys()) expect(isSecretPath(['sinks', 0, key])).toBe(true);
  });

  it('every schema key that looks like a credential is marked writeOnly', () => {
    const names = new Set<string>();
    const walk = (s: unknown): void => {
      if (typeof s !== 'object' || s === null) return;
      const properties = (s as { properties?: Record<string, unknown> }).properties;
      for (const name of Object.keys(properties ?? {})) names.add(name);
      Object.values(s).forEach(walk);
    };
    walk([CONFIG_DOCUMENT, SINKS_DOCUMENT]);
    const looksSecret = [...names].filter((n) => n !== 'type' && isSecretPath(['x', n]));
    expect(looksSecret.sort()).toEqual([...writeOnlyKeys([CONFIG_DOCUMENT, SINKS_DOCUMENT])].sort());
  });
});

describe('OCSF versions', () => {
  it('are the enum of ocsf.version, newest first as the default, each with its compiled schema', () => {
    const ocsf = (CONFIG_DOCUMENT.properties as Record<string, any>).ocsf.properties.version;
    expect(ocsf).toMatchObject({ enum: [...OCSF_VERSIONS], default: LATEST_OCSF_VERSION });
    expect(LATEST_OCSF_VERSION).toBe(OCSF_VERSIONS[0]);
    for (const version of OCSF_VERSIONS) expect(existsSync(compiledSchemaPath(version))).toBe(true);
  });
});

describe('sinkConfigFrom', () => {
  it('gives an entry written in code the defaults of its schema', () => {
    expect(sinkConfigFrom({ type: 'http', url: 'https://siem.example/in' }, 'http')).toEqual({
      type: 'http',
      url: 'https://siem.example/in',
      dry_run: false,
      timeout_ms: 30000,
      compress: false,
      tls_insecure_skip_verify: false,
      allow_insecure_http: false,
      retry: { max_attempts: 8, initial_delay_ms: 500, max_delay_ms: 30000 },
      format: 'ndjson',
      batch: { max_events: 500, max_bytes: 4194304 },
    });
    expect(sinkConfigFrom({ type: 'sekoia', intake_key: 'k' }, 's')).toMatchObject({
      intake_url: 'https://intake.sekoia.io',
      batch: { max_events: 5000, max_bytes: 9437184 },
    });
  });

  it('leaves the caller object alone', () => {
    const input = { type: 'file', path: 'x.ndjson' };
    sinkConfigFrom(input, 'file');
    expect(input).toEqual({ type: 'file', path: 'x.ndjson' });
  });

  it('names the sink and the key', () => {
    expect(() =>
      sinkConfigFrom({ type: 'http', url: 'https://x', batch: { max_events: 0 } }, 'siem'),
    ).toThrow('sink siem: batch.max_events must be between 1 and 1000000 (got number 0)');
    expect(() => sinkConfigFrom({ type: 'splunk_hec', url: 'https://x', token: 7 }, 'hec')).toThrow(
      'sink hec: token must be a string (got a substituted or secret number)',
    );
    expect(() => sinkConfigFrom({ type: 'stdout', nope: 1 }, 'out')).toThrow(
      'sink out: unknown key nope (allowed keys: type, name, dry_run)',
    );
  });
});
