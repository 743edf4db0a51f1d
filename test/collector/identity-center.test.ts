// Identity Center users from the emulator's identity store: discovered store id, paged listings, groups
// and memberships (per group when groups are few, per user when they are many) equal to the ground truth.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityCenterSource } from '../../src/collector/identity-center/identity-center-source.js';
import type { IdentityCenterUser } from '../../src/identity/identity.js';
import type { AccountHandle } from '../../src/collector/source.js';
import type { Config } from '../../src/config/config.js';
import { type Emulator, type ExpectedIdentityCenterUser } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

type StoreFacts = Omit<ExpectedIdentityCenterUser, 'assignments' | 'adminAccounts'>;

/** The store's facts of a truth record (access is tested in identity-center-access tests). */
function storeFacts(t: ExpectedIdentityCenterUser | undefined): StoreFacts | undefined {
  if (t === undefined) return undefined;
  const { assignments: _a, adminAccounts: _b, ...rest } = t;
  return rest;
}

function project(u: IdentityCenterUser): StoreFacts {
  const out: StoreFacts = {
    identityStoreId: u.identityStoreId,
    hostAccountId: u.accountId,
    userId: u.userId,
    userName: u.userName,
    groups: u.groups.map((g) => g.displayName),
  };
  if (u.displayName !== undefined) out.displayName = u.displayName;
  if (u.formattedName !== undefined) out.fullName = u.formattedName;
  if (u.primaryEmail !== undefined) out.email = u.primaryEmail;
  return out;
}

function openStore(groups: { users: number; groups: number }): Promise<EmulatorAccount> {
  return startEmulatorAccount({
    world: { seed: 5, accounts: 1, usersPerAccount: 5, groupsPerAccount: 2, identityCenter: groups },
    config: (endpoint): Config => ({
      ...testConfig(endpoint),
      identity_center: { enabled: true, access: false, region: 'us-east-1' },
    }),
  });
}

async function collect(source: Awaited<ReturnType<typeof identityCenterSource>>) {
  const out = await drain(source);
  expect(out.error).toBeUndefined();
  const users = out.items.flatMap((i) => (i.status === 'ok' ? [i.identity as IdentityCenterUser] : []));
  expect(users).toHaveLength(out.items.length);
  return { ...out, users };
}

describe('identity center source', () => {
  describe('a store with fewer groups than users', () => {
    let emu: Emulator;
    let config: Config;
    let handle: AccountHandle;
    let fixture: EmulatorAccount;

    beforeAll(async () => {
      fixture = await openStore({ users: 45, groups: 6 });
      ({ emu, config, handle } = fixture);
    });

    afterAll(async () => {
      await fixture?.stop();
    });

    it('discovers the store, pages through users and groups, and matches the ground truth', async () => {
      emu.resetStats();
      const source = await identityCenterSource({ config, hostHandle: handle, logger, pageSize: 7 });
      const storeId = [...emu.world.identityStores.keys()][0]!;
      expect(source.scope).toBe(`identity-center:${storeId}`);
      expect(source.kind).toBe('identity_center');
      expect(source.hasCreationCheckpoint).toBe(false);
      expect(source.accountId).toBe(handle.accountId);

      const out = await collect(source);
      expect(out.pages).toBe(Math.ceil(45 / 7));
      expect(out.listed.map((l) => l.key)).toEqual(out.users.map((u) => u.userId));
      expect(out.listed.every((l) => l.createDate === undefined)).toBe(true);
      const truth = emu.truth!.identityCenterUsers;
      expect(out.users).toHaveLength(truth.size);
      for (const u of out.users) expect(project(u)).toEqual(storeFacts(truth.get(u.userId)));
      expect(out.users.some((u) => u.groups.length > 1)).toBe(true);
      expect(out.users.some((u) => u.primaryEmail === undefined)).toBe(true);

      const calls = emu.stats().calls[handle.accountId]!;
      expect(calls['sso:ListInstances']).toBe(1);
      expect(calls['identitystore:ListGroups']).toBe(1);
      expect(calls['identitystore:ListGroupMemberships']).toBeGreaterThanOrEqual(6);
      // Groups read group by group with the first page; a user without a group listed on a later page may be
      // newer than those lists, so it is asked itself (and only such users are).
      const laterGroupless = out.listed.slice(7).filter((l) => truth.get(l.key)!.groups.length === 0);
      expect(calls['identitystore:ListGroupMembershipsForMember']).toBe(laterGroupless.length || undefined);
    });

    it('uses a configured store id without ListInstances, and skips users shouldEnrich rejects', async () => {
      const storeId = [...emu.world.identityStores.keys()][0]!;
      emu.resetStats();
      const source = await identityCenterSource({
        config: { ...config, identity_center: { enabled: true, access: false, identity_store_id: storeId } },
        hostHandle: handle,
        logger,
      });
      const out = await drain(source, (l) => l.name.startsWith('a'));
      expect(out.listed).toHaveLength(45);
      expect(out.items.length).toBe(out.listed.filter((l) => l.name.startsWith('a')).length);
      expect(emu.stats().calls[handle.accountId]!['sso:ListInstances']).toBeUndefined();
    });

    it('fails with the account and action when the store is unknown', async () => {
      const source = await identityCenterSource({
        config: {
          ...config,
          identity_center: { enabled: true, access: false, identity_store_id: 'd-0000000000' },
        },
        hostHandle: handle,
        logger,
      });
      const out = await drain(source);
      expect(out.pages).toBe(0);
      expect(out.error).toMatchObject({ name: 'AccountCollectionError', action: 'identitystore:ListGroups' });
    });

    it('asks per user for a user created after the group lists were read, instead of reporting no group', async () => {
      const store = [...emu.world.identityStores.values()][0]!;
      const groupId = [...store.groups.keys()][0]!;
      const source = await identityCenterSource({ config, hostHandle: handle, logger, pageSize: 7 });
      emu.resetStats();
      const users: IdentityCenterUser[] = [];
      const listed: string[] = [];
      let pages = 0;
      for await (const chunk of source.pages({ shouldEnrich: () => true })) {
        if (chunk.kind === 'items') {
          for (const item of chunk.items) {
            if (item.status !== 'ok') throw new Error(`${item.status}: ${JSON.stringify(item)}`);
            users.push(item.identity as IdentityCenterUser);
          }
          continue;
        }
        pages += 1;
        listed.push(...chunk.listed.map((l) => l.key));
        if (pages === 1) {
          // Memberships were read group by group with the first page; this user is listed on the last one.
          store.users.set('late-user-id', { userId: 'late-user-id', userName: 'late.user', emails: [] });
          store.memberships.set('late-membership', { groupId, userId: 'late-user-id' });
        }
      }
      const late = users.find((u) => u.userId === 'late-user-id')!;
      expect(late.groups.map((g) => g.groupId)).toEqual([groupId]);
      const calls = emu.stats().calls[handle.accountId]!;
      const members = new Set([...store.memberships.values()].map((m) => m.userId));
      const askedThemselves = listed.slice(7).filter((id) => id === 'late-user-id' || !members.has(id));
      expect(calls['identitystore:ListGroupMembershipsForMember']).toBe(askedThemselves.length);
    });
  });

  describe('a store with more groups than users', () => {
    let emu: Emulator;
    let config: Config;
    let handle: AccountHandle;
    let fixture: EmulatorAccount;

    beforeAll(async () => {
      fixture = await openStore({ users: 8, groups: 40 });
      ({ emu, config, handle } = fixture);
    });

    afterAll(async () => {
      await fixture?.stop();
    });

    it('reads memberships per user and still matches the ground truth', async () => {
      emu.resetStats();
      const out = await collect(
        await identityCenterSource({ config, hostHandle: handle, logger, pageSize: 20 }),
      );
      const truth = emu.truth!.identityCenterUsers;
      expect(out.users).toHaveLength(8);
      for (const u of out.users) expect(project(u)).toEqual(storeFacts(truth.get(u.userId)));
      const calls = emu.stats().calls[handle.accountId]!;
      expect(calls['identitystore:ListGroups']).toBe(2);
      expect(calls['identitystore:ListGroupMembershipsForMember']).toBe(8);
      expect(calls['identitystore:ListGroupMemberships']).toBeUndefined();
    });

    it('reads users several at a time under collector.concurrency, handing them on in listing order', async () => {
      emu.resetStats();
      emu.faults.add({
        service: 'identitystore',
        action: 'ListGroupMembershipsForMember',
        kind: 'latency',
        latencyMs: 200,
      });
      try {
        const source = await identityCenterSource({
          config: { ...config, collector: { ...config.collector, concurrency: 4 } },
          hostHandle: handle,
          logger,
          pageSize: 20,
        });
        const listed: string[] = [];
        const read: string[] = [];
        for await (const chunk of source.pages({ shouldEnrich: () => true })) {
          if (chunk.kind === 'page') listed.push(...chunk.listed.map((l) => l.key));
          else
            read.push(
              ...chunk.items.map((i) =>
                i.status === 'ok' ? (i.identity as IdentityCenterUser).userId : i.key,
              ),
            );
        }
        expect(read).toEqual(listed);
        expect(
          emu.stats().peakInFlight[handle.accountId]?.['identitystore:ListGroupMembershipsForMember'],
        ).toBe(4);
      } finally {
        emu.faults.clear();
      }
    });
  });
});
