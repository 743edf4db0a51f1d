import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, ACCOUNT_B, EXTERNAL_ID, fixtureWorld } from './fixture-world.js';
import { DEFAULT_KEYS, failure, iamClient, stsClient } from './sdk-clients.js';

let emu: Emulator;
let clock = Date.UTC(2025, 0, 15);

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(8), now: () => clock });
  emu.world.credentials.set('AKIALIMITED', {
    accessKeyId: 'AKIALIMITED',
    secretAccessKey: 'limited-secret',
    accountId: ACCOUNT_A,
    arn: `arn:aws:iam::${ACCOUNT_A}:user/auditor`,
    userId: 'AIDAAUDITOR',
    allowedActions: new Set(['iam:ListUsers']),
  });
});

afterAll(async () => {
  await emu.stop();
});

describe('SigV4 authentication', () => {
  it('rejects an unknown key with InvalidClientTokenId (403)', async () => {
    const iam = iamClient(emu.url, { accessKeyId: 'AKIANOTKNOWN', secretAccessKey: 'x' });
    const err = await failure(iam.send(new ListUsersCommand({})));
    expect(err).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    iam.destroy();
  });

  it('rejects a wrong secret with SignatureDoesNotMatch (403)', async () => {
    const iam = iamClient(emu.url, { accessKeyId: DEFAULT_KEYS.accessKeyId, secretAccessKey: 'wrong' });
    const err = await failure(iam.send(new ListUsersCommand({})));
    expect(err).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    iam.destroy();
  });

  it('limits a key to its allowed actions with AccessDenied naming caller and action', async () => {
    const iam = iamClient(emu.url, { accessKeyId: 'AKIALIMITED', secretAccessKey: 'limited-secret' });
    const ok = await iam.send(new ListUsersCommand({}));
    expect(ok.Users).toHaveLength(8);
    const err = await failure(iam.send(new GetUserCommand({ UserName: 'user0001' })));
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toBe(
      `User: arn:aws:iam::${ACCOUNT_A}:user/auditor is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT_A}:user/user0001`,
    );
    iam.destroy();
  });

  it('answers an unknown action with InvalidAction in the IAM error envelope', async () => {
    const iam = iamClient(emu.url);
    // Rename the action (same length: Content-Length is already set) before the SDK signs the request.
    iam.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        if (typeof request.body === 'string')
          request.body = request.body.replace('Action=ListUsers', 'Action=ListUserz');
        return next(args);
      },
      { step: 'build', name: 'renameAction' },
    );
    const err = await failure(iam.send(new ListUsersCommand({})));
    expect(err).toMatchObject({ name: 'InvalidAction', status: 400 });
    expect(err.message).toBe('Could not find operation ListUserz for version 2010-05-08');
    iam.destroy();
  });
});

describe('STS', () => {
  it('GetCallerIdentity reports the default key as its account', async () => {
    const sts = stsClient(emu.url);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: ACCOUNT_A, Arn: `arn:aws:iam::${ACCOUNT_A}:root` });
    sts.destroy();
  });

  it('AssumeRole with the right external id gives credentials that act only in the target account', async () => {
    const sts = stsClient(emu.url);
    const roleArn = `arn:aws:iam::${ACCOUNT_B}:role/InventoryRole`;
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'iam-inventory',
        ExternalId: EXTERNAL_ID,
        DurationSeconds: 900,
      }),
    );
    const c = out.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.Expiration?.getTime()).toBe(clock + 900_000);
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCOUNT_B}:assumed-role/InventoryRole/iam-inventory`,
    );
    const keys = {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken,
    };

    const stsB = stsClient(emu.url, keys);
    const who = await stsB.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: ACCOUNT_B, Arn: out.AssumedRoleUser?.Arn });
    const iamB = iamClient(emu.url, keys);
    const users = await iamB.send(new ListUsersCommand({}));
    expect(users.Users).toHaveLength(5);
    expect(users.Users?.every((u) => u.Arn?.startsWith(`arn:aws:iam::${ACCOUNT_B}:`))).toBe(true);
    const notAUser = await failure(iamB.send(new GetUserCommand({})));
    expect(notAUser.name).toBe('ValidationError');

    const tampered = iamClient(emu.url, { ...keys, sessionToken: `${keys.sessionToken}x` });
    expect(await failure(tampered.send(new ListUsersCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    const noToken = iamClient(emu.url, {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
    });
    expect((await failure(noToken.send(new ListUsersCommand({})))).name).toBe('InvalidClientTokenId');

    clock += 901_000;
    expect(await failure(iamB.send(new ListUsersCommand({})))).toMatchObject({
      name: 'ExpiredToken',
      status: 403,
    });
    for (const client of [sts, stsB, iamB, tampered, noToken]) client.destroy();
  });

  it('denies a wrong or missing external id, a missing role and a role that trusts only a service', async () => {
    const sts = stsClient(emu.url);
    const roleArn = `arn:aws:iam::${ACCOUNT_B}:role/InventoryRole`;
    const wrong = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1', ExternalId: 'nope' })),
    );
    expect(wrong).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(wrong.message).toBe(
      `User: arn:aws:iam::${ACCOUNT_A}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
    expect(
      (await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' })))).name,
    ).toBe('AccessDenied');
    const missing = `arn:aws:iam::${ACCOUNT_B}:role/NoSuchRole`;
    expect(
      (await failure(sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 's1' })))).name,
    ).toBe('AccessDenied');
    const otherAccount = 'arn:aws:iam::999999999999:role/InventoryRole';
    expect(
      (await failure(sts.send(new AssumeRoleCommand({ RoleArn: otherAccount, RoleSessionName: 's1' })))).name,
    ).toBe('AccessDenied');
    const ec2 = `arn:aws:iam::${ACCOUNT_B}:role/Ec2Role`;
    expect(
      (await failure(sts.send(new AssumeRoleCommand({ RoleArn: ec2, RoleSessionName: 's1' })))).name,
    ).toBe('AccessDenied');
    const tooLong = await failure(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 's1',
          ExternalId: EXTERNAL_ID,
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(tooLong.name).toBe('ValidationError');
    sts.destroy();
  });
});
