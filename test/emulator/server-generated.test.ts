import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetUserCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { DEFAULT_KEYS, failure, iamClient, stsClient } from './sdk-clients.js';

let emu: Emulator;
let iam: IAMClient;
let accountId: string;

beforeAll(async () => {
  emu = await startEmulator({
    generator: {
      seed: 11,
      accounts: 2,
      usersPerAccount: 20,
      groupsPerAccount: 4,
      identityCenter: false,
      externalId: 'xid',
    },
  });
  iam = iamClient(emu.url);
  accountId = emu.world.defaultAccountId;
});

afterAll(async () => {
  iam.destroy();
  await emu.stop();
});

async function admin(
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('emulator over a generated world', () => {
  it('serves the generated truth and routes JSON services by signing name', async () => {
    expect(emu.truth?.users.size).toBe(40);
    const sts = stsClient(emu.url);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(accountId);
    const org = new OrganizationsClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: DEFAULT_KEYS,
      maxAttempts: 1,
    });
    const described = await org.send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.MasterAccountId).toBe(accountId);
    org.destroy();

    const other = [...emu.world.accounts.keys()].find((id) => id !== accountId) ?? '';
    const roleArn = `arn:aws:iam::${other}:role/IamInventoryReader`;
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'iam-inventory', ExternalId: 'xid' }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${other}:assumed-role/IamInventoryReader/iam-inventory`,
    );
    expect(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x1', ExternalId: 'bad' })),
        )
      ).name,
    ).toBe('AccessDenied');
    sts.destroy();
  });

  it('applies admin HTTP mutations that the API then reflects', async () => {
    const created = await admin('POST', 'users', { accountId, userName: 'new.hire', path: '/staff/' });
    expect(created.status).toBe(200);
    expect(created.json.arn).toBe(`arn:aws:iam::${accountId}:user/staff/new.hire`);
    expect((await iam.send(new GetUserCommand({ UserName: 'new.hire' }))).User?.Path).toBe('/staff/');

    const group = [...(emu.world.accounts.get(accountId)?.groups.keys() ?? [])][0] ?? '';
    expect(
      (await admin('POST', 'group-memberships', { accountId, userName: 'new.hire', groupName: group }))
        .status,
    ).toBe(200);
    expect(
      (await iam.send(new ListGroupsForUserCommand({ UserName: 'new.hire' }))).Groups?.map(
        (g) => g.GroupName,
      ),
    ).toEqual([group]);

    const mfa = await admin('POST', 'mfa-devices', { accountId, userName: 'new.hire', kind: 'virtual' });
    expect(mfa.json.serial).toBe(`arn:aws:iam::${accountId}:mfa/new.hire`);
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'new.hire' }))).MFADevices).toHaveLength(1);

    const key = await admin('POST', 'access-keys', { accountId, userName: 'new.hire' });
    expect(key.json).toMatchObject({ status: 'Active' });
    expect(key.json).not.toHaveProperty('secretAccessKey');
    const deactivated = await admin('POST', 'access-keys/status', {
      accountId,
      userName: 'new.hire',
      accessKeyId: key.json.accessKeyId,
      status: 'Inactive',
    });
    expect(deactivated.status).toBe(200);

    expect((await admin('DELETE', 'users', { accountId, userName: 'new.hire' })).status).toBe(200);
    expect((await failure(iam.send(new GetUserCommand({ UserName: 'new.hire' })))).name).toBe(
      'NoSuchEntityException',
    );
    expect((await admin('DELETE', 'users', { accountId, userName: 'new.hire' })).status).toBe(404);
    expect((await admin('POST', 'mfa-devices', { accountId, userName: 'x', kind: 'laser' })).status).toBe(
      400,
    );
  });
});
