// What a run or a change burst opened is closed with it: the accounts' IAM clients and the Identity Center
// store's own two (sso-admin, Identity Store). A daemon opens them for every run and burst; a client left
// open keeps its sockets, one set per opening, until the far end drops them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSources } from '../../src/collector/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { buildConfig } from '../support/config-fixture.js';
import { waitFor } from '../support/wait-for.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    generator: {
      seed: 31,
      accounts: 1,
      usersPerAccount: 3,
      groupsPerAccount: 1,
      identityCenter: { users: 3, groups: 1 },
    },
  });
});

afterAll(async () => {
  await emu.stop();
});

describe('openSources().close()', () => {
  it('closes every client of the opening, the Identity Center store included', async () => {
    const config = buildConfig(emu.url, { identity_center: { enabled: true, access: true } });
    const opened = await openSources(config, { logger: silentLogger() });
    expect(opened.sources.map((s) => s.kind).sort()).toEqual(['aws_account', 'identity_center']);
    const store = opened.sources.find((s) => s.kind === 'identity_center')!;
    for await (const chunk of store.pages({ shouldEnrich: () => true })) void chunk;
    expect(emu.openConnections()).toBeGreaterThan(0);
    opened.close();
    await waitFor(
      'every connection of the opening to close',
      () => (emu.openConnections() === 0 ? true : undefined),
      5_000,
    );
  });
});
