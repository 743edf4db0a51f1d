// The core slice end to end through the CLI: emulator -> collector -> OCSF -> sinks -> SQLite checkpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addCredential, createUser, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { LEAN_COLLECTOR, readEvents, runCli, stateShow, tempDir, userOf, writeConfig } from './cli.js';
import { createEventValidator } from '../../src/ocsf/validate.js';
import { expectGolden } from '../ocsf/golden.js';
import { GOLDEN_CASES } from './golden-cases.js';
import { expectEventMatchesTruth } from './truth.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('collector end to end (400 users)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 1001,
        accounts: 1,
        usersPerAccount: 400,
        groupsPerAccount: 40,
        identityCenter: false,
      },
    });
  });
  afterAll(async () => emu.stop());

  it('emits every user once, equal to the ground truth; reruns emit nothing new; a new user exactly once', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url });
    const eventsPath = join(dir, 'events.ndjson');

    const first = await runCli(['run', '--config', config]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const events = readEvents(eventsPath);
    const accountId = emu.world.defaultAccountId;
    const listed = [...emu.world.accounts.get(accountId)!.users.values()];
    expect(events).toHaveLength(listed.length);
    const byArn = new Map(events.map((e) => [userOf(e).uid as string, e]));
    expect(byArn.size).toBe(listed.length);
    let compared = 0;
    for (const user of listed) {
      const truth = emu.truth!.users.get(user.arn);
      expect(truth).toBeDefined();
      expectEventMatchesTruth(byArn.get(user.arn)!, truth!);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(400);

    // Every event is valid OCSF 1.8.0; seeded users of each shape match their golden files.
    const validator = createEventValidator('1.8.0');
    const invalid = events.filter((e) => !validator.validate(e as never).valid).map((e) => userOf(e).uid);
    expect(invalid).toEqual([]);
    const truths = [...emu.truth!.users.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1));
    for (const [name, matches] of Object.entries(GOLDEN_CASES)) {
      const t = truths.find(matches);
      expect(t).toBeDefined();
      expectGolden('1.8.0', name, byArn.get(t!.arn));
    }

    const second = await runCli(['run', '--config', config]);
    expect(second.code).toBe(0);
    expect(readEvents(eventsPath)).toHaveLength(listed.length);

    const created = createUser(emu.world, accountId, {
      userName: 'zz-late-arrival',
      createDate: Math.floor(Date.now() / 1000) * 1000,
    });
    const third = await runCli(['run', '--config', config]);
    expect(third.code).toBe(0);
    const after = readEvents(eventsPath);
    expect(after).toHaveLength(listed.length + 1);
    expect(after.filter((e) => userOf(e).uid === created.arn)).toHaveLength(1);

    const fourth = await runCli(['run', '--config', config]);
    expect(fourth.code).toBe(0);
    expect(readEvents(eventsPath)).toHaveLength(listed.length + 1);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === accountId);
    expect(scope.watermark.ms).toBe(created.createDate);
    expect(scope.lastRun.status).toBe('succeeded');
  });
});

describe('collector end to end (failures and paging)', () => {
  let emu: Emulator;
  let accountId: string;
  let total: number;
  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 77, accounts: 1, usersPerAccount: 100, groupsPerAccount: 12, identityCenter: false },
    });
    accountId = emu.world.defaultAccountId;
    total = emu.world.accounts.get(accountId)!.users.size;
  });
  afterAll(async () => emu.stop());

  it('pages at page_size 40 with short pages and loses nobody', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector: { ...LEAN_COLLECTOR, page_size: 40 } });
    const rule = emu.faults.add({ service: 'iam', action: 'ListUsers', kind: 'short_page' });
    try {
      const r = await runCli(['run', '--config', config]);
      expect(r.code).toBe(0);
    } finally {
      emu.faults.remove(rule);
    }
    const uids = new Set(readEvents(join(dir, 'events.ndjson')).map((e) => userOf(e).uid));
    expect(uids.size).toBe(total);
  });

  it('a user whose ListMFADevices keeps failing is not emitted, the run exits 1 and the next run emits it', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      aws: { max_attempts: 2 },
    });
    const victim = [...emu.world.accounts.get(accountId)!.users.values()][17]!;
    const rule = emu.faults.add({
      service: 'iam',
      action: 'ListMFADevices',
      userName: victim.userName,
      kind: 'error',
      status: 503,
      code: 'ServiceUnavailable',
    });
    let r;
    try {
      r = await runCli(['run', '--config', config]);
    } finally {
      emu.faults.remove(rule);
    }
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('ListMFADevices');
    const events = readEvents(join(dir, 'events.ndjson'));
    expect(events).toHaveLength(total - 1);
    expect(events.some((e) => userOf(e).uid === victim.arn)).toBe(false);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === accountId);
    expect(scope.watermark).toBeNull();
    expect(scope.lastRun.status).toBe('failed');

    const again = await runCli(['run', '--config', config]);
    expect(again.code).toBe(0);
    const after = readEvents(join(dir, 'events.ndjson'));
    expect(after).toHaveLength(total);
    expect(after.filter((e) => userOf(e).uid === victim.arn)).toHaveLength(1);
  });

  it('skips a user that vanished between ListUsers and its enrichment', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector: LEAN_COLLECTOR });
    const victim = [...emu.world.accounts.get(accountId)!.users.values()][42]!;
    const rule = emu.faults.add({ service: 'iam', userName: victim.userName, kind: 'vanish' });
    try {
      const r = await runCli(['run', '--config', config]);
      expect(r.code).toBe(0);
    } finally {
      emu.faults.remove(rule);
    }
    const events = readEvents(join(dir, 'events.ndjson'));
    expect(events).toHaveLength(total - 1);
    expect(events.some((e) => userOf(e).uid === victim.arn)).toBe(false);
  });

  it('ListUsers AccessDenied fails the run with exit 1 naming the account and the action', async () => {
    const dir = tempDir();
    addCredential(emu.world, {
      accessKeyId: 'AKIAE2ELISTUSERSDENY',
      secretAccessKey: 'e2e-secret-list-users-denied-0000000000',
      accountId,
      arn: `arn:aws:iam::${accountId}:user/no-list`,
      userId: 'AIDAE2ENOLIST0000000',
      allowedActions: new Set(['sts:GetCallerIdentity', 'iam:ListAccountAliases', 'iam:GetAccountSummary']),
    });
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      credentials: {
        access_key_id: 'AKIAE2ELISTUSERSDENY',
        secret_access_key: 'e2e-secret-list-users-denied-0000000000',
      },
    });
    const r = await runCli(['run', '--config', config]);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('iam:ListUsers');
    expect(out).toContain(accountId);
    expect(out).not.toContain('e2e-secret-list-users-denied-0000000000');
  });

  it('config errors exit 2 naming the file and the key', async () => {
    const dir = tempDir();
    const missing = await runCli(['run', '--config', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');

    const badYaml = join(dir, 'bad.yaml');
    writeFileSync(badYaml, 'aws: [unclosed\n');
    const bad = await runCli(['run', '--config', badYaml]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml');

    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'collector:\n  concurrenzy: 4\nsinks:\n  - type: stdout\n');
    const u = await runCli(['run', '--config', unknown]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('unknown.yaml');
    expect(u.stderr).toContain('concurrenzy');

    const heap = await runCli(['validate-config', '--config', unknown], {
      env: { IAM_INVENTORY_HEAP_GROWTH_PERCENT: 'lots' },
    });
    expect(heap.code).toBe(2);
    expect(heap.stderr).toContain('IAM_INVENTORY_HEAP_GROWTH_PERCENT must be an integer');
  });
});
