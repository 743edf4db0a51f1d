import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CREDENTIAL_REPORT_COLUMNS, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, ACCOUNT_B, T0, fixtureWorld } from './fixture-world.js';
import { failure, iamClient } from './sdk-clients.js';

let emu: Emulator;
let iam: IAMClient;
let clock = Date.UTC(2025, 0, 15, 12);

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(6), now: () => clock });
  iam = iamClient(emu.url);
});

afterAll(async () => {
  iam.destroy();
  await emu.stop();
});

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('fault rules', () => {
  it('error rule answers with the given code and status for the given times, then is spent', async () => {
    emu.faults.add({ kind: 'error', action: 'ListUsers', status: 503, code: 'ServiceUnavailable', times: 1 });
    expect(await failure(iam.send(new ListUsersCommand({})))).toMatchObject({
      name: 'ServiceUnavailable',
      status: 503,
    });
    expect((await iam.send(new ListUsersCommand({}))).Users).toHaveLength(6);
    expect(emu.faults.list()).toEqual([]);
  });

  it('vanish makes one user answer NoSuchEntity for per-user calls only', async () => {
    const id = emu.faults.add({ kind: 'vanish', userName: 'user0001' });
    expect((await iam.send(new ListUsersCommand({}))).Users).toHaveLength(6);
    expect(await failure(iam.send(new ListAccessKeysCommand({ UserName: 'user0001' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
    expect((await iam.send(new GetUserCommand({ UserName: 'user0002' }))).User?.UserName).toBe('user0002');
    emu.faults.remove(id);
    expect((await iam.send(new GetUserCommand({ UserName: 'user0001' }))).User?.UserName).toBe('user0001');
  });

  it('malformed makes the SDK fail to parse, throttle answers Throttling, rules can be scoped by account', async () => {
    emu.faults.add({ kind: 'malformed', action: 'ListUsers', times: 1 });
    const bad = await failure(iam.send(new ListUsersCommand({})));
    expect(bad.name).not.toBe('Throttling');
    expect(bad.status).toBe(200);
    emu.faults.add({ kind: 'throttle', service: 'iam', times: 1 });
    expect(await failure(iam.send(new ListUsersCommand({})))).toMatchObject({
      name: 'Throttling',
      status: 400,
    });
    emu.faults.add({ kind: 'error', accountId: ACCOUNT_B, code: 'InternalFailure' });
    expect((await iam.send(new ListUsersCommand({}))).Users).toHaveLength(6);
    emu.faults.clear();
  });

  it('global error and malformed rates are reproducible from the seed', async () => {
    async function outcomes(seed: number): Promise<string[]> {
      const e = await startEmulator({ world: fixtureWorld(2), errorRate: 0.3, malformedRate: 0.2, seed });
      const c = iamClient(e.url);
      const out: string[] = [];
      for (let i = 0; i < 15; i++) {
        out.push(
          await c.send(new ListUsersCommand({})).then(
            () => 'ok',
            (err: { name: string }) => err.name,
          ),
        );
      }
      c.destroy();
      await e.stop();
      return out;
    }
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first.filter((o) => o === 'ok').length).toBeGreaterThan(0);
    expect(first.some((o) => o === 'InternalFailure' || o === 'ServiceUnavailable')).toBe(true);
  });
});

describe('credential report', () => {
  it('ReportNotPresent before generation, STARTED then COMPLETE, base64 CSV with the AWS columns, ReportExpired after 4 h', async () => {
    const account = emu.world.accounts.get(ACCOUNT_A);
    if (account) account.credentialReportDelayMs = 5_000;
    expect(await failure(iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotPresentException',
      status: 410,
    });
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    expect(await failure(iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotReadyException',
      status: 404,
    });
    clock += 5_000;
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime?.getTime()).toBe(clock);
    const lines = Buffer.from(report.Content ?? new Uint8Array())
      .toString('utf8')
      .split('\n');
    expect(lines[0]).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
    expect(lines[0]?.startsWith('user,arn,user_creation_time,password_enabled,password_last_used')).toBe(
      true,
    );
    expect(lines[1]?.startsWith(`<root_account>,arn:aws:iam::${ACCOUNT_A}:root,`)).toBe(true);
    expect(lines).toHaveLength(2 + 6);
    const iso = (days: number): string =>
      new Date(T0 + days * 86_400_000).toISOString().replace('.000Z', '+00:00');
    // user0001: no password, virtual MFA, one Active key used via iam in us-east-1.
    expect(lines[3]).toBe(
      [
        'user0001',
        `arn:aws:iam::${ACCOUNT_A}:user/user0001`,
        iso(1),
        'false',
        'N/A',
        'N/A',
        'N/A',
        'true',
        'true',
        iso(4),
        iso(6),
        'us-east-1',
        'iam',
        'false',
        'N/A',
        'N/A',
        'N/A',
        'N/A',
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
    // user0002: password never used.
    expect(lines[4]?.split(',').slice(3, 6)).toEqual(['true', 'no_information', iso(3)]);
    clock += 4 * 3_600_000 + 1_000;
    expect(await failure(iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportExpiredException',
      status: 410,
    });
  });
});

describe('admin HTTP and stats', () => {
  it('counts calls per account and action, resets, and manages fault rules over HTTP', async () => {
    emu.resetStats();
    await iam.send(new ListUsersCommand({}));
    await iam.send(new ListUsersCommand({}));
    await iam.send(new GetUserCommand({ UserName: 'user0001' }));
    expect(emu.stats()).toEqual({
      total: 3,
      calls: { [ACCOUNT_A]: { 'iam:ListUsers': 2, 'iam:GetUser': 1 } },
      throttled: {},
      throttledCalls: {},
      faults: {},
      peakInFlight: { [ACCOUNT_A]: { 'iam:ListUsers': 1, 'iam:GetUser': 1 } },
    });
    expect(await admin('GET', 'stats')).toEqual({ status: 200, json: emu.stats() });
    expect((await admin('POST', 'stats/reset')).status).toBe(200);
    expect(emu.stats().total).toBe(0);

    const added = await admin('POST', 'faults', {
      kind: 'error',
      action: 'GetUser',
      code: 'InternalFailure',
      times: 1,
    });
    expect(added.status).toBe(200);
    expect((await admin('GET', 'faults')).json).toMatchObject([
      { kind: 'error', action: 'GetUser', applied: 0 },
    ]);
    expect(await failure(iam.send(new GetUserCommand({ UserName: 'user0001' })))).toMatchObject({
      name: 'InternalFailure',
      status: 500,
    });
    expect(emu.stats().faults[ACCOUNT_A]).toBe(1);
    await admin('POST', 'faults', { kind: 'short_page' });
    expect((await admin('DELETE', 'faults')).status).toBe(200);
    expect(emu.faults.list()).toEqual([]);
    expect((await admin('POST', 'faults', { kind: 'explode' })).status).toBe(400);
    expect((await admin('GET', 'nothing-here')).status).toBe(404);
  });

  it('registers a limited credential over HTTP', async () => {
    const r = await admin('POST', 'credentials', {
      accessKeyId: 'AKIAADMINADDED',
      secretAccessKey: 's3cret',
      accountId: ACCOUNT_B,
      allowedActions: ['iam:ListUsers'],
    });
    expect(r.status).toBe(200);
    const b = iamClient(emu.url, { accessKeyId: 'AKIAADMINADDED', secretAccessKey: 's3cret' });
    expect((await b.send(new ListUsersCommand({}))).Users).toHaveLength(5);
    expect((await failure(b.send(new GetUserCommand({ UserName: 'user0001' })))).name).toBe('AccessDenied');
    b.destroy();
  });
});
