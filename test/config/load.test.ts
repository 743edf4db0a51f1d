import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  configFromObject,
  configFromYaml,
  createConfigValidator,
  loadConfig,
  type ConfigValidator,
} from '../../src/config/index.js';
import { packageRoot } from '../../src/package-root.js';
import { STAND_IN_SINKS_SCHEMA, testValidator } from './sinks-schema.js';

let dir: string;
let validator: ConfigValidator;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-config-'));
  validator = testValidator();
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  it('fills every default and resolves state.path against the config folder', () => {
    const config = loadConfig(write('minimal.yaml', 'sinks: [{type: stdout}]\n'), {}, { validator });
    expect(config).toMatchObject({
      source: join(dir, 'minimal.yaml'),
      baseDir: dir,
      aws: {
        region: 'us-east-1',
        max_attempts: 10,
        accounts_concurrency: 4,
        assume_role_duration_seconds: 3600,
      },
      collector: {
        strategy: 'auto',
        page_size: 1000,
        concurrency: 8,
        mfa_source: 'credential_report',
        admin_analysis: true,
        access_keys: true,
        login_profile: true,
        tags: true,
        include_roles: false,
        credential_report_max_wait_seconds: 300,
        credential_report_max_age_seconds: 14400,
      },
      identity_center: { enabled: false },
      ocsf: { version: '1.8.0', event_time: 'collected' },
      state: { path: join(dir, 'data/state.db'), max_delete_fraction: 0.5, fingerprint_ignore: [] },
      delivery: { batch_max_events: 500, batch_max_bytes: 4194304 },
      schedule: {
        incremental: '0 * * * *',
        full: '0 3 * * *',
        timezone: 'UTC',
        run_on_start: true,
        jitter_seconds: 0,
      },
      shutdown_grace_seconds: 30,
      ops: { listen: '127.0.0.1:9464' },
      log: { level: 'info' },
      sinks: [{ type: 'stdout' }],
      secrets: [],
      warnings: [],
    });
  });

  it('substitutes ${ENV}, ${ENV:-default}, ${file:} and $${, and coerces whole-value numbers and booleans', () => {
    write('intake.key', 'intake-from-file\n');
    const file = write(
      'subst.yaml',
      [
        'aws:',
        '  region: ${REGION:-eu-west-3}',
        '  credentials: {access_key_id: "${KEY_ID}", secret_access_key: "${SECRET}"}',
        'collector: {page_size: "${PAGE}", tags: "${TAGS}"}',
        'schedule: {timezone: "$${literal}"}',
        'sinks:',
        '  - type: sekoia',
        '    intake_key: ${file:intake.key}',
        '  - type: http',
        '    url: https://siem.example/ingest',
        '    headers: {Authorization: "Bearer ${TOKEN}", X-Team: secops}',
      ].join('\n'),
    );
    const config = loadConfig(
      file,
      { KEY_ID: 'AKIAEXAMPLE', SECRET: 's3cr3t-key', PAGE: '100', TAGS: 'false', TOKEN: 'tok-123' },
      { validator },
    );
    expect(config.aws.region).toBe('eu-west-3');
    expect(config.aws.credentials).toEqual({ access_key_id: 'AKIAEXAMPLE', secret_access_key: 's3cr3t-key' });
    expect(config.collector.page_size).toBe(100);
    expect(config.collector.tags).toBe(false);
    expect(config.schedule.timezone).toBe('${literal}');
    expect(config.sinks[0]).toMatchObject({ type: 'sekoia', intake_key: 'intake-from-file' });
    expect(new Set(config.secrets)).toEqual(
      new Set(['s3cr3t-key', 'intake-from-file', 'Bearer tok-123', 'tok-123', 'secops']),
    );
    expect(config.warnings).toEqual([]);
  });

  it('warns about secrets written in clear, without quoting them', () => {
    const file = write(
      'clear.yaml',
      'sinks:\n  - type: splunk_hec\n    url: https://user:pa55word@splunk.example\n    token: clear-token-value\n',
    );
    const config = loadConfig(file, {}, { validator });
    expect(config.warnings).toEqual([
      `${file}: sinks[0].url is a secret written in clear in the file; use \${ENV_VAR} or \${file:/path} instead`,
      `${file}: sinks[0].token is a secret written in clear in the file; use \${ENV_VAR} or \${file:/path} instead`,
    ]);
    expect(config.warnings?.join('\n')).not.toContain('clear-token-value');
    expect(config.secrets).toEqual(expect.arrayContaining(['pa55word', 'clear-token-value']));
  });

  it('never quotes a secret written as a number, nor the password of an invalid URL', () => {
    const file = write(
      'numbers.yaml',
      [
        'aws:',
        '  credentials: {access_key_id: AKIAEXAMPLE, secret_access_key: 987654321098765}',
        '  accounts: [{id: "111111111111", role_name: Reader, external_id: 55554444333}]',
        'sinks:',
        '  - {type: splunk_hec, url: "https://splunk.example", token: 123456789012345}',
        '  - {type: http, url: "https://user:Pa55w0rdXYZ@elastic example.com:9200"}',
        '  - {type: http, url: "https://siem.example", headers: {Authorization: 12345678901}}',
      ].join('\n'),
    );
    let message = '';
    try {
      loadConfig(file, {}, { validator });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('aws.credentials.secret_access_key must be a string');
    expect(message).toContain('sinks[1].url');
    for (const secret of ['987654321098765', '55554444333', '123456789012345', 'Pa55w0rdXYZ', '12345678901'])
      expect(message).not.toContain(secret);
  });

  it('accepts accounts with either role form, and organizations', () => {
    const accounts = configFromYaml(
      'aws:\n  accounts:\n    - {id: "111111111111", role_name: Reader, external_id: ext-1}\n    - {id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/audit/Reader"}\nsinks: [{type: stdout}]\n',
      { baseDir: dir, validator },
    );
    expect(accounts.aws.accounts).toHaveLength(2);
    const org = configFromYaml(
      'aws: {organization: {role_name: Reader, exclude: [ou-ab12-cdef3456, r-ab12]}}\nsinks: [{type: stdout}]\n',
      {
        baseDir: dir,
        validator,
      },
    );
    expect(org.aws.organization).toEqual({
      enabled: true,
      role_name: 'Reader',
      include: [],
      exclude: ['ou-ab12-cdef3456', 'r-ab12'],
    });
  });

  it('builds a config from an object (no file)', () => {
    const config = configFromObject(
      { sinks: [{ type: 'file', path: './out/x.ndjson' }], state: { path: 's.db' } },
      { baseDir: '/srv', validator },
    );
    expect(config.source).toBeUndefined();
    expect(config.state.path).toBe('/srv/s.db');
    expect(() => configFromObject([], { baseDir: '/srv', validator })).toThrow(
      'config: the top level must be a mapping of keys (found a list)',
    );
  });
});

describe('config.example.yaml', () => {
  const examplePath = join(packageRoot, 'config.example.yaml');

  it('validates as shipped', () => {
    const config = loadConfig(examplePath, {}, { validator });
    expect(config.sinks).toEqual([expect.objectContaining({ type: 'file', path: './out/events.ndjson' })]);
    expect(config.warnings).toEqual([]);
  });

  it('validates with every documented sink example uncommented', () => {
    const lines = readFileSync(examplePath, 'utf8').split('\n');
    const out: string[] = [];
    let inBlock = false;
    for (const line of lines) {
      if (/^ {2}# - type: /.test(line)) inBlock = true;
      else if (!/^ {2}# {3}/.test(line)) inBlock = false;
      out.push(inBlock ? line.replace(/^ {2}# /, '  ') : line);
    }
    const text = out.join('\n');
    expect(text).toContain('\n  - type: syslog');
    const env = { SIEM_TOKEN: 't1', SPLUNK_HEC_TOKEN: 't2', SEKOIA_INTAKE_KEY: 't3', ELASTIC_API_KEY: 't4' };
    const config = configFromYaml(text, { baseDir: dir, env, validator });
    expect(config.sinks.map((s) => s.type)).toEqual([
      'file',
      'stdout',
      'http',
      'splunk_hec',
      'sekoia',
      'elasticsearch',
      'syslog',
      's3',
    ]);
    expect(config.warnings).toEqual([]);
  });
});

describe('error formatting for a oneOf-by-type sinks schema', () => {
  // The shipped sinks schema selects keys with if/then; this checks the formatter also copes with oneOf.
  const oneOf = createConfigValidator({ sinks: STAND_IN_SINKS_SCHEMA });
  const fail = (yaml: string): string => {
    try {
      configFromYaml(yaml, { baseDir: dir, validator: oneOf, displayName: 'c.yaml' });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('reports only the branch chosen by type', () => {
    expect(fail('sinks: [{type: http, url: "https://x.example", retyr: 1}]')).toBe(
      'c.yaml:1: unknown key sinks[0].retyr (allowed keys in sinks[0]: type, url, headers, format, retry, name, dry_run)',
    );
    expect(fail('sinks: [{type: splunk_hec, url: u}]')).toBe('c.yaml:1: missing required key sinks[0].token');
    expect(fail('sinks: [{type: kafka}]')).toBe(
      'c.yaml:1: sinks[0].type must be one of: stdout, file, http, splunk_hec, sekoia (got "kafka")',
    );
    expect(fail('sinks: [{url: u}]')).toContain('missing required key sinks[0].type (one of: stdout, file');
  });
});
