// Every malformed config fails with a ConfigError (exit code 2) whose message names the file and the key.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, type ConfigValidator } from '../../src/config/index.js';
import { testValidator } from './sinks-schema.js';

let dir: string;
let validator: ConfigValidator;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-config-bad-'));
  validator = testValidator();
});

const OK_SINKS = 'sinks: [{type: stdout}]\n';

// [name, YAML text, expected message fragments]
const CASES: [string, string, string[]][] = [
  [
    'unknown top-level key',
    `colector: {}\n${OK_SINKS}`,
    ['unknown key colector', 'allowed keys: aws, collector'],
  ],
  [
    'unknown nested key',
    `collector: {page_sise: 10}\n${OK_SINKS}`,
    ['unknown key collector.page_sise', 'page_size'],
  ],
  [
    'unknown key deep in aws',
    `aws: {organization: {role_name: r, includes: []}}\n${OK_SINKS}`,
    ['unknown key aws.organization.includes'],
  ],
  [
    'wrong type: string for integer',
    `collector: {page_size: ten}\n${OK_SINKS}`,
    ['collector.page_size must be an integer (got "ten")'],
  ],
  [
    'wrong type: number for boolean',
    `collector: {tags: 1}\n${OK_SINKS}`,
    ['collector.tags must be true or false (got number 1)'],
  ],
  [
    'wrong type: list for mapping',
    `collector: [1]\n${OK_SINKS}`,
    ['collector must be a mapping of keys (got a list)'],
  ],
  ['null section', `aws:\n${OK_SINKS}`, ['aws must be a mapping of keys (got null']],
  [
    'page_size above 1000',
    `collector: {page_size: 5000}\n${OK_SINKS}`,
    ['collector.page_size must be between 1 and 1000 (got number 5000)'],
  ],
  [
    'concurrency 0',
    `collector: {concurrency: 0}\n${OK_SINKS}`,
    ['collector.concurrency must be between 1 and 64'],
  ],
  [
    'fraction above 1',
    `state: {max_delete_fraction: 1.5}\n${OK_SINKS}`,
    ['state.max_delete_fraction must be between 0 and 1'],
  ],
  ['non-integer', `aws: {max_attempts: 2.5}\n${OK_SINKS}`, ['aws.max_attempts must be an integer']],
  [
    'bad strategy',
    `collector: {strategy: fast}\n${OK_SINKS}`,
    ['collector.strategy must be one of: per-user, bulk, auto (got "fast")'],
  ],
  [
    'bad OCSF version',
    `ocsf: {version: "1.7.0"}\n${OK_SINKS}`,
    ['ocsf.version must be one of: 1.8.0, 1.6.0, 1.3.0, 1.1.0'],
  ],
  ['bad log level', `log: {level: loud}\n${OK_SINKS}`, ['log.level must be one of: trace, debug, info']],
  [
    'bad event_time',
    `ocsf: {event_time: now}\n${OK_SINKS}`,
    ['ocsf.event_time must be one of: collected, created'],
  ],
  [
    'profile and keys',
    `aws: {credentials: {profile: p, access_key_id: AKIA, secret_access_key: s}}\n${OK_SINKS}`,
    ['aws.credentials: use either profile or access_key_id/secret_access_key, not both'],
  ],
  [
    'key id without secret',
    `aws: {credentials: {access_key_id: AKIA}}\n${OK_SINKS}`,
    ['aws.credentials.secret_access_key is required when access_key_id is set'],
  ],
  [
    'accounts and organization',
    `aws: {accounts: [{id: "111111111111", role_name: r}], organization: {role_name: r}}\n${OK_SINKS}`,
    ['aws: accounts and organization are mutually exclusive'],
  ],
  [
    'bad account id',
    `aws: {accounts: [{id: "12345", role_name: r}]}\n${OK_SINKS}`,
    ['aws.accounts[0].id must be a 12-digit AWS account id (quote it in YAML) (got "12345")'],
  ],
  [
    'unquoted account id',
    `aws: {accounts: [{id: 111111111111, role_name: r}]}\n${OK_SINKS}`,
    ['aws.accounts[0].id must be a 12-digit AWS account id', 'got number 111111111111'],
  ],
  [
    'account without role',
    `aws: {accounts: [{id: "111111111111"}]}\n${OK_SINKS}`,
    ['aws.accounts[0]: set exactly one of role_arn or role_name'],
  ],
  [
    'account with both roles',
    `aws: {accounts: [{id: "111111111111", role_name: r, role_arn: "arn:aws:iam::111111111111:role/r"}]}\n${OK_SINKS}`,
    ['aws.accounts[0]: set exactly one of role_arn or role_name'],
  ],
  [
    'bad role ARN',
    `aws: {accounts: [{id: "111111111111", role_arn: "role/r"}]}\n${OK_SINKS}`,
    ['aws.accounts[0].role_arn must be an IAM role ARN'],
  ],
  [
    'organization without role_name',
    `aws: {organization: {enabled: true}}\n${OK_SINKS}`,
    ['missing required key aws.organization.role_name'],
  ],
  [
    'bad organization include',
    `aws: {organization: {role_name: r, include: [sales]}}\n${OK_SINKS}`,
    ['aws.organization.include[0] must be an account id (12 digits), an OU id (ou-...) or a root id (r-...)'],
  ],
  ['bad endpoint URL', `aws: {endpoint: "not a url"}\n${OK_SINKS}`, ['aws.endpoint must be a valid uri']],
  ['bad ops.listen', `ops: {listen: "9464"}\n${OK_SINKS}`, ['ops.listen must be host:port (got "9464")']],
  [
    'cron not a string',
    `schedule: {incremental: 5}\n${OK_SINKS}`,
    ['schedule.incremental must be a string (got number 5)'],
  ],
  ['missing sinks', 'collector: {}\n', ['missing required key sinks']],
  ['empty sinks', 'sinks: []\n', ['sinks must have at least 1 item']],
  ['sinks not a list', 'sinks: {type: stdout}\n', ['sinks must be a list (got a mapping)']],
  [
    'bad sink type',
    'sinks: [{type: kafka}]\n',
    ['sinks[0].type must be one of: stdout, file, http', '(got "kafka")'],
  ],
  ['sink without type', 'sinks: [{path: ./x}]\n', ['missing required key sinks[0].type']],
  ['http sink missing url', 'sinks: [{type: stdout}, {type: http}]\n', ['missing required key sinks[1].url']],
  [
    'misspelled sink key',
    'sinks: [{type: http, url: "https://h.example", retyr: {}}]\n',
    ['unknown key sinks[0].retyr', 'retry'],
  ],
  [
    'sink retry out of range',
    'sinks:\n  - type: splunk_hec\n    url: https://h.example\n    token: ${TOKEN}\n    retry: {max_attempts: 0}\n',
    ['sinks[0].retry.max_attempts must be'],
  ],
  [
    'bad http format',
    'sinks: [{type: http, url: "https://h.example", format: xml}]\n',
    ['sinks[0].format must be one of: ndjson, json_array'],
  ],
  [
    'header value not a string',
    'sinks: [{type: http, url: "https://h.example", headers: {X-Retries: [1]}}]\n',
    ['sinks[0].headers.X-Retries must be a string (got a list)'],
  ],
  [
    'unset ${ENV}',
    `aws: {credentials: {access_key_id: AKIA, secret_access_key: "\${NO_SUCH_SECRET}"}}\n${OK_SINKS}`,
    ['aws.credentials.secret_access_key: environment variable NO_SUCH_SECRET is not set'],
  ],
  [
    'invalid reference',
    `aws: {region: "\${not valid}"}\n${OK_SINKS}`,
    ['aws.region: invalid reference ${not valid}'],
  ],
  [
    'unclosed reference',
    'sinks: [{type: splunk_hec, url: "https://s.example", token: "${SPLUNK_TOKEN"}]\n',
    ['sinks[0].token: a ${ without its closing }', 'write $${ for a literal ${'],
  ],
  [
    'missing ${file:} target',
    'sinks: [{type: sekoia, intake_key: "${file:/nonexistent/intake.key}"}]\n',
    ['sinks[0].intake_key: cannot read ${file:/nonexistent/intake.key}', 'ENOENT'],
  ],
  [
    '${ENV} number that is not a number',
    `collector: {page_size: "\${PAGE}"}\n${OK_SINKS}`,
    ['collector.page_size must be an integer (got a substituted or secret string of 4 characters)'],
  ],
  ['bad YAML', 'aws:\n  region: [us-east-1\n', ['invalid YAML']],
  ['bad YAML indentation', 'aws:\n  region: a\n    b: c\n', [':2:11: invalid YAML']],
  [
    'duplicate key',
    `log: {level: info}\nlog: {level: debug}\n${OK_SINKS}`,
    [':2:', 'invalid YAML', 'unique'],
  ],
  ['empty file', '', ['the file is empty']],
  ['comments only', '# nothing here\n', ['the file is empty']],
  ['list root', '- a\n- b\n', ['the top level must be a mapping of keys (found a list)']],
  ['scalar root', 'hello\n', ['the top level must be a mapping of keys (found a string)']],
];

describe('malformed configs', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('%s', (name, text, fragments) => {
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    writeFileSync(file, text);
    let error: (Error & { exitCode?: number; file?: string }) | undefined;
    try {
      loadConfig(file, { TOKEN: 'a-token-value', PAGE: 'many' }, { validator });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConfigError');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(file);
    for (const fragment of fragments) expect(error?.message).toContain(fragment);
  });

  it('reports the line of the offending key', () => {
    const file = join(dir, 'lines.yaml');
    writeFileSync(
      file,
      'aws:\n  region: us-east-1\ncollector:\n  concurrency: 100\nsinks: [{type: stdout}]\n',
    );
    expect(() => loadConfig(file, {}, { validator })).toThrow(
      `${file}:4: collector.concurrency must be between 1 and 64`,
    );
  });

  it('names a missing file', () => {
    expect(() => loadConfig('./no-such-config.yaml', {}, { validator })).toThrow(
      'config file ./no-such-config.yaml not found',
    );
  });

  it('names a folder given as the file', () => {
    const sub = join(dir, 'a-folder');
    mkdirSync(sub);
    expect(() => loadConfig(sub, {}, { validator })).toThrow(`cannot read config file ${sub}: EISDIR`);
  });

  it('never echoes a secret value in an error', () => {
    const file = join(dir, 'secret-type.yaml');
    writeFileSync(
      file,
      'sinks: [{type: splunk_hec, url: "https://h.example", token: "${TOKEN}", ack: "${TOKEN}"}]\n',
    );
    let message = '';
    try {
      loadConfig(file, { TOKEN: 'super-secret-token' }, { validator });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('sinks[0].ack must be true or false');
    expect(message).not.toContain('super-secret-token');
  });
});
