// Group memberships read group by group (ListGroups + GetGroup) in the per-user strategy: used once more users
// than groups are enriched, never guessing: users listed after the index was read and absent from it are
// asked per user, and a denied GetGroup falls back to ListGroupsForUser for everyone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IamUser } from '../../src/identity/identity.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import type { CollectedItem, ListedIdentity } from '../../src/collector/source.js';
import { addUserToGroup, createUser, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { HookObserver } from '../support/call-observers.js';
import { addLimitedKey, openOwnAccount } from '../support/emulator-account.js';
import { collectorConfig, drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();
const USERS = 130;
const GROUPS = 15;
const lean = { access_keys: false, login_profile: false, tags: false, admin_analysis: false };

const NO_GET_GROUP = [
  'sts:GetCallerIdentity',
  'iam:ListAccountAliases',
  'iam:GetAccountSummary',
  'iam:ListUsers',
  'iam:ListGroups',
  'iam:ListGroupsForUser',
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
  'iam:ListMFADevices',
  'iam:ListAttachedUserPolicies',
  'iam:ListUserPolicies',
];

describe('group memberships in the per-user strategy', () => {
  let emu: Emulator;
  let accountId: string;
  let noGetGroup: ReturnType<typeof addLimitedKey>;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 21, accounts: 1, usersPerAccount: USERS, groupsPerAccount: GROUPS },
    });
    accountId = emu.world.defaultAccountId;
    noGetGroup = addLimitedKey(emu, {
      accessKeyId: 'AKIANOGETGROUP000001',
      secretAccessKey: 'no-get-group-secret-key-for-tests-only',
      userName: 'no-get-group',
      allowedActions: NO_GET_GROUP,
    });
  });

  afterAll(async () => {
    await emu?.stop();
  });

  /** Group names of each user as the emulator's world has them now. */
  function worldGroups(): Map<string, string[]> {
    const account = emu.world.accounts.get(accountId)!;
    return new Map([...account.users.values()].map((u) => [u.arn, [...u.groups].sort()]));
  }

  function collectedGroups(items: CollectedItem[]): Map<string, string[]> {
    return new Map(
      items.map((i) => {
        if (i.status !== 'ok') throw new Error(`${i.status}: ${JSON.stringify(i)}`);
        const u = i.identity as IamUser;
        return [u.arn, u.groups.map((g) => g.name)];
      }),
    );
  }

  it('reads them group by group, and asks per user only for users listed after the index it does not know', async () => {
    const observer = new HookObserver();
    const handle = await openOwnAccount(testConfig(emu.url), logger, observer);
    try {
      emu.resetStats();
      // Enrichment of the first page starts after the index was read: two users created now sort last, so
      // the second listing page shows them, and the index does not know them.
      observer.before('ListMFADevices', () => {
        createUser(emu.world, accountId, { userName: 'zzz-late-member' });
        addUserToGroup(
          emu.world,
          accountId,
          'zzz-late-member',
          [...emu.world.accounts.get(accountId)!.groups.keys()][0]!,
        );
        createUser(emu.world, accountId, { userName: 'zzz-late-groupless' });
      });
      const out = await drain(
        perUserSource(handle, collectorConfig({ ...lean, page_size: 100 }), { logger }),
      );
      expect(out.error).toBeUndefined();
      expect(out.pages).toBe(2);
      expect(out.items).toHaveLength(USERS + 2);
      const now = worldGroups();
      expect(collectedGroups(out.items)).toEqual(now);
      const late = now.get(`arn:aws:iam::${accountId}:user/zzz-late-member`)!;
      expect(late).toHaveLength(1);

      const calls = emu.stats().calls[accountId]!;
      expect(calls['iam:ListGroups']).toBe(1);
      expect(calls['iam:GetGroup']).toBe(GROUPS);
      // Second-page users without a group in the index: the seeded groupless ones and the two late users.
      const secondPage = out.listed.slice(100);
      const unknownToIndex = secondPage.filter(
        (l: ListedIdentity) => l.name.startsWith('zzz-late') || now.get(l.key)!.length === 0,
      );
      expect(unknownToIndex.length).toBeGreaterThan(2);
      expect(calls['iam:ListGroupsForUser']).toBe(unknownToIndex.length);
    } finally {
      handle.iam.destroy();
    }
  });

  it('keeps ListGroupsForUser when few users are enriched (an incremental run)', async () => {
    const handle = await openOwnAccount(testConfig(emu.url), logger);
    try {
      emu.resetStats();
      const chosen = new Set<string>();
      const out = await drain(
        perUserSource(handle, collectorConfig({ ...lean, page_size: 1000 }), { logger }),
        (l) => {
          if (chosen.size < GROUPS - 1 || chosen.has(l.key)) {
            chosen.add(l.key);
            return true;
          }
          return false;
        },
      );
      expect(out.error).toBeUndefined();
      expect(out.items).toHaveLength(GROUPS - 1);
      const now = worldGroups();
      for (const [arn, groups] of collectedGroups(out.items)) expect(groups).toEqual(now.get(arn));
      const calls = emu.stats().calls[accountId]!;
      expect(calls['iam:GetGroup']).toBeUndefined();
      expect(calls['iam:ListGroupsForUser']).toBe(GROUPS - 1);
    } finally {
      handle.iam.destroy();
    }
  });

  it('falls back to ListGroupsForUser for every user when GetGroup is denied, with the same groups', async () => {
    const config = testConfig(emu.url, { aws: { credentials: noGetGroup } });
    const handle = await openOwnAccount(config, logger);
    try {
      emu.resetStats();
      const out = await drain(
        perUserSource(handle, collectorConfig({ ...lean, page_size: 1000 }), { logger }),
      );
      expect(out.error).toBeUndefined();
      expect(collectedGroups(out.items)).toEqual(worldGroups());
      const calls = emu.stats().calls[accountId]!;
      expect(calls['iam:ListGroups']).toBe(1);
      expect(calls['iam:GetGroup']).toBeGreaterThanOrEqual(1);
      expect(calls['iam:ListGroupsForUser']).toBe(out.items.length);
    } finally {
      handle.iam.destroy();
    }
  });
});
