// IAM Identity Center end to end through the CLI: a seeded identity store (more users than one page) is
// emitted by full runs, valid under both OCSF versions, skipped by incremental runs, and a changed email is
// reported by the next full run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  type Emulator,
  type ExpectedIdentityCenterUser,
  setIdentityStoreUserEmail,
  startEmulator,
} from '../../src/emulator/index.js';
import type { OcsfVersion } from '../../src/config/config.js';
import { createEventValidator } from '../../src/ocsf/validate.js';
import { awsOf, readEvents, runCli, stateShow, tempDir, userOf, writeConfig } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const isIdentityCenter = (e: Record<string, unknown>): boolean => awsOf(e).source === 'identity_center';

function expectIdentityCenterEvent(event: Record<string, unknown>, t: ExpectedIdentityCenterUser): void {
  const u = userOf(event);
  const actual = {
    uid: u.uid,
    domain: u.domain,
    name: u.name,
    display_name: u.display_name,
    full_name: u.full_name,
    email_addr: u.email_addr,
    groups: (u.groups ?? []).map((g: any) => g.name),
    account: { uid: u.account?.uid, type_id: u.account?.type_id },
    identity_store_id: awsOf(event).identity_store_id,
  };
  const expected = {
    uid: t.userId,
    domain: t.identityStoreId,
    name: t.userName,
    display_name: t.displayName,
    full_name: t.fullName,
    email_addr: t.email,
    groups: t.groups,
    account: { uid: t.hostAccountId, type_id: 10 },
    identity_store_id: t.identityStoreId,
  };
  try {
    expect(actual).toEqual(expected);
  } catch (error) {
    throw new Error(`identity center user ${t.userId}: ${(error as Error).message}`);
  }
}

describe('IAM Identity Center users through the CLI', () => {
  let emu: Emulator;
  let truth: Map<string, ExpectedIdentityCenterUser>;
  let storeId: string;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 9101,
        accounts: 1,
        usersPerAccount: 12,
        groupsPerAccount: 3,
        rolesPerAccount: 1,
        // More users than one Identity Store page (100), so the listing is paged.
        identityCenter: { users: 130, groups: 6 },
      },
    });
    truth = emu.truth!.identityCenterUsers;
    storeId = [...emu.world.identityStores.keys()][0]!;
  });
  afterAll(async () => emu.stop());

  it('the seeded store has users in groups, with emails, more than one page of them', () => {
    expect(truth.size).toBe(130);
    const users = [...truth.values()];
    expect(users.some((t) => t.groups.length > 1)).toBe(true);
    expect(users.some((t) => t.groups.length === 0)).toBe(true);
    expect(users.filter((t) => t.email !== undefined).length).toBeGreaterThan(100);
  });

  const versions: OcsfVersion[] = ['1.8.0', '1.6.0'];
  for (const version of versions) {
    it(`a full run emits every Identity Center user, equal to the truth and valid under OCSF ${version}`, async () => {
      const dir = tempDir();
      const config = writeConfig({
        dir,
        endpoint: emu.url,
        ocsf: { version },
        extra: { identity_center: { enabled: true } },
      });
      const r = await runCli(['run', '--mode', 'full', '--config', config]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const events = readEvents(join(dir, 'events.ndjson'));
      const ic = events.filter(isIdentityCenter);
      expect(ic).toHaveLength(truth.size);
      const byUid = new Map(ic.map((e) => [userOf(e).uid as string, e]));
      expect(byUid.size).toBe(truth.size);
      for (const t of truth.values()) {
        const event = byUid.get(t.userId);
        if (!event) throw new Error(`identity center user ${t.userId} (${t.userName}) was not emitted`);
        expectIdentityCenterEvent(event, t);
      }
      // The IAM users of the host account are collected next to the store.
      expect(events.length - ic.length).toBe(emu.world.accounts.get(emu.world.defaultAccountId)!.users.size);

      const validator = createEventValidator(version);
      for (const e of events) {
        expect((e.metadata as any).version).toBe(version);
        const result = validator.validate(e);
        if (!result.valid) throw new Error(`${userOf(e).uid}: ${result.errors.join('; ')}`);
      }

      const state = await stateShow(config);
      const scope = state.scopes.find((s: any) => s.scope === `identity-center:${storeId}`);
      expect(scope).toBeDefined();
      expect(scope.lastRun.status).toBe('succeeded');
    });
  }

  it('incremental runs skip Identity Center; a changed email is reported by the next full run, alone', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint: emu.url, extra: { identity_center: { enabled: true } } });
    const eventsPath = join(dir, 'events.ndjson');
    emu.resetStats();
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    // 130 users at most 100 a page: the listing took more than one page.
    expect(emu.stats().calls[emu.world.defaultAccountId]?.['identitystore:ListUsers']).toBeGreaterThanOrEqual(
      2,
    );
    const baseline = readEvents(eventsPath).length;
    expect(readEvents(eventsPath).filter(isIdentityCenter)).toHaveLength(truth.size);

    emu.resetStats();
    const incremental = await runCli(['run', '--config', config]);
    expect(incremental.code).toBe(0);
    expect(readEvents(eventsPath).slice(baseline).filter(isIdentityCenter)).toHaveLength(0);
    const calls = Object.keys(emu.stats().calls[emu.world.defaultAccountId] ?? {});
    expect(calls.filter((c) => c.startsWith('identitystore:'))).toEqual([]);

    // A full run with nothing changed emits nothing.
    expect((await runCli(['run', '--mode', 'full', '--config', config])).code).toBe(0);
    const unchanged = readEvents(eventsPath).length;
    expect(unchanged).toBe(baseline);

    const target = [...truth.values()].find((t) => t.email !== undefined && t.groups.length > 0)!;
    const newEmail = `renamed.${target.userId.slice(-8)}@example.org`;
    setIdentityStoreUserEmail(emu.world, storeId, target.userId, newEmail);
    const full = await runCli(['run', '--mode', 'full', '--config', config]);
    expect({ code: full.code, out: full.stdout + full.stderr }).toEqual({ code: 0, out: '' });
    const emitted = readEvents(eventsPath).slice(unchanged);
    expect(emitted).toHaveLength(1);
    const event = emitted[0]!;
    expect(event.activity_id).toBe(2);
    expectIdentityCenterEvent(event, { ...target, email: newEmail });
  });
});
