// Full mode end to end: changes and deletions, the guards on deletions, backfill.
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  addUserToGroup,
  attachUserPolicy,
  deleteUser,
  type Emulator,
  enableMfaDevice,
  removeUserFromGroup,
} from '../../src/emulator/index.js';
import { LEAN_COLLECTOR, readEvents, runCli, tempDir, userOf, writeConfig } from './cli.js';
import { freshEmulator } from './single-account-emulator.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('full mode: changes and deletions', () => {
  let emu: Emulator;
  let accountId: string;
  afterEach(async () => emu?.stop());

  it('reports exactly the modified users, then exactly the deleted ones', async () => {
    emu = await freshEmulator(501);
    accountId = emu.world.defaultAccountId;
    const account = emu.world.accounts.get(accountId)!;
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, collector: LEAN_COLLECTOR });
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
    const config = writeConfig({ dir, endpoint: emu.url, collector: { ...LEAN_COLLECTOR, page_size: 20 } });
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
    const config = writeConfig({ dir, endpoint: emu.url, collector: LEAN_COLLECTOR });
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
