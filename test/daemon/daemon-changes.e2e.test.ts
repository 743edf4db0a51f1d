// The change feed through the CLI daemon: schedules far in the future (one start-up run for the baseline,
// then none), the emulator's mutations publishing their CloudTrail events, a file sink. AdministratorAccess
// attached to a group reaches every member as Admin, a DeleteUser as the deletion event, with no run between.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmuQueue } from '../../src/emulator/index.js';
import { LEAN_COLLECTOR, readEvents, tempDir, userOf, writeConfig, type CliResult } from '../e2e/cli.js';
import { startDaemon } from '../support/daemon-process.js';
import { waitFor } from '../support/wait-for.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** The sum of a metric's samples (every label set) in a Prometheus text exposition. */
function metric(text: string, name: string): number {
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm')))
    total += Number(m[1]);
  return total;
}

describe('daemon with the change feed (CLI, end to end)', () => {
  let emu: Emulator;
  let queue: EmuQueue;
  let account: string;
  let child: ChildProcess;
  let exited: Promise<CliResult>;
  let ops = '';
  let events = '';

  const metrics = async (): Promise<string> => (await fetch(`http://${ops}/metrics`)).text();
  const admin = (method: 'POST' | 'DELETE', path: string, body: Record<string, unknown>) =>
    emulatorAdmin(emu.url, method, path, { accountId: account, ...body });

  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 1516, accounts: 1, usersPerAccount: 20, groupsPerAccount: 3, identityCenter: false },
      changeFeed: { queueName: 'iam-changes' },
    });
    account = emu.world.defaultAccountId;
    const created = emu.createQueue('iam-changes');
    queue = created.queue;
    const dir = tempDir('iam-inventory-daemon-changes-');
    events = join(dir, 'events.ndjson');
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      collector: LEAN_COLLECTOR,
      extra: {
        // 1 January only: no scheduled run during the test, after the start-up one.
        schedule: { incremental: '0 0 1 1 *', full: '0 0 1 1 *', run_on_start: true, jitter_seconds: 0 },
        changes: { queue_url: created.url, wait_seconds: 1 },
        ops: { listen: '127.0.0.1:0' },
        log: { level: 'info' },
      },
    });
    ({ child, exited, ops } = await startDaemon(config));
    await waitFor('the start-up run', async () =>
      metric(await metrics(), 'iam_inventory_runs_total') >= 1 ? true : undefined,
    );
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited.catch(() => undefined);
    await emu.stop();
  });

  it('sends every member Admin when AdministratorAccess is attached to their group, and a deletion', async () => {
    const users = [...emu.world.accounts.get(account)!.users.values()];
    const group = [...emu.world.accounts.get(account)!.groups.values()]
      .filter((g) => !g.attachedPolicyArns.includes(ADMIN))
      .find((g) => users.filter((u) => u.groups.includes(g.groupName)).length >= 2)!;
    const members = users.filter((u) => u.groups.includes(group.groupName)).map((u) => u.arn);
    const baseline = readEvents(events).length;
    await admin('POST', 'group-policies', { groupName: group.groupName, policyArn: ADMIN });
    const admins = await waitFor('every member as Admin', () => {
      const sent = readEvents(events).slice(baseline);
      return sent.length >= members.length ? sent : undefined;
    });
    expect(new Set(admins.map((e) => userOf(e).uid))).toEqual(new Set(members));
    for (const e of admins) expect(userOf(e).type).toBe('Admin');

    const victim = users.find((u) => !members.includes(u.arn))!;
    await admin('DELETE', 'users', { userName: victim.userName });
    const [deletion] = await waitFor('the deletion event', () => {
      const sent = readEvents(events).slice(baseline + admins.length);
      return sent.length > 0 ? sent : undefined;
    });
    expect(deletion).toMatchObject({ activity_id: 99 });
    expect(userOf(deletion!).uid).toBe(victim.arn);
    expect(readEvents(events)).toHaveLength(baseline + members.length + 1);

    const text = await waitFor('both changes counted', async () => {
      const t = await metrics();
      return metric(t, 'iam_inventory_changes_applied_total') >= 2 ? t : undefined;
    });
    expect(metric(text, 'iam_inventory_runs_total')).toBe(1);
    expect(metric(text, 'iam_inventory_changes_received_total')).toBe(2);
    expect(metric(text, 'iam_inventory_change_lag_seconds_count')).toBe(2);
    expect(text).toMatch(/^iam_inventory_change_queue_depth\{state="visible"\} 0$/m);
    expect(queue.peek()).toHaveLength(0);
    expect((await fetch(`http://${ops}/readyz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });
});
