// The change feed end to end through the CLI (`changes --once`) against the emulator, whose admin
// mutations publish the CloudTrail-shaped EventBridge events AWS would: no scheduled run in between.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  cloudTrailEvent,
  generateWorld,
  startEmulator,
  type Emulator,
  type EmuQueue,
} from '../../src/emulator/index.js';
import { LEAN_COLLECTOR, readEvents, runCli, tempDir, userOf, writeConfig } from './cli.js';
import { startSinkServer, type SinkServer } from './http-sink-server.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
let emu: Emulator;
let queue: EmuQueue;
let queueUrl: string;
let sqs: SQSClient;
let account: string;

const admin = (method: 'POST' | 'DELETE', path: string, body: Record<string, unknown>) =>
  emulatorAdmin(emu.url, method, path, { accountId: account, ...body });

const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
const iamEvent = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  at = Date.now(),
  acct = account,
) =>
  JSON.stringify(
    cloudTrailEvent({ eventSource: 'iam.amazonaws.com', eventName, requestParameters }, acct, at),
  );

function configFor(dir: string, sinks?: Record<string, unknown>[]): string {
  return writeConfig({
    dir,
    endpoint: emu.url,
    collector: LEAN_COLLECTOR,
    ...(sinks !== undefined ? { sinks } : {}),
    extra: {
      changes: { queue_url: queueUrl, wait_seconds: 1, visibility_timeout_seconds: 1, coalesce_ms: 100 },
    },
  });
}

beforeAll(async () => {
  const { world, truth } = generateWorld({
    seed: 1515,
    accounts: 1,
    usersPerAccount: 30,
    groupsPerAccount: 4,
    identityCenter: false,
  });
  emu = await startEmulator({ world, truth, changeFeed: { queueName: 'iam-changes' } });
  account = world.defaultAccountId;
  ({ url: queueUrl, queue } = emu.createQueue('iam-changes'));
  sqs = new SQSClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });
});

afterAll(async () => {
  sqs.destroy();
  await emu.stop();
});

describe('changes --once against the emulator', () => {
  const dir = tempDir();
  const events = join(dir, 'events.ndjson');
  let config: string;
  let baseline = 0;

  it('sends every member of a group an Admin event when AdministratorAccess is attached to it', async () => {
    config = configFor(dir);
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    baseline = readEvents(events).length;
    const users = [...emu.world.accounts.get(account)!.users.values()];
    const group = [...emu.world.accounts.get(account)!.groups.values()]
      .filter((g) => !g.attachedPolicyArns.includes(ADMIN))
      .map((g) => g.groupName)
      .find((g) => users.filter((u) => u.groups.includes(g)).length >= 2)!;
    const members = users.filter((u) => u.groups.includes(group));
    await admin('POST', 'group-policies', { groupName: group, policyArn: ADMIN });

    const r = await runCli(['changes', '--once', '--config', config]);
    expect(r.code).toBe(0);
    const sent = readEvents(events).slice(baseline);
    expect(new Set(sent.map((e) => userOf(e).uid))).toEqual(new Set(members.map((m) => m.arn)));
    for (const e of sent) expect(userOf(e).type).toBe('Admin');
    expect(queue.peek()).toHaveLength(0);
    baseline += sent.length;
  });

  it('ignores a duplicate delivery, an event of an account outside the scope, and a failed call', async () => {
    const group = [...emu.world.accounts.get(account)!.groups.values()].find(
      (g) => g.attachedPolicyArns.includes(ADMIN) && g.groupName !== 'admins',
    )!;
    const again = iamEvent('AttachGroupPolicy', { groupName: group.groupName, policyArn: ADMIN });
    await send(again);
    await send(again);
    await send(iamEvent('DeleteUser', { userName: 'someone' }, Date.now(), '999999999999'));
    await send(
      JSON.stringify({
        ...JSON.parse(iamEvent('DeleteUser', { userName: 'x' })),
        detail: {
          ...JSON.parse(iamEvent('DeleteUser', { userName: 'x' })).detail,
          errorCode: 'AccessDenied',
        },
      }),
    );
    expect((await runCli(['changes', '--once', '--config', config])).code).toBe(0);
    expect(readEvents(events)).toHaveLength(baseline);
    expect(queue.peek()).toHaveLength(0);
  });

  it('reports a deleted user with the deletion event, and an older CreateUser delivered after it changes nothing', async () => {
    const victim = [...emu.world.accounts.get(account)!.users.values()][3]!;
    const createdAt = Date.now() - 60_000;
    await admin('DELETE', 'users', { userName: victim.userName });
    expect((await runCli(['changes', '--once', '--config', config])).code).toBe(0);
    const [deletion, ...rest] = readEvents(events).slice(baseline);
    expect(rest).toHaveLength(0);
    expect(deletion).toMatchObject({ activity_id: 99, activity_name: 'Delete' });
    expect(userOf(deletion!).uid).toBe(victim.arn);
    baseline += 1;

    await send(iamEvent('CreateUser', { userName: victim.userName }, createdAt));
    expect((await runCli(['changes', '--once', '--config', config])).code).toBe(0);
    expect(readEvents(events)).toHaveLength(baseline);
    expect(queue.peek()).toHaveLength(0);
  });

  it('leaves a malformed body on the queue, logged once', async () => {
    await send('this is not an EventBridge event');
    const r = await runCli(['changes', '--once', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('cannot be decoded').length - 1).toBe(1);
    expect(queue.peek().map((m) => m.body)).toEqual(['this is not an EventBridge event']);
    queue.purge();
  });
});

describe('changes --once with a sink that is down', () => {
  let sink: SinkServer;
  beforeAll(async () => {
    sink = await startSinkServer();
  });
  afterAll(async () => sink.close());

  it('keeps the message until the sink is back, then applies it', async () => {
    const dir = tempDir();
    const retry = { max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 20 };
    const config = configFor(dir, [{ type: 'http', url: sink.url, retry }]);
    const user = [...emu.world.accounts.get(account)!.users.values()].find((u) => u.mfaDevices.length === 0)!;
    sink.status = 503;
    await admin('POST', 'mfa-devices', { userName: user.userName, kind: 'virtual' });
    expect((await runCli(['changes', '--once', '--config', config])).code).toBe(1);
    expect(queue.peek()).toHaveLength(1);
    expect(sink.events).toHaveLength(0);

    sink.status = 200;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await runCli(['changes', '--once', '--config', config])).code).toBe(0);
    expect(sink.events.map((e) => userOf(e).uid)).toEqual([user.arn]);
    expect(queue.peek()).toHaveLength(0);
  });
});
