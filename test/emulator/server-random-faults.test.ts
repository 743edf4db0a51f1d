// The emulator's load-independent faults: a seeded share of Throttling answers whatever the rate, connection
// resets (random and by rule), all limited to the actions of faultActions; and the collector's client
// recovering from a reset and a truncated answer through its retries.
import { describe, expect, it } from '@jest/globals';
import { GetUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { startEmulator } from '../../src/emulator/index.js';
import { fixtureWorld } from './fixture-world.js';
import { iamClient } from './sdk-clients.js';

/** The outcome of each of `n` ListUsers / GetUser calls: "ok" or the error's name or code. */
async function outcomes(url: string, n: number, command: () => ListUsersCommand | GetUserCommand) {
  const client = iamClient(url);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await client.send(command() as ListUsersCommand).then(
        () => 'ok',
        // Inside Jest the SDK re-wraps Node's network error (another realm): the code is in the message.
        (err: { name: string; message: string; code?: string }) =>
          err.code ?? (/ECONNRESET/.test(err.message) ? 'ECONNRESET' : err.name),
      ),
    );
  }
  client.destroy();
  return out;
}

describe('random faults', () => {
  it('answers a seeded share Throttling whatever the load, only for the fault actions', async () => {
    const run = async (): Promise<{ list: string[]; get: string[] }> => {
      const emu = await startEmulator({
        world: fixtureWorld(2),
        throttleErrorRate: 0.3,
        faultActions: ['iam:ListUsers'],
        seed: 5,
      });
      const list = await outcomes(emu.url, 40, () => new ListUsersCommand({}));
      const get = await outcomes(emu.url, 10, () => new GetUserCommand({ UserName: 'user0001' }));
      await emu.stop();
      return { list, get };
    };
    const first = await run();
    expect((await run()).list).toEqual(first.list);
    const throttled = first.list.filter((o) => o === 'Throttling').length;
    expect(throttled).toBeGreaterThan(4);
    expect(throttled).toBeLessThan(20);
    expect(first.list.filter((o) => o !== 'Throttling' && o !== 'ok')).toEqual([]);
    expect(first.get).toEqual(Array(10).fill('ok'));
  });

  it('resets connections at random and by rule; the client sees ECONNRESET', async () => {
    const emu = await startEmulator({ world: fixtureWorld(2), resetRate: 0.5, seed: 3 });
    const random = await outcomes(emu.url, 20, () => new ListUsersCommand({}));
    expect(random.filter((o) => o === 'ECONNRESET').length).toBeGreaterThan(3);
    expect(random.filter((o) => o !== 'ECONNRESET' && o !== 'ok')).toEqual([]);
    await emu.stop();

    const ruled = await startEmulator({ world: fixtureWorld(2) });
    ruled.faults.add({ kind: 'reset', action: 'GetUser', times: 1 });
    expect(await outcomes(ruled.url, 2, () => new GetUserCommand({ UserName: 'user0001' }))).toEqual([
      'ECONNRESET',
      'ok',
    ]);
    await ruled.stop();
  });
});
