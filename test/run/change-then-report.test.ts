// The credential report against what the change feed read since: a report is cached for up to 4 hours, so
// a full run after a change can hold a report older than what the change feed already read from IAM. Its
// row is then stale for that user (a key created since, a hardware device enabled since, do not show in
// it): the user's credentials are read from the API again, and the fresh event is never overwritten by the
// report's older picture. Once a report newer than the change is had, the row serves again. In-process
// with real parts: the emulator over HTTP, SQLite in a temp dir, a file sink.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openCheckpoint, type Checkpoint } from '../../src/checkpoint/index.js';
import type { Config } from '../../src/config/config.js';
import { ChangeConsumer } from '../../src/daemon/change-consumer.js';
import { startEmulator, type Emulator, type EmuQueue } from '../../src/emulator/index.js';
import type { EmuUser } from '../../src/emulator/model.js';
import { silentLogger } from '../../src/log.js';
import { runCollection } from '../../src/run/run.js';
import { createSinks } from '../../src/sinks/registry.js';
import type { Sink } from '../../src/sinks/sink.js';
import { awsOf, readEvents, tempDir, userOf } from '../e2e/cli.js';
import { buildConfig } from '../support/config-fixture.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: Emulator;
let queue: EmuQueue;
let config: Config;
let checkpoint: Checkpoint;
let sinks: Sink[];
let events: string;
/** The user the first test changed. */
let changed: EmuUser;
/** How far the emulator's clock runs ahead of this one. */
let clockShiftMs = 0;

const admin = (path: string, body: Record<string, unknown>) => emulatorAdmin(emu.url, 'POST', path, body);

async function fullRun(): Promise<Record<string, unknown>[]> {
  const before = readEvents(events).length;
  const summary = await runCollection(
    config,
    { mode: 'full', logger: silentLogger() },
    { checkpoint, sinks },
  );
  expect(summary.status).toBe('succeeded');
  return readEvents(events).slice(before);
}

function accountUsers(): EmuUser[] {
  return [...emu.world.accounts.get(emu.world.defaultAccountId)!.users.values()];
}

/** What the state holds as delivered for the user: its last event. */
function delivered(user: EmuUser): Record<string, unknown> {
  return checkpoint.getLastEvent(emu.world.defaultAccountId, user.arn) as Record<string, unknown>;
}

function keyIds(event: Record<string, unknown>): string[] {
  return ((awsOf(event).access_keys ?? []) as { id: string }[]).map((k) => k.id).sort();
}

beforeAll(async () => {
  emu = await startEmulator({
    generator: { seed: 77, accounts: 1, usersPerAccount: 8, groupsPerAccount: 2 },
    changeFeed: { queueName: 'iam-changes' },
    now: () => Date.now() + clockShiftMs,
  });
  const created = emu.createQueue('iam-changes');
  queue = created.queue;
  const dir = tempDir('iam-inventory-change-then-report-');
  events = join(dir, 'events.ndjson');
  // The shipped defaults: auto, MFA, keys and login profiles from the credential report.
  config = buildConfig(emu.url, {
    changes: { queue_url: created.url, wait_seconds: 1, visibility_timeout_seconds: 60, coalesce_ms: 0 },
    sinks: [{ type: 'file', path: events }],
  });
  expect(config.collector.mfa_source).toBe('credential_report');
  checkpoint = openCheckpoint(join(dir, 'state.db'));
  sinks = createSinks(config.sinks, { logger: silentLogger(), baseDir: dir });
  await fullRun();
});

afterAll(async () => {
  await Promise.allSettled(sinks.map((s) => s.close()));
  checkpoint.close();
  await emu.stop();
});

describe('a full run after the change feed read a user', () => {
  it('does not send the older report picture over what the change feed read', async () => {
    const users = accountUsers();
    const keyless = users.find((u) => u.accessKeys.length === 0 && u.mfaDevices.length === 0)!;
    expect(keyless).toBeDefined();
    changed = keyless;
    const { accessKeyId } = await admin('access-keys', {
      accountId: emu.world.defaultAccountId,
      userName: keyless.userName,
    });
    await admin('mfa-devices', {
      accountId: emu.world.defaultAccountId,
      userName: keyless.userName,
      kind: 'hardware',
    });
    const consumer = new ChangeConsumer(config, { checkpoint, sinks, logger: silentLogger() });
    try {
      await consumer.drain();
    } finally {
      consumer.close();
    }
    expect(queue.peek()).toHaveLength(0);
    expect(keyIds(delivered(keyless))).toEqual([accessKeyId]);
    expect(userOf(delivered(keyless)).has_mfa).toBe(true);

    // The cached report predates both changes: its row says no key and no MFA.
    const sent = await fullRun();
    expect(sent.filter((e) => userOf(e).uid === keyless.arn)).toEqual([]);
    expect(keyIds(delivered(keyless))).toEqual([accessKeyId]);
    expect(userOf(delivered(keyless)).has_mfa).toBe(true);
    expect(awsOf(delivered(keyless)).mfa_types).toEqual(['hardware']);
  });

  it('takes the row again from a report generated after the change', async () => {
    const keyed = changed;
    // Four hours on (on AWS's clock): the cached report has expired, the next run has one generated then.
    clockShiftMs = 4 * 3600_000 + 60_000;
    const accountId = emu.world.defaultAccountId;
    const before = emu.stats().calls[accountId]?.['iam:GetLoginProfile'] ?? 0;
    const sent = await fullRun();
    const loginProfileReads = (emu.stats().calls[accountId]?.['iam:GetLoginProfile'] ?? 0) - before;
    const event = sent.find((e) => userOf(e).uid === keyed.arn);
    // Sent again, from the report this time (its MFA and keys as the report and the device listing say).
    expect(event).toBeDefined();
    expect(awsOf(event!).credential_report_generated_time).toBeDefined();
    expect(keyIds(event!)).toEqual(keyIds(delivered(keyed)));
    expect(userOf(event!).has_mfa).toBe(true);
    // No GetLoginProfile: every login profile came from the report's rows.
    expect(loginProfileReads).toBe(0);
  });
});
