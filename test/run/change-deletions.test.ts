// Deletions through the change feed, in-process with real parts (the emulator over HTTP, SQLite in a temp
// dir, a file sink): DeleteRole -> GetRole answers NoSuchEntity -> the role's deletion event; an Identity
// Store DeleteUser -> the store's complete listing lacks the user -> the deletion event. And a change whose
// delivery failed comes back after the consumer's backoff, not after the whole visibility timeout, and a
// burst whose delivery outlasts the visibility timeout is kept hidden meanwhile.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openCheckpoint, type Checkpoint } from '../../src/checkpoint/index.js';
import type { Config } from '../../src/config/config.js';
import { ChangeConsumer } from '../../src/daemon/change-consumer.js';
import { cloudTrailEvent, startEmulator, type Emulator, type EmuQueue } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { runCollection } from '../../src/run/run.js';
import { createSinks } from '../../src/sinks/registry.js';
import type { Sink } from '../../src/sinks/sink.js';
import { readEvents, tempDir, userOf } from '../e2e/cli.js';
import { buildConfig } from '../support/config-fixture.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: Emulator;
let queue: EmuQueue;
let config: Config;
let checkpoint: Checkpoint;
let sinks: Sink[];
let events: string;

const admin = (method: 'POST' | 'DELETE', path: string, body: Record<string, unknown>) =>
  emulatorAdmin(emu.url, method, path, body);

async function drain(to: Sink[] = sinks, settings: Config = config): Promise<void> {
  const consumer = new ChangeConsumer(settings, { checkpoint, sinks: to, logger: silentLogger() });
  try {
    await consumer.drain();
  } finally {
    consumer.close();
  }
}

beforeAll(async () => {
  emu = await startEmulator({
    generator: {
      seed: 4242,
      accounts: 1,
      usersPerAccount: 6,
      groupsPerAccount: 2,
      rolesPerAccount: 4,
      identityCenter: { users: 5, groups: 2 },
    },
    changeFeed: { queueName: 'iam-changes' },
  });
  const created = emu.createQueue('iam-changes');
  queue = created.queue;
  const dir = tempDir('iam-inventory-change-deletions-');
  events = join(dir, 'events.ndjson');
  config = buildConfig(emu.url, {
    collector: { strategy: 'per-user', include_roles: true, access_keys: false, login_profile: false },
    identity_center: { enabled: true, access: true },
    changes: { queue_url: created.url, wait_seconds: 1, visibility_timeout_seconds: 60, coalesce_ms: 0 },
    sinks: [{ type: 'file', path: events }],
  });
  checkpoint = openCheckpoint(join(dir, 'state.db'));
  sinks = createSinks(config.sinks, { logger: silentLogger(), baseDir: dir });
  const summary = await runCollection(
    config,
    { mode: 'full', logger: silentLogger() },
    { checkpoint, sinks },
  );
  expect(summary.status).toBe('succeeded');
});

afterAll(async () => {
  await Promise.allSettled(sinks.map((s) => s.close()));
  checkpoint.close();
  await emu.stop();
});

describe('deletions through the change feed', () => {
  it('reports a deleted role with the deletion event of full mode', async () => {
    const role = [...emu.world.accounts.get(emu.world.defaultAccountId)!.roles.values()][0]!;
    const before = readEvents(events).length;
    await admin('DELETE', 'roles', { accountId: emu.world.defaultAccountId, roleName: role.roleName });
    await drain();
    const sent = readEvents(events).slice(before);
    expect(sent.map((e) => [userOf(e).uid, e.activity_id])).toEqual([[role.arn, 99]]);
    expect(queue.peek()).toHaveLength(0);
  });

  it('reports an Identity Center user the Identity Store no longer has', async () => {
    const [store] = [...emu.world.identityStores.values()];
    const userId = [...store!.users.keys()][0]!;
    const before = readEvents(events).length;
    await admin('DELETE', 'identity-store-users', { identityStoreId: store!.identityStoreId, userId });
    await drain();
    const sent = readEvents(events).slice(before);
    expect(sent.map((e) => [userOf(e).uid, e.activity_id])).toEqual([[userId, 99]]);
    expect(queue.peek()).toHaveLength(0);
  });

  it('reports a role that vanished while it was read by its own ARN, never a user of the same name', async () => {
    const accountId = emu.world.defaultAccountId;
    const role = [...emu.world.accounts.get(accountId)!.roles.values()].find(
      (r) => !r.roleName.startsWith('AWSServiceRole'),
    )!;
    await admin('POST', 'users', { accountId, userName: role.roleName });
    await drain();
    const namesake = [...emu.world.accounts.get(accountId)!.users.values()].find(
      (u) => u.userName === role.roleName,
    )!;
    expect(checkpoint.getIdentity(accountId, namesake.arn)).toBeDefined();
    // GetRole still answers; the next read finds the role gone (it is being deleted).
    await admin('POST', 'faults', {
      service: 'iam',
      action: 'ListAttachedRolePolicies',
      kind: 'error',
      status: 404,
      code: 'NoSuchEntity',
      message: `The role with name ${role.roleName} cannot be found.`,
      times: 1,
    });
    const write = {
      eventSource: 'iam.amazonaws.com',
      eventName: 'DetachRolePolicy',
      requestParameters: { roleName: role.roleName, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    };
    queue.send(JSON.stringify(cloudTrailEvent(write, accountId, Date.now())));
    const before = readEvents(events).length;
    await drain();
    const sent = readEvents(events).slice(before);
    expect(sent.map((e) => [userOf(e).uid, e.activity_id])).toEqual([[role.arn, 99]]);
    expect(checkpoint.getIdentity(accountId, namesake.arn)?.deleted).toBeFalsy();
    expect(queue.peek()).toHaveLength(0);
  });
});

describe('a change whose delivery failed', () => {
  it('comes back after the 5 s backoff, not the 60 s visibility timeout', async () => {
    const down = createSinks(
      [{ type: 'http', url: 'http://127.0.0.1:9/ingest', retry: { max_attempts: 1 } }],
      { logger: silentLogger(), baseDir: process.cwd() },
    );
    const account = emu.world.defaultAccountId;
    const user = [...emu.world.accounts.get(account)!.users.values()][0]!;
    await admin('POST', 'mfa-devices', { accountId: account, userName: user.userName, kind: 'hardware' });
    const drained = Date.now();
    await drain(down);
    await Promise.allSettled(down.map((s) => s.close()));
    const [kept] = queue.peek();
    expect(kept?.receiveCount).toBe(1);
    expect(kept!.visibleAt - drained).toBeLessThan(8_000);
    expect(kept!.visibleAt - Date.now()).toBeGreaterThan(1_000);
    queue.purge();
  });
});

describe('a burst that outlasts the visibility timeout', () => {
  it('is kept hidden while its delivery is in progress, then deleted', async () => {
    const short: Config = { ...config, changes: { ...config.changes, visibility_timeout_seconds: 1 } };
    const hiddenDuringSend: boolean[] = [];
    const slow: Sink = {
      name: 'slow',
      type: 'slow',
      send: async () => {
        await new Promise((r) => setTimeout(r, 1600));
        hiddenDuringSend.push(queue.peek().every((m) => m.visibleAt > Date.now()));
        return { rejected: [] };
      },
      check: async () => 'slow',
      close: async () => undefined,
    };
    const account = emu.world.defaultAccountId;
    const user = [...emu.world.accounts.get(account)!.users.values()][1]!;
    await admin('POST', 'mfa-devices', { accountId: account, userName: user.userName, kind: 'virtual' });
    await drain([slow], short);
    expect(hiddenDuringSend).toEqual([true]);
    expect(queue.peek()).toHaveLength(0);
  });
});
