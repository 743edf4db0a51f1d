// Which changes a consumer may apply, in-process with real parts (the emulator over HTTP, SQLite in a temp
// dir, a file sink): a replica started with --shard applies only its shard's changes and leaves the others
// on the queue for theirs; an Identity Center store that cannot be opened holds back only its own changes,
// not those of the account that hosts it; and a late change of a policy deleted since names nobody.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openCheckpoint, type Checkpoint } from '../../src/checkpoint/index.js';
import { shardOf, type Shard } from '../../src/collector/index.js';
import type { Config } from '../../src/config/config.js';
import { ChangeConsumer } from '../../src/daemon/change-consumer.js';
import { cloudTrailEvent, startEmulator, type Emulator, type EmuQueue } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { createSinks } from '../../src/sinks/registry.js';
import type { Sink } from '../../src/sinks/sink.js';
import { readEvents, tempDir, userOf } from '../e2e/cli.js';
import { buildConfig } from '../support/config-fixture.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: Emulator;
let queue: EmuQueue;
let queueUrl: string;
let dir: string;
const opened: { checkpoint: Checkpoint; sinks: Sink[] }[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    generator: {
      seed: 8101,
      accounts: 4,
      usersPerAccount: 3,
      groupsPerAccount: 1,
      rolesPerAccount: 1,
      organization: true,
      identityCenter: { users: 2, groups: 1 },
    },
    changeFeed: { queueName: 'iam-changes' },
  });
  ({ queue, url: queueUrl } = emu.createQueue('iam-changes'));
  dir = tempDir('iam-inventory-consumer-scopes-');
});

afterAll(async () => {
  for (const o of opened) {
    await Promise.allSettled(o.sinks.map((s) => s.close()));
    o.checkpoint.close();
  }
  await emu.stop();
});

const admin = (path: string, body: Record<string, unknown>) => emulatorAdmin(emu.url, 'POST', path, body);

/** A replica: its own state file and event file, as each replica of an Indexed Job has. */
function replica(name: string, overrides: Parameters<typeof buildConfig>[1] = {}) {
  const events = join(dir, `${name}.ndjson`);
  const config: Config = buildConfig(emu.url, {
    aws: { organization: { enabled: true, role_name: 'IamInventoryReader', include: [], exclude: [] } },
    collector: { strategy: 'per-user', mfa_source: 'api', access_keys: false, login_profile: false },
    changes: { queue_url: queueUrl, wait_seconds: 1, visibility_timeout_seconds: 60, coalesce_ms: 0 },
    sinks: [{ type: 'file', path: events }],
    ...overrides,
  });
  const checkpoint = openCheckpoint(join(dir, `${name}.db`));
  const sinks = createSinks(config.sinks, { logger: silentLogger(), baseDir: dir });
  opened.push({ checkpoint, sinks });
  const drain = async (shard?: Shard): Promise<void> => {
    const consumer = new ChangeConsumer(config, { checkpoint, sinks, logger: silentLogger(), shard });
    try {
      await consumer.drain();
    } finally {
      consumer.close();
    }
  };
  return { drain, events: () => readEvents(events), checkpoint };
}

/** Kept messages wait out their backoff; the next consumer of the test need not. */
function showKept(): void {
  for (const m of queue.peek()) m.visibleAt = 0;
}

describe('a replica started with --shard', () => {
  it("applies its shard's changes and leaves the others on the queue for their replica", async () => {
    const ids = [...emu.world.accounts.keys()];
    const mine = ids.find((id) => shardOf(id, 2) === 0)!;
    const theirs = ids.find((id) => shardOf(id, 2) === 1)!;
    expect([mine, theirs]).toEqual([expect.any(String), expect.any(String)]);
    queue.purge();
    const zero = replica('shard-0');
    const one = replica('shard-1');

    await admin('users', { accountId: mine, userName: 'probe-mine' });
    await admin('users', { accountId: theirs, userName: 'probe-theirs' });
    await zero.drain({ index: 0, count: 2 });
    expect(zero.events().map((e) => userOf(e).name)).toEqual(['probe-mine']);
    expect(zero.checkpoint.knownKeys(theirs).size).toBe(0);
    expect(queue.peek()).toHaveLength(1);

    showKept();
    await one.drain({ index: 1, count: 2 });
    expect(one.events().map((e) => userOf(e).name)).toEqual(['probe-theirs']);
    expect(one.checkpoint.knownKeys(mine).size).toBe(0);
    expect(queue.peek()).toHaveLength(0);
  });
});

describe('an Identity Center store that cannot be opened', () => {
  it('holds back its own changes only, not those of the account that hosts it', async () => {
    queue.purge();
    const host = replica('ic-failed', {
      identity_center: { enabled: true, access: true, identity_store_id: 'd-0000000000' },
    });
    const management = emu.world.defaultAccountId;
    await admin('users', { accountId: management, userName: 'probe-host' });
    const [store] = [...emu.world.identityStores.values()];
    const write = {
      eventSource: 'identitystore.amazonaws.com',
      eventName: 'UpdateUser',
      requestParameters: { identityStoreId: store!.identityStoreId, userId: [...store!.users.keys()][0] },
    };
    queue.send(JSON.stringify(cloudTrailEvent(write, management, Date.now())));
    await host.drain();
    expect(host.events().map((e) => userOf(e).name)).toEqual(['probe-host']);
    // The store's change waits for a burst that can open it.
    expect(queue.peek().map((m) => JSON.parse(m.body).detail.eventSource)).toEqual([
      'identitystore.amazonaws.com',
    ]);
  });
});

describe('a late change of a policy deleted since', () => {
  it('names nobody and is deleted, with the other changes of its burst applied', async () => {
    queue.purge();
    const r = replica('deleted-policy');
    const management = emu.world.defaultAccountId;
    const gone = `arn:aws:iam::${management}:policy/deleted-long-ago`;
    const write = {
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreatePolicyVersion',
      requestParameters: { policyArn: gone, policyDocument: '{}' },
    };
    queue.send(JSON.stringify(cloudTrailEvent(write, management, Date.now())));
    await admin('users', { accountId: management, userName: 'probe-beside' });
    await r.drain();
    expect(r.events().map((e) => userOf(e).name)).toEqual(['probe-beside']);
    expect(queue.peek()).toHaveLength(0);
  });
});
