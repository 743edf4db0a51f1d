// Delivery and state end to end: full-mode changes and deletions, guards, backfill, ack-gated state, lock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import {
  addUserToGroup,
  attachUserPolicy,
  createUser,
  deleteUser,
  enableMfaDevice,
  removeUserFromGroup,
} from '../../src/emulator/mutations.js';
import { generateWorld } from '../../src/emulator/generator.js';
import { collect, readEvents, runCli, spawnCli, stateShow, tempDir, userOf, writeConfig } from './cli.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const fastRetry = { max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 20 };

async function freshEmulator(seed: number, users = 120): Promise<Emulator> {
  const { world, truth } = generateWorld({
    seed,
    accounts: 1,
    usersPerAccount: users,
    groupsPerAccount: 12,
    identityCenter: false,
  });
  return startEmulator({ world, truth });
}

describe('full mode: changes and deletions', () => {
  let emu: Emulator;
  let accountId: string;
  afterEach(async () => emu?.stop());

  it('reports exactly the modified users, then exactly the deleted ones', async () => {
    emu = await freshEmulator(501);
    accountId = emu.world.defaultAccountId;
    const account = emu.world.accounts.get(accountId)!;
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url });
    const eventsPath = join(dir, 'events.ndjson');
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const baseline = readEvents(eventsPath).length;
    expect(baseline).toBe(account.users.size);

    // Unchanged account: a full run emits nothing.
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    expect(readEvents(eventsPath)).toHaveLength(baseline);

    const users = [...account.users.values()];
    const groups = [...account.groups.keys()];
    const inGroup = users.find((u) => u.groups.length > 0)!;
    const notInGroup = users.find((u) => !u.groups.includes(groups[0]!) && u !== inGroup)!;
    const noMfa = users.find((u) => u.mfaDevices.length === 0 && u !== inGroup && u !== notInGroup)!;
    const policyTarget = users.find((u) => ![inGroup, notInGroup, noMfa].includes(u))!;
    removeUserFromGroup(emu.world, accountId, inGroup.userName, inGroup.groups[0]!);
    addUserToGroup(emu.world, accountId, notInGroup.userName, groups[0]!);
    enableMfaDevice(emu.world, accountId, noMfa.userName, 'virtual');
    const policy = [...emu.world.awsManagedPolicies.values()].find(
      (p) => !policyTarget.attachedPolicyArns.includes(p.arn),
    )!;
    attachUserPolicy(emu.world, accountId, policyTarget.userName, policy.arn);
    const changed = new Set([inGroup.arn, notInGroup.arn, noMfa.arn, policyTarget.arn]);

    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const afterChange = readEvents(eventsPath).slice(baseline);
    expect(new Set(afterChange.map((e) => userOf(e).uid))).toEqual(changed);
    expect(afterChange.every((e) => e.activity_id === 2)).toBe(true);

    const doomed = users.slice(-3);
    for (const u of doomed) deleteUser(emu.world, accountId, u.userName);
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const deletions = readEvents(eventsPath).slice(baseline + afterChange.length);
    expect(new Set(deletions.map((e) => userOf(e).uid))).toEqual(new Set(doomed.map((u) => u.arn)));
    for (const e of deletions) {
      expect(e.activity_id).toBe(99);
      expect(e.type_uid).toBe(500399);
      expect(typeof userOf(e).ldap_person.deleted_time).toBe('number');
    }
    // Deletions are reported once.
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    expect(readEvents(eventsPath)).toHaveLength(baseline + afterChange.length + deletions.length);
  });

  it('never infers deletions from a throttled-out or denied listing, and guards against mass deletion', async () => {
    emu = await freshEmulator(502);
    accountId = emu.world.defaultAccountId;
    const account = emu.world.accounts.get(accountId)!;
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector: { page_size: 20 } });
    const eventsPath = join(dir, 'events.ndjson');
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const baseline = readEvents(eventsPath).length;

    // The second ListUsers page is throttled forever: the listing is incomplete.
    const users = [...account.users.values()];
    for (const u of users.slice(0, 5)) deleteUser(emu.world, accountId, u.userName);
    const throttle = emu.faults.add({ service: 'iam', action: 'ListUsers', kind: 'throttle' });
    const throttled = await runCli(['run', '--mode', 'full', '--config', config]);
    emu.faults.remove(throttle);
    expect(throttled.code).toBe(1);
    expect(readEvents(eventsPath).filter((e) => e.activity_id === 99)).toHaveLength(0);

    const denied = emu.faults.add({
      service: 'iam',
      action: 'ListUsers',
      kind: 'error',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform: iam:ListUsers',
    });
    const deniedRun = await runCli(['run', '--mode', 'full', '--config', config]);
    emu.faults.remove(denied);
    expect(deniedRun.code).toBe(1);
    expect(readEvents(eventsPath).filter((e) => e.activity_id === 99)).toHaveLength(0);
    expect(readEvents(eventsPath)).toHaveLength(baseline);

    // Most of the account disappears: the guard refuses, --allow-mass-delete goes through.
    for (const u of users.slice(5, Math.ceil(users.length * 0.7)))
      deleteUser(emu.world, accountId, u.userName);
    const guarded = await runCli(['run', '--mode', 'full', '--config', config]);
    expect(guarded.code).toBe(1);
    expect(guarded.stdout + guarded.stderr).toContain('allow-mass-delete');
    expect(readEvents(eventsPath).filter((e) => e.activity_id === 99)).toHaveLength(0);
    const allowed = await runCli(['run', '--mode', 'full', '--allow-mass-delete', '--config', config]);
    expect(allowed.code).toBe(0);
    const gone = users.length - emu.world.accounts.get(accountId)!.users.size;
    expect(readEvents(eventsPath).filter((e) => e.activity_id === 99)).toHaveLength(gone);
  });

  it('backfill --since emits exactly the users created since the date, whatever was delivered', async () => {
    emu = await freshEmulator(503);
    accountId = emu.world.defaultAccountId;
    const users = [...emu.world.accounts.get(accountId)!.users.values()];
    const dates = users.map((u) => u.createDate).sort((a, b) => a - b);
    const since = dates[Math.floor(dates.length / 2)]!;
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const before = readEvents(join(dir, 'events.ndjson')).length;
    const r = await runCli(['backfill', '--since', new Date(since).toISOString(), '--config', config]);
    expect(r.code).toBe(0);
    const emitted = readEvents(join(dir, 'events.ndjson')).slice(before);
    const expected = users.filter((u) => u.createDate >= since).map((u) => u.arn);
    expect(emitted.map((e) => userOf(e).uid).sort()).toEqual(expected.sort());

    const bad = await runCli(['backfill', '--since', 'last tuesday', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
  });
});

describe('at-least-once delivery and the state file', () => {
  let emu: Emulator;
  let sink: SinkServer;
  beforeAll(async () => {
    emu = await freshEmulator(600, 150);
    sink = await startSinkServer();
  });
  afterAll(async () => {
    await sink.close();
    await emu.stop();
  });

  it('a sink failing every batch leaves state untouched; the next run delivers every user', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 50 } }],
    });
    sink.status = 500;
    const failed = await runCli(['run', '--config', config]);
    expect(failed.code).toBe(1);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.watermark).toBeNull();
    expect(scope.identitiesKnown).toBe(0);

    sink.status = 200;
    sink.events.length = 0;
    const ok = await runCli(['run', '--config', config]);
    expect(ok.code).toBe(0);
    const total = emu.world.accounts.get(emu.world.defaultAccountId)!.users.size;
    expect(new Set(sink.events.map((e) => userOf(e).uid)).size).toBe(total);
  });

  it('a rerun after the intake went down mid-run repeats at most the unacknowledged batch', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 20 } }],
      extra: { delivery: { batch_max_events: 20 } },
    });
    sink.events.length = 0;
    sink.requests = 0;
    sink.acceptLimit = 3;
    const broken = await runCli(['run', '--config', config]);
    sink.acceptLimit = undefined;
    expect(broken.code).toBe(1);
    expect(sink.events).toHaveLength(60);

    const healed = await runCli(['run', '--config', config]);
    expect(healed.code).toBe(0);
    const uids = sink.events.map((e) => userOf(e).uid as string);
    const total = emu.world.accounts.get(emu.world.defaultAccountId)!.users.size;
    expect(new Set(uids).size).toBe(total);
    expect(uids.length - total).toBeLessThanOrEqual(20);
  });

  it('two sinks, one failing: exit 1 and the state does not advance', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      sinks: [
        { type: 'file', path: join(dir, 'events.ndjson') },
        { type: 'http', url: sink.url, retry: fastRetry },
      ],
    });
    sink.status = 503;
    const r = await runCli(['run', '--config', config]);
    sink.status = 200;
    expect(r.code).toBe(1);
    const state = await stateShow(config);
    const scope = state.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.watermark).toBeNull();
    expect(scope.identitiesKnown).toBe(0);
  });

  it('a second process on the same state file exits 2 naming the holder pid', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      sinks: [{ type: 'http', url: sink.url, retry: fastRetry, batch: { max_events: 5 } }],
    });
    sink.delayMs = 100;
    const first = spawnCli(['run', '--mode', 'full', '--config', config]);
    const firstDone = collect(first);
    try {
      // Wait until the first run holds the lock (it has sent at least one batch).
      const start = Date.now();
      const before = sink.requests;
      while (sink.requests === before && Date.now() - start < 30_000)
        await new Promise((r) => setTimeout(r, 50));
      const second = await runCli(['run', '--config', config]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`is in use by pid ${first.pid}`));
    } finally {
      sink.delayMs = 0;
      await firstDone;
    }
  });

  it('state show reports per account, state reset clears it (with --yes)', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const shown = await stateShow(config);
    const scope = shown.scopes.find((s: any) => s.scope === emu.world.defaultAccountId);
    expect(scope.identitiesKnown).toBe(emu.world.accounts.get(emu.world.defaultAccountId)!.users.size);
    expect(scope.lastRun.status).toBe('succeeded');
    expect(typeof scope.watermark.ms).toBe('number');

    const human = await runCli(['state', 'show', '--config', config]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(emu.world.defaultAccountId);

    const refused = await runCli(['state', 'reset', '--config', config]);
    expect(refused.code).toBe(2);
    const reset = await runCli(['state', 'reset', '--yes', '--config', config]);
    expect(reset.code).toBe(0);
    const after = await stateShow(config);
    expect(after.scopes.filter((s: any) => s.identitiesKnown > 0)).toHaveLength(0);

    // After a reset everything is delivered again.
    createUser(emu.world, emu.world.defaultAccountId, { userName: 'after-reset' });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect(readEvents(join(dir, 'events.ndjson')).length).toBeGreaterThan(
      emu.world.accounts.get(emu.world.defaultAccountId)!.users.size,
    );
  });
});
