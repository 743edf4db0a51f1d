// The access reads of the Identity Center source against the emulator: listed per account and permission
// set or per principal (whichever is cheaper), both equal to the ground truth; a failed listing fails the
// user (naming the action) or the scope, never reads as "no assignment".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityCenterSource } from '../../src/collector/identity-center/identity-center-source.js';
import type { Config } from '../../src/config/config.js';
import type { IdentityCenterUser } from '../../src/identity/identity.js';
import { silentLogger } from '../../src/log.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

function openStore(ic: { users: number; groups: number; permissionSets: number }): Promise<EmulatorAccount> {
  return startEmulatorAccount({
    world: { seed: 77, accounts: 1, usersPerAccount: 2, groupsPerAccount: 1, identityCenter: ic },
    config: (endpoint): Config => ({
      ...testConfig(endpoint),
      identity_center: { enabled: true, access: true, region: 'us-east-1' },
    }),
  });
}

async function collectAndCompare(fixture: EmulatorAccount): Promise<Record<string, number>> {
  const { emu, config, handle } = fixture;
  emu.resetStats();
  const out = await drain(await identityCenterSource({ config, hostHandle: handle, logger, pageSize: 10 }));
  expect(out.error).toBeUndefined();
  const truth = emu.truth!.identityCenterUsers;
  expect(out.items).toHaveLength(truth.size);
  for (const item of out.items) {
    if (item.status !== 'ok') throw new Error(`${item.status}: ${JSON.stringify(item)}`);
    const u = item.identity as IdentityCenterUser;
    const t = truth.get(u.userId)!;
    // One account, inventoried: every customer managed reference is read there.
    expect(
      u.assignments?.map((a) => [a.accountId, a.permissionSetName, a.via, a.admin, a.adminUnverified]),
    ).toEqual(t.assignments.map((a) => [a.accountId, a.permissionSetName, a.via, a.admin, undefined]));
  }
  return emu.stats().calls[handle.accountId]!;
}

describe('identity center access reads', () => {
  describe('many users, few permission sets: per account and permission set', () => {
    let fixture: EmulatorAccount;
    beforeAll(async () => {
      fixture = await openStore({ users: 60, groups: 3, permissionSets: 12 });
    });
    afterAll(async () => fixture?.stop());

    it('lists assignments per pair, equal to the truth', async () => {
      const calls = await collectAndCompare(fixture);
      expect(calls['sso:ListAccountAssignments']).toBeGreaterThan(0);
      expect(calls['sso:ListAccountAssignmentsForPrincipal']).toBeUndefined();
      expect(calls['sso:ListPermissionSets']).toBe(2);
    });

    it('a failed pair listing fails the scope, naming the action', async () => {
      const id = fixture.emu.faults.add({
        kind: 'error',
        service: 'sso',
        action: 'ListAccountAssignments',
        status: 400,
        code: 'AccessDeniedException',
        times: 1,
      });
      const { config, handle } = fixture;
      const out = await drain(
        await identityCenterSource({ config, hostHandle: handle, logger, pageSize: 10 }),
      );
      fixture.emu.faults.remove(id);
      expect(out.items).toEqual([]);
      expect(String((out.error as Error).message)).toContain('sso:ListAccountAssignments failed');
    });
  });

  describe('few users, many permission sets: per principal', () => {
    let fixture: EmulatorAccount;
    beforeAll(async () => {
      fixture = await openStore({ users: 6, groups: 2, permissionSets: 12 });
    });
    afterAll(async () => fixture?.stop());

    it('lists assignments per user and group, equal to the truth', async () => {
      const calls = await collectAndCompare(fixture);
      expect(calls['sso:ListAccountAssignmentsForPrincipal']).toBe(6 + 2);
      expect(calls['sso:ListAccountAssignments']).toBeUndefined();
    });

    it('a failed group listing fails the scope, naming the action', async () => {
      const { config, handle } = fixture;
      const id = fixture.emu.faults.add({
        kind: 'error',
        service: 'sso',
        action: 'ListAccountAssignmentsForPrincipal',
        status: 500,
        code: 'InternalFailure',
      });
      const noRetry = { ...config, aws: { ...config.aws, max_attempts: 1 } };
      const out = await drain(await identityCenterSource({ config: noRetry, hostHandle: handle, logger }));
      fixture.emu.faults.remove(id);
      expect(out.items).toEqual([]);
      expect(String((out.error as Error).message)).toContain('sso:ListAccountAssignmentsForPrincipal failed');
    });
  });

  describe('no groups: per user', () => {
    let fixture: EmulatorAccount;
    beforeAll(async () => {
      fixture = await openStore({ users: 5, groups: 0, permissionSets: 12 });
    });
    afterAll(async () => fixture?.stop());

    it("a failed user listing fails that user with the action, never 'no assignment'", async () => {
      const { config, handle } = fixture;
      const id = fixture.emu.faults.add({
        kind: 'error',
        service: 'sso',
        action: 'ListAccountAssignmentsForPrincipal',
        status: 500,
        code: 'InternalFailure',
        times: 1,
      });
      const noRetry = { ...config, aws: { ...config.aws, max_attempts: 1 } };
      const out = await drain(await identityCenterSource({ config: noRetry, hostHandle: handle, logger }));
      fixture.emu.faults.remove(id);
      expect(out.error).toBeUndefined();
      expect(out.items.map((i) => i.status)).toEqual(['failed', 'ok', 'ok', 'ok', 'ok']);
      expect(out.items[0]).toMatchObject({ action: 'sso:ListAccountAssignmentsForPrincipal' });
    });
  });
});
