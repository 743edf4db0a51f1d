// Per-user and bulk read the same account into the same records: every field, every array in the same order,
// policy documents included, users and roles alike. Nothing is normalised away.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bulkSource } from '../../src/collector/strategies/bulk.js';
import { perUserSource } from '../../src/collector/strategies/per-user.js';
import { PolicyDocumentCache } from '../../src/collector/iam/policy-documents.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/log.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { collectorConfig, drain, testConfig } from './per-user-fixtures.js';

const logger = silentLogger();

describe('per-user and bulk strategies', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 23, accounts: 1, usersPerAccount: 60, groupsPerAccount: 10 },
      config: testConfig,
    });
    ({ emu, handle } = fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('produce deep-equal records with every feature on (MFA from the API)', async () => {
    const config = collectorConfig({
      page_size: 25,
      mfa_source: 'api',
      admin_analysis: true,
      access_keys: true,
      login_profile: true,
      tags: true,
      include_roles: true,
    });
    const perUser = await drain(
      perUserSource(handle, config, { logger, policies: new PolicyDocumentCache() }),
    );
    const bulk = await drain(bulkSource(handle, config, { logger, policies: new PolicyDocumentCache() }));
    expect(perUser.error).toBeUndefined();
    expect(bulk.error).toBeUndefined();
    expect(bulk.pages).toBe(perUser.pages);
    expect(bulk.listed).toStrictEqual(perUser.listed);
    expect(perUser.items.every((i) => i.status === 'ok')).toBe(true);
    const account = emu.world.accounts.get(handle.accountId)!;
    expect(perUser.items).toHaveLength(60 + account.roles.size);
    // Some users exercise every optional field, so equality is not vacuous.
    const users = perUser.items.flatMap((i) =>
      i.status === 'ok' && i.identity.kind === 'iam_user' ? [i.identity] : [],
    );
    expect(users.some((u) => u.permissionsBoundary !== undefined)).toBe(true);
    expect(users.some((u) => (u.tags ?? []).length > 0)).toBe(true);
    expect(users.some((u) => u.inlinePolicies.length > 0)).toBe(true);
    expect(users.some((u) => (u.accessKeys ?? []).some((k) => k.lastUsedTime !== undefined))).toBe(true);
    expect(bulk.items).toStrictEqual(perUser.items);
  });

  it('produce deep-equal records with the shipped defaults (credentials from the report)', async () => {
    const config = collectorConfig({ page_size: 25, include_roles: true });
    expect(config.mfa_source).toBe('credential_report');
    const perUser = await drain(
      perUserSource(handle, config, { logger, policies: new PolicyDocumentCache() }),
    );
    const bulk = await drain(bulkSource(handle, config, { logger, policies: new PolicyDocumentCache() }));
    expect(perUser.error).toBeUndefined();
    expect(bulk.error).toBeUndefined();
    const users = perUser.items.flatMap((i) =>
      i.status === 'ok' && i.identity.kind === 'iam_user' ? [i.identity] : [],
    );
    expect(users).toHaveLength(60);
    expect(
      users.every((u) => u.mfaProvenance.source === 'credential_report' || u.mfaDevices.length > 0),
    ).toBe(true);
    expect(users.some((u) => u.mfaActive === true)).toBe(true);
    expect(bulk.items).toStrictEqual(perUser.items);
  });

  it('produce deep-equal records with the optional features off', async () => {
    const config = collectorConfig({
      page_size: 1000,
      mfa_source: 'api',
      admin_analysis: false,
      access_keys: false,
      login_profile: false,
      tags: false,
    });
    const perUser = await drain(perUserSource(handle, config, { logger }));
    const bulk = await drain(bulkSource(handle, config, { logger }));
    expect(bulk.error).toBeUndefined();
    expect(bulk.items).toStrictEqual(perUser.items);
  });
});
