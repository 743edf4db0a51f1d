import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksPassed, formatCheckTable, runChecks } from '../../src/cli/check-runner.js';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type Emulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { requiredIamPermissions } from '../../src/permissions/index.js';
import { probeChangeQueue } from '../../src/permissions/queue-probe.js';
import { runCli, tempDir, writeConfig } from '../e2e/cli.js';
import { addLimitedKey } from '../support/emulator-account.js';
import { fixtureConfig } from './check-config-fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const LIMITED_KEY = 'AKIAIOSFODNN7LIMITED';
const LIMITED_SECRET = 'limitedSecretKeyForTheCheckTest0000000000';

describe('check against the emulator', () => {
  let emu: Emulator;
  let dir: string;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 7, accounts: 1, usersPerAccount: 20, groupsPerAccount: 4, identityCenter: false },
    });
    dir = mkdtempSync(join(tmpdir(), 'iam-inventory-check-'));
    addLimitedKey(emu, {
      accessKeyId: LIMITED_KEY,
      secretAccessKey: LIMITED_SECRET,
      userName: 'limited',
      allowedActions: ['iam:ListUsers', 'sts:GetCallerIdentity'],
    });
  });
  afterAll(async () => {
    await emu.stop();
  });

  const everyIamFeature = {
    admin_analysis: true,
    access_keys: true,
    login_profile: true,
    tags: true,
    include_roles: true,
  } as const;

  it('reports every check ok with full permissions, a sink included', async () => {
    const config = fixtureConfig(emu.url, {
      collector: everyIamFeature,
      sinks: [{ type: 'file', path: join(dir, 'events.ndjson') }],
    });
    const results = await runChecks(config);
    const failed = results.filter((r) => r.status !== 'ok');
    expect(failed).toEqual([]);
    expect(checksPassed(results)).toBe(true);
    const probed = results
      .filter((r) => r.check.startsWith('iam:'))
      .map((r) => r.check)
      .sort();
    expect(probed).toEqual(requiredIamPermissions(config));
    expect(results.find((r) => r.check === 'iam:ListUsers')?.detail).toMatch(/^user /);
    expect(results.some((r) => r.check === 'sink file' && r.status === 'ok')).toBe(true);
    const table = formatCheckTable(results);
    expect(table).toContain('all ');
    expect(table).not.toContain(DEFAULT_SECRET_ACCESS_KEY);
  });

  it('probes the bulk strategy and the credential report', async () => {
    const config = fixtureConfig(emu.url, {
      collector: { strategy: 'bulk', mfa_source: 'credential_report' },
    });
    const results = await runChecks(config);
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(results.map((r) => r.check)).toEqual(
      expect.arrayContaining([
        'iam:GetAccountAuthorizationDetails',
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
      ]),
    );
  });

  it('names exactly the missing permissions of a key limited to ListUsers', async () => {
    const config = fixtureConfig(emu.url, {
      collector: everyIamFeature,
      aws: { credentials: { access_key_id: LIMITED_KEY, secret_access_key: LIMITED_SECRET } },
    });
    const results = await runChecks(config);
    expect(checksPassed(results)).toBe(false);
    const missing = results.filter((r) => r.status === 'failed').map((r) => r.missingPermission);
    const expected = requiredIamPermissions(config).filter((a) => a !== 'iam:ListUsers');
    expect([...missing].sort()).toEqual(expected);
    for (const r of results.filter((x) => x.status === 'failed')) expect(r.errorCode).toBe('AccessDenied');
    expect(results.find((r) => r.check === 'iam:ListUsers')?.status).toBe('ok');
    const table = formatCheckTable(results);
    expect(table).toContain('FAILED AccessDenied: missing permission iam:ListGroupsForUser');
    expect(table).not.toContain(LIMITED_SECRET);
  });

  it('probes the change queue, naming a missing queue and a denied action', async () => {
    const { url } = emu.createQueue('check-changes');
    const results = await runChecks(fixtureConfig(emu.url, { changes: { queue_url: url } }));
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(results.find((r) => r.check === 'sqs:GetQueueAttributes')).toMatchObject({
      target: url,
      status: 'ok',
      detail: '0 visible, 0 in flight',
    });
    const missingUrl = url.replace(/check-changes$/, 'no-such-queue');
    const [missing] = await probeChangeQueue(fixtureConfig(emu.url, { changes: { queue_url: missingUrl } }));
    expect(missing).toMatchObject({ target: missingUrl, status: 'failed', errorCode: 'QueueDoesNotExist' });
    const limited = fixtureConfig(emu.url, {
      changes: { queue_url: url },
      aws: { credentials: { access_key_id: LIMITED_KEY, secret_access_key: LIMITED_SECRET } },
    });
    const [denied] = await probeChangeQueue(limited);
    expect(denied).toMatchObject({
      target: url,
      status: 'failed',
      missingPermission: 'sqs:GetQueueAttributes',
    });
    expect(formatCheckTable([denied!])).toContain(
      `sqs:GetQueueAttributes  ${url}  FAILED AccessDeniedException: missing permission sqs:GetQueueAttributes`,
    );
  });

  it('reports SignatureDoesNotMatch for a wrong secret, without printing it', async () => {
    const wrong = 'wrongSecretKeyValue/ForTheCheckTest000000';
    const config = {
      ...fixtureConfig(emu.url, {
        aws: { credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: wrong } },
      }),
      secrets: [wrong],
    };
    const results = await runChecks(config);
    expect(checksPassed(results)).toBe(false);
    const caller = results.find((r) => r.check === 'sts:GetCallerIdentity');
    expect(caller?.status).toBe('failed');
    expect(caller?.errorCode).toBe('SignatureDoesNotMatch');
    const table = formatCheckTable(results);
    expect(table).toContain('FAILED SignatureDoesNotMatch');
    expect(table).not.toContain(wrong);
    expect(JSON.stringify(results)).not.toContain(wrong);
  });

  it('runs as `check` and `policy` commands of the CLI with their exit codes', async () => {
    const ok = writeConfig({
      dir: tempDir('iam-inventory-check-cli-'),
      endpoint: emu.url,
      collector: { access_keys: true },
    });
    const wrong = 'wrongSecretKeyValue/ForTheCliCheck0000000';
    const bad = writeConfig({
      dir: tempDir('iam-inventory-check-cli-'),
      endpoint: emu.url,
      credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: wrong },
    });
    // In parallel: each CLI start-up costs a few seconds of module loading.
    const [good, failed, policy] = await Promise.all([
      runCli(['check', '--config', ok, '--json']),
      runCli(['check', '--config', bad]),
      runCli(['policy', '--config', ok]),
    ]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'iam:ListAccessKeys', status: 'ok' })]),
    );

    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED SignatureDoesNotMatch');
    expect(failed.stdout + failed.stderr).not.toContain(wrong);

    expect(policy.code).toBe(0);
    const doc = JSON.parse(policy.stdout) as { Statement: { Action: string[] }[] };
    expect(doc.Statement[0]?.Action).toContain('iam:GetAccessKeyLastUsed');
  });
});
