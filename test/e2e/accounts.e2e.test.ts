// Multi-account end to end through the CLI: organization discovery (include/exclude by account and OU),
// AssumeRole into each member account, and one account failing while the others complete.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { type Emulator, type EmuOrganization, startEmulator } from '../../src/emulator/index.js';
import { readEvents, runCli, stateShow, tempDir, userOf, writeConfig, type CliResult } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROLE = 'IamInventoryReader';

/** The ARNs of every user the world holds, per account id. */
function usersByAccount(emu: Emulator): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, account] of emu.world.accounts) {
    out.set(id, [...account.users.values()].map((u) => u.arn).sort());
  }
  return out;
}

/** Account ids under an OU or root, through nested OUs, read from the emulator's organization model. */
function accountsUnder(org: EmuOrganization, parentId: string): string[] {
  const parents = new Set([parentId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const ou of org.ous.values()) {
      if (parents.has(ou.parentId) && !parents.has(ou.id)) {
        parents.add(ou.id);
        grew = true;
      }
    }
  }
  return [...org.accounts.values()].filter((a) => parents.has(a.parentId)).map((a) => a.id);
}

function ouId(org: EmuOrganization, name: string): string {
  const ou = [...org.ous.values()].find((o) => o.name === name);
  if (!ou) throw new Error(`no OU named ${name}`);
  return ou.id;
}

interface OrgRun {
  result: CliResult;
  events: Record<string, unknown>[];
  config: string;
}

describe('multi-account collection through AWS Organizations', () => {
  let emu: Emulator;
  let org: EmuOrganization;
  let accountIds: string[];
  let expected: Map<string, string[]>;

  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 8101,
        accounts: 4,
        usersPerAccount: 30,
        groupsPerAccount: 6,
        rolesPerAccount: 3,
        organization: true,
        identityCenter: false,
      },
    });
    org = emu.world.organization!;
    accountIds = [...emu.world.accounts.keys()].sort();
    expected = usersByAccount(emu);
  });
  afterAll(async () => emu.stop());

  async function runOrg(
    organization: Record<string, unknown>,
    aws: Record<string, unknown> = {},
  ): Promise<OrgRun> {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      aws: { organization: { enabled: true, role_name: ROLE, ...organization }, ...aws },
    });
    const result = await runCli(['run', '--config', config]);
    return { result, events: readEvents(join(dir, 'events.ndjson')), config };
  }

  /** The emitted user ARNs grouped by the event's user.account.uid. */
  function emittedByAccount(events: Record<string, unknown>[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const e of events) {
      const u = userOf(e);
      const list = out.get(u.account.uid as string) ?? [];
      list.push(u.uid as string);
      out.set(u.account.uid as string, list);
    }
    for (const list of out.values()) list.sort();
    return out;
  }

  function expectAccounts(events: Record<string, unknown>[], wanted: string[]): void {
    const emitted = emittedByAccount(events);
    expect([...emitted.keys()].sort()).toEqual([...wanted].sort());
    for (const id of wanted) expect(emitted.get(id)).toEqual(expected.get(id));
    expect(events).toHaveLength(wanted.reduce((n, id) => n + expected.get(id)!.length, 0));
  }

  it('the organization has a suspended account and OUs that the filters below exercise', () => {
    expect(accountIds).toHaveLength(4);
    expect(org.managementAccountId).toBe(emu.world.defaultAccountId);
    const suspended = [...org.accounts.values()].filter((a) => a.status !== 'ACTIVE');
    expect(suspended.length).toBeGreaterThan(0);
    for (const a of suspended) expect(emu.world.accounts.has(a.id)).toBe(false);
    // Each filter below selects a non-empty proper subset of the active accounts.
    for (const name of ['Security', 'Workloads']) {
      const under = accountsUnder(org, ouId(org, name)).filter((id) => emu.world.accounts.has(id));
      expect(under.length).toBeGreaterThan(0);
      expect(under.length).toBeLessThan(accountIds.length);
    }
  });

  it("emits every ACTIVE account's users with the right account, through a role assumed in each member", async () => {
    emu.resetStats();
    const { result, events, config } = await runOrg({});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectAccounts(events, accountIds);
    for (const e of events) {
      const u = userOf(e);
      // The ARN's account and the event's account agree (a session in the wrong account would break this).
      expect((u.uid as string).split(':')[4]).toBe(u.account.uid);
      expect(u.account.type_id).toBe(10);
      expect((e.cloud as any).account.uid).toBe(u.account.uid);
    }

    const stats = emu.stats();
    for (const id of accountIds) {
      expect(stats.calls[id]?.['iam:ListUsers']).toBeGreaterThan(0);
      // Per-user enrichment landed in the account that owns the users.
      expect(stats.calls[id]?.['iam:ListMFADevices']).toBe(expected.get(id)!.length);
    }
    // The management account listed the organization and assumed a role in each member account.
    const mgmt = stats.calls[org.managementAccountId]!;
    expect(mgmt['organizations:ListAccounts']).toBeGreaterThan(0);
    expect(mgmt['sts:AssumeRole']).toBeGreaterThanOrEqual(accountIds.length - 1);

    const state = await stateShow(config);
    for (const id of accountIds) {
      const scope = state.scopes.find((s: any) => s.scope === id);
      expect(scope?.watermark).not.toBeNull();
      expect(scope.lastRun.status).toBe('succeeded');
    }
  });

  it('include and exclude select accounts by id and by OU (nested OUs included)', async () => {
    const security = ouId(org, 'Security');
    const workloads = ouId(org, 'Workloads');
    const active = (ids: string[]): string[] => ids.filter((id) => emu.world.accounts.has(id)).sort();
    const inSecurity = active(accountsUnder(org, security));
    // Workloads holds its accounts in the nested Production and Development OUs.
    const inWorkloads = active(accountsUnder(org, workloads));
    expect(inWorkloads.every((id) => org.accounts.get(id)!.parentId !== workloads)).toBe(true);
    const outside = accountIds.filter((id) => !inWorkloads.includes(id));
    const cases: { filter: Record<string, unknown>; wanted: string[] }[] = [
      // An account id and an OU id together: their union.
      { filter: { include: [inSecurity[0], workloads] }, wanted: [inSecurity[0]!, ...inWorkloads] },
      // An OU minus one of its accounts.
      { filter: { include: [security], exclude: [inSecurity[0]] }, wanted: inSecurity.slice(1) },
      // Everything but a (nested) OU and the management account.
      {
        filter: { exclude: [workloads, org.managementAccountId] },
        wanted: outside.filter((id) => id !== org.managementAccountId),
      },
    ];
    for (const { filter, wanted } of cases) {
      expect(wanted.length).toBeGreaterThan(0);
      const { result, events } = await runOrg(filter);
      try {
        expect(result.code).toBe(0);
        expectAccounts(events, wanted);
      } catch (error) {
        throw new Error(
          `filter ${JSON.stringify(filter)}: ${(error as Error).message}\n${result.stdout}${result.stderr}`,
        );
      }
    }
  });

  it('an account whose role is missing fails with its id; the others are collected and checkpointed', async () => {
    const victim = accountIds.find((id) => id !== org.managementAccountId)!;
    const roles = emu.world.accounts.get(victim)!.roles;
    const role = roles.get(ROLE)!;
    expect(role).toBeDefined();
    roles.delete(ROLE);
    let run: OrgRun;
    try {
      run = await runOrg({});
    } finally {
      roles.set(ROLE, role);
    }
    const { result, events, config } = run;
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    expect(out).toContain(victim);
    expect(out).toContain('AssumeRole');
    const others = accountIds.filter((id) => id !== victim);
    expectAccounts(events, others);

    const state = await stateShow(config);
    for (const id of others) {
      const scope = state.scopes.find((s: any) => s.scope === id);
      expect(scope?.watermark).not.toBeNull();
      expect(scope.lastRun.status).toBe('succeeded');
    }
    // The failed account is on record (runs table) with its reason, and has no watermark.
    const failed = state.scopes.find((s: any) => s.scope === victim);
    expect(failed.watermark).toBeNull();
    expect(failed.lastRun.status).toBe('failed');
    expect(failed.lastRun.error).toContain('AccessDenied');

    // With the role back, the next run collects the account that failed and only it.
    const again = await runCli(['run', '--config', config]);
    expect(again.code).toBe(0);
    const after = readEvents(join(config, '..', 'events.ndjson')).slice(events.length);
    expectAccounts(after, [victim]);
  });
});

describe('explicit accounts with an external id', () => {
  let emu: Emulator;
  let members: string[];
  const externalId = 'e2e-external-id-8102';

  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 8102,
        accounts: 3,
        usersPerAccount: 30,
        groupsPerAccount: 4,
        rolesPerAccount: 2,
        organization: true,
        identityCenter: false,
        externalId,
      },
    });
    members = [...emu.world.accounts.keys()].filter((id) => id !== emu.world.defaultAccountId).sort();
  });
  afterAll(async () => emu.stop());

  it('the account with the wrong external id fails; the one with the right id is collected', async () => {
    const [good, bad] = members as [string, string];
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      aws: {
        accounts: [
          { id: good, role_name: ROLE, external_id: externalId },
          { id: bad, role_name: ROLE, external_id: 'not-the-external-id' },
        ],
      },
    });
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    expect(out).toContain(bad);
    expect(out).not.toContain(`account ${good}:`);
    const events = readEvents(join(dir, 'events.ndjson'));
    const arns = events.map((e) => userOf(e).uid as string).sort();
    expect(arns).toEqual([...emu.world.accounts.get(good)!.users.values()].map((u) => u.arn).sort());
    expect(events.every((e) => userOf(e).account.uid === good)).toBe(true);

    const stats = emu.stats();
    expect(stats.calls[good]?.['iam:ListUsers']).toBeGreaterThan(0);
    expect(stats.calls[bad]?.['iam:ListUsers']).toBeUndefined();
  });

  it('an organization run without the external id collects only the management account', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      aws: { organization: { enabled: true, role_name: ROLE } },
    });
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    for (const id of members) expect(out).toContain(id);
    const events = readEvents(join(dir, 'events.ndjson'));
    const mgmt = emu.world.defaultAccountId;
    expect(events.map((e) => userOf(e).uid as string).sort()).toEqual(
      [...emu.world.accounts.get(mgmt)!.users.values()].map((u) => u.arn).sort(),
    );
  });
});
