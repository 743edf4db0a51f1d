// Accounts: aws.accounts with AssumeRole per account, organization discovery with include/exclude, the
// caller's own account, and targets that cannot be opened reported by account while the others open.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { memoizeCredentials } from '../../src/collector/aws/credentials.js';
import { shardOf } from '../../src/collector/aws/shard.js';
import { openSources } from '../../src/collector/open-sources.js';
import type { IamUser } from '../../src/identity/identity.js';
import {
  type Emulator,
  generateWorld,
  identityStoreService,
  organizationsService,
  ssoAdminService,
  startEmulator,
} from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { CountingObserver } from '../support/call-observers.js';
import { addLimitedKey } from '../support/emulator-account.js';
import { drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

describe('accounts', () => {
  let emu: Emulator;
  let ids: string[];
  let mgmtId: string;

  beforeAll(async () => {
    const { world, truth } = generateWorld({
      seed: 21,
      accounts: 8,
      usersPerAccount: 3,
      groupsPerAccount: 2,
      rolesPerAccount: 1,
    });
    emu = await startEmulator({
      world,
      truth,
      services: [organizationsService, identityStoreService, ssoAdminService],
    });
    ids = [...world.accounts.keys()].sort();
    mgmtId = world.organization!.managementAccountId;
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it("collects the caller's own account when no accounts or organization are configured", async () => {
    const opened = await openSources(testConfig(emu.url), { logger });
    expect(opened.failures).toEqual([]);
    expect(opened.sources.map((s) => s.accountId)).toEqual([mgmtId]);
    expect(opened.sources[0]!.accountAlias).toBe(emu.world.accounts.get(mgmtId)!.alias);
    for (const h of opened.handles) h.iam.destroy();
  });

  it('--shard: N shards open every configured account exactly once', async () => {
    const config = testConfig(emu.url, {
      aws: { accounts: ids.map((id) => ({ id, role_name: 'IamInventoryReader' })) },
    });
    const seen: string[] = [];
    for (let index = 0; index < 3; index++) {
      const opened = await openSources(config, { logger, shard: { index, count: 3 } });
      expect(opened.failures).toEqual([]);
      seen.push(...opened.sources.map((s) => s.accountId));
      for (const h of opened.handles) h.iam.destroy();
    }
    expect(seen.sort()).toEqual(ids);
  });

  it('assumes the role in each listed account; calls land in each account', async () => {
    const targets = ids.slice(0, 3);
    emu.resetStats();
    const observer = new CountingObserver();
    const config = testConfig(emu.url, {
      aws: { accounts: targets.map((id) => ({ id, role_name: 'IamInventoryReader' })) },
    });
    const opened = await openSources(config, { logger, observer });
    expect(opened.failures).toEqual([]);
    expect(opened.sources.map((s) => s.scope)).toEqual(targets);
    for (const source of opened.sources) {
      const out = await drain(source);
      expect(out.error).toBeUndefined();
      expect(out.items).toHaveLength(3);
      for (const item of out.items) {
        expect(item.status).toBe('ok');
        const user = (item as { identity: IamUser }).identity;
        expect(user.accountId).toBe(source.accountId);
        expect(user.arn).toContain(`::${source.accountId}:user/`);
        expect(user.accountAlias).toBe(emu.world.accounts.get(source.accountId)!.alias);
      }
    }
    const stats = emu.stats();
    for (const id of targets) {
      expect(stats.calls[id]?.['iam:ListUsers']).toBe(1);
      expect(stats.calls[id]?.['iam:ListAccountAliases']).toBe(1);
    }
    // AssumeRole is called with the caller's credentials, once per account.
    expect(stats.calls[mgmtId]?.['sts:AssumeRole']).toBe(3);
    expect(observer.calls.get(`${mgmtId}/sts:AssumeRole`)).toBe(3);
    for (const h of opened.handles) h.iam.destroy();
  });

  it('reports an account whose role is missing, naming it, while the others open', async () => {
    const [a, b, c] = ids.slice(3, 6) as [string, string, string];
    const config = testConfig(emu.url, {
      aws: {
        accounts: [
          { id: a, role_name: 'IamInventoryReader' },
          { id: b, role_arn: `arn:aws:iam::${b}:role/DoesNotExist` },
          { id: c, role_name: 'IamInventoryReader' },
        ],
      },
    });
    const opened = await openSources(config, { logger });
    expect(opened.sources.map((s) => s.accountId)).toEqual([a, c]);
    expect(opened.failures).toHaveLength(1);
    const failure = opened.failures[0]!;
    expect(failure.scope).toBe(b);
    expect(failure.accountId).toBe(b);
    expect(failure.error).toMatch(
      new RegExp(
        `^account ${b}: sts:AssumeRole on arn:aws:iam::${b}:role/DoesNotExist denied: AccessDenied: .*not authorized`,
      ),
    );
    expect(failure.error).not.toContain(emu.world.credentials.values().next().value!.secretAccessKey);
    for (const h of opened.handles) h.iam.destroy();
  });

  it('reports an account listed without a role that the credentials do not belong to', async () => {
    const other = ids.find((id) => id !== mgmtId)!;
    const opened = await openSources(testConfig(emu.url, { aws: { accounts: [{ id: other }] } }), { logger });
    expect(opened.sources).toEqual([]);
    expect(opened.failures).toEqual([
      {
        scope: other,
        accountId: other,
        error: `account ${other}: the credentials belong to account ${mgmtId} (configure role_arn or role_name for this account)`,
      },
    ]);
  });

  it('restricts the run to the requested account ids', async () => {
    const config = testConfig(emu.url, {
      aws: { accounts: ids.slice(0, 3).map((id) => ({ id, role_name: 'IamInventoryReader' })) },
    });
    const opened = await openSources(config, { logger, accountIds: [ids[1]!, '999999999999'] });
    expect(opened.sources.map((s) => s.accountId)).toEqual([ids[1]]);
    expect(opened.failures.map((f) => f.accountId)).toEqual(['999999999999']);
    for (const h of opened.handles) h.iam.destroy();
  });

  it('adds the Identity Center store of the caller account when enabled', async () => {
    const config = testConfig(emu.url, {
      aws: { accounts: ids.slice(1, 3).map((id) => ({ id, role_name: 'IamInventoryReader' })) },
    });
    config.identity_center = { enabled: true, access: false };
    const opened = await openSources(config, { logger });
    expect(opened.failures).toEqual([]);
    const store = [...emu.world.identityStores.values()][0]!;
    expect(opened.sources.map((s) => s.scope)).toEqual([
      ...ids.slice(1, 3),
      `identity-center:${store.identityStoreId}`,
    ]);
    const ic = opened.sources[2]!;
    expect(ic.kind).toBe('identity_center');
    expect(ic.accountId).toBe(mgmtId);
    const out = await drain(ic);
    expect(out.error).toBeUndefined();
    expect(out.listed).toHaveLength(store.users.size);
    for (const h of opened.handles) h.iam.destroy();
  });

  describe('organization discovery', () => {
    const orgConfig = (include: string[] = [], exclude: string[] = []) =>
      testConfig(emu.url, {
        aws: { organization: { enabled: true, role_name: 'IamInventoryReader', include, exclude } },
      });
    const ouId = (name: string): string =>
      [...emu.world.organization!.ous.values()].find((o) => o.name === name)!.id;
    const accountsIn = (...parents: string[]): string[] =>
      [...emu.world.organization!.accounts.values()]
        .filter((a) => parents.includes(a.parentId) && a.status === 'ACTIVE')
        .map((a) => a.id)
        .sort();

    it('collects every ACTIVE account, skips SUSPENDED ones, reads the management account with its own credentials', async () => {
      emu.resetStats();
      const opened = await openSources(orgConfig(), { logger });
      expect(opened.failures).toEqual([]);
      const suspended = [...emu.world.organization!.accounts.values()].filter(
        (a) => a.status === 'SUSPENDED',
      );
      expect(suspended.length).toBeGreaterThan(0);
      expect(opened.sources.map((s) => s.accountId)).toEqual(ids);
      for (const s of suspended) expect(opened.sources.map((x) => x.accountId)).not.toContain(s.id);
      // No AssumeRole into the management account: its own credentials are used.
      expect(emu.stats().calls[mgmtId]?.['sts:AssumeRole']).toBe(ids.length - 1);
      const mgmtHandle = opened.handles.find((h) => h.accountId === mgmtId)!;
      const out = await drain(opened.sources.find((s) => s.accountId === mgmtId)!);
      expect(out.items).toHaveLength(3);
      expect(mgmtHandle).toBeDefined();
      for (const h of opened.handles) h.iam.destroy();
    });

    it('includes by OU (nested OUs too) and by account id, and excludes by OU and account id', async () => {
      const security = ouId('Security');
      const workloads = ouId('Workloads');
      const production = ouId('Production');
      const development = ouId('Development');

      let opened = await openSources(orgConfig([security]), { logger });
      expect(opened.sources.map((s) => s.accountId)).toEqual(accountsIn(security));
      expect(accountsIn(security)).toHaveLength(2);
      for (const h of opened.handles) h.iam.destroy();

      const underWorkloads = accountsIn(workloads, production, development);
      expect(underWorkloads.length).toBeGreaterThan(1);
      opened = await openSources(orgConfig([workloads, mgmtId]), { logger });
      expect(opened.sources.map((s) => s.accountId)).toEqual([...underWorkloads, mgmtId].sort());
      for (const h of opened.handles) h.iam.destroy();

      opened = await openSources(orgConfig([], [production, ids.find((id) => id !== mgmtId)!]), { logger });
      const expected = ids.filter(
        (id) => !accountsIn(production).includes(id) && id !== ids.find((x) => x !== mgmtId),
      );
      expect(opened.sources.map((s) => s.accountId)).toEqual(expected);
      expect(opened.failures).toEqual([]);
      for (const h of opened.handles) h.iam.destroy();
    });

    it('with --shard: an included non-member fails in its own shard only, bad credentials in every shard', async () => {
      const shardOfStranger = shardOf('123456789012', 2);
      for (const index of [0, 1]) {
        const opened = await openSources(orgConfig(['123456789012', ...ids]), {
          logger,
          shard: { index, count: 2 },
        });
        const failed = opened.failures.map((f) => f.accountId);
        expect(failed).toEqual(index === shardOfStranger ? ['123456789012'] : []);
        for (const h of opened.handles) h.iam.destroy();
      }
      const denied = testConfig(emu.url, {
        aws: {
          organization: { enabled: true, role_name: 'IamInventoryReader', include: [], exclude: [] },
          credentials: { access_key_id: 'AKIAUNKNOWNUNKNOWN00', secret_access_key: 'not-the-secret' },
        },
      });
      for (const index of [0, 1]) {
        const opened = await openSources(denied, { logger, shard: { index, count: 2 } });
        expect(opened.failures).toHaveLength(1);
        expect(opened.sources).toEqual([]);
      }
    });

    it('reports an included account that is not in the organization', async () => {
      const opened = await openSources(orgConfig(['123456789012', ids[1]!]), { logger });
      expect(opened.sources.map((s) => s.accountId)).toEqual([ids[1]]);
      expect(opened.failures).toEqual([
        expect.objectContaining({
          accountId: '123456789012',
          error: expect.stringContaining('not a member'),
        }),
      ]);
      for (const h of opened.handles) h.iam.destroy();
    });

    it('reports a failed Organizations listing as a failure of scope organization', async () => {
      const config = orgConfig();
      config.aws.credentials = addLimitedKey(emu, {
        accessKeyId: 'AKIAEXAMPLENOORGS001',
        secretAccessKey: 'no-organizations-secret-for-test',
        userName: 'no-orgs',
        allowedActions: ['sts:GetCallerIdentity'],
        accountId: mgmtId,
      });
      const opened = await openSources(config, { logger });
      expect(opened.sources).toEqual([]);
      expect(opened.failures).toHaveLength(1);
      expect(opened.failures[0]!.scope).toBe('organization');
      expect(opened.failures[0]!.error).toMatch(
        /^organization: listing accounts failed: AccessDeniedException: .*organizations:ListAccounts/,
      );
      expect(opened.failures[0]!.error).not.toContain('no-organizations-secret');
    });
  });
});

describe('assumed-role credential refresh', () => {
  it('reuses credentials until shortly before expiry, with one refresh in flight, and retries a failed one', async () => {
    let now = 0;
    let fetches = 0;
    let fail = false;
    const provider = memoizeCredentials(
      async () => {
        fetches += 1;
        if (fail) throw new Error('sts down');
        return { accessKeyId: `ASIA${fetches}`, secretAccessKey: 's', expiration: new Date(now + 3600_000) };
      },
      () => now,
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(fetches).toBe(1);
    expect(a).toBe(b);
    now = 3000_000; // 10 minutes before expiry: still fresh
    expect((await provider()).accessKeyId).toBe('ASIA1');
    now = 3400_000; // inside the refresh margin
    fail = true;
    await expect(provider()).rejects.toThrow('sts down');
    fail = false;
    expect((await provider()).accessKeyId).toBe('ASIA3');
    expect(fetches).toBe(3);
  });
});
