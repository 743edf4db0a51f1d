// The service module contract: a module given in EmulatorOptions.services is served by its SigV4 signing
// name (in place of a built-in module of that name), in its protocol's shape, to the unmodified SDK client.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListInstancesCommand, ListPermissionSetsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  EmuError,
  startEmulator,
  type Emulator,
  type JsonServiceModule,
  type QueryServiceModule,
} from '../../src/emulator/index.js';
import { fixtureWorld } from './fixture-world.js';
import { DEFAULT_KEYS, failure, stsClient } from './sdk-clients.js';

const ssoModule: JsonServiceModule = {
  protocol: 'json',
  signingName: 'sso',
  targetPrefix: 'SWBExternalService',
  actions: {
    ListInstances: (body, ctx) => {
      if (body.MaxResults === 0)
        throw new EmuError('ValidationException', 'MaxResults must be positive.', 400);
      return {
        Instances: [
          {
            InstanceArn: 'arn:aws:sso:::instance/ssoins-module',
            IdentityStoreId: 'd-module',
            OwnerAccountId: ctx.accountId,
          },
        ],
      };
    },
  },
};

const stsModule: QueryServiceModule = {
  protocol: 'query',
  signingName: 'sts',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  apiVersion: '2011-06-15',
  actions: {
    GetCallerIdentity: (_params, ctx) =>
      `<Arn>arn:aws:iam::${ctx.accountId}:user/from-module</Arn><UserId>AIDAMODULE</UserId><Account>${ctx.accountId}</Account>`,
  },
};

let emu: Emulator;
let sso: SSOAdminClient;

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(2), services: [ssoModule, stsModule] });
  sso = new SSOAdminClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: DEFAULT_KEYS,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sso.destroy();
  await emu.stop();
});

describe('service modules', () => {
  it('serves a JSON module: its answer, its EmuError as the protocol error, UnknownOperation for the rest', async () => {
    const out = await sso.send(new ListInstancesCommand({}));
    expect(out.Instances).toEqual([
      {
        InstanceArn: 'arn:aws:sso:::instance/ssoins-module',
        IdentityStoreId: 'd-module',
        OwnerAccountId: emu.world.defaultAccountId,
      },
    ]);
    expect(await failure(sso.send(new ListInstancesCommand({ MaxResults: 0 })))).toMatchObject({
      name: 'ValidationException',
      message: 'MaxResults must be positive.',
      status: 400,
    });
    const missing = await failure(sso.send(new ListPermissionSetsCommand({ InstanceArn: 'arn:x' })));
    expect(missing).toMatchObject({ name: 'UnknownOperationException', status: 400 });
  });

  it('serves a Query module: its XML inside the action response, InvalidAction for the rest', async () => {
    const sts = stsClient(emu.url);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Arn: `arn:aws:iam::${emu.world.defaultAccountId}:user/from-module`,
      UserId: 'AIDAMODULE',
      Account: emu.world.defaultAccountId,
    });
    const missing = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:x', RoleSessionName: 's' })),
    );
    expect(missing).toMatchObject({ name: 'InvalidAction', status: 400 });
    sts.destroy();
  });

  it('counts calls to a module by its signing name and action', async () => {
    emu.resetStats();
    await sso.send(new ListInstancesCommand({}));
    expect(emu.stats().calls[emu.world.defaultAccountId]).toEqual({ 'sso:ListInstances': 1 });
  });
});
