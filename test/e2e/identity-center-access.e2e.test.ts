// Identity Center access end to end through the CLI: every user's account assignments and admin verdict
// equal the ground truth (one member account left out of the inventory, so its customer managed
// references are unverified), an assignment removed between two full runs changes exactly the events of
// the users it reached, and AccessDenied on sso-admin fails the Identity Center scope alone (exit 1).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  deleteAccountAssignment,
  type EmuRole,
  provisionPermissionSetRole,
  type EmuIdentityStore,
  type Emulator,
  type ExpectedIdentityCenterUser,
  startEmulator,
} from '../../src/emulator/index.js';
import { awsOf, readEvents, runCli, stateShow, tempDir, userOf, writeConfig } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROLE = 'IamInventoryReader';
const isIdentityCenter = (e: Record<string, unknown>): boolean => awsOf(e).source === 'identity_center';

describe('Identity Center access through the CLI', () => {
  let emu: Emulator;
  let store: EmuIdentityStore;
  let truth: Map<string, ExpectedIdentityCenterUser>;
  let excluded: string;
  let reservedRole: EmuRole;
  /** The first test's full run, the baseline of the second. */
  let firstRun: { dir: string; path: string };

  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 1616,
        accounts: 4,
        usersPerAccount: 2,
        groupsPerAccount: 2,
        rolesPerAccount: 1,
        organization: true,
        identityCenter: { users: 40, groups: 6, permissionSets: 12 },
      },
    });
    store = [...emu.world.identityStores.values()][0]!;
    truth = emu.truth!.identityCenterUsers;
    // The generator assigns PlatformAdmin (a customer managed reference) in the last account: leave it out.
    excluded = [...emu.world.accounts.keys()].at(-1)!;
    const admin = [...store.permissionSets.values()].find((ps) => ps.name === 'AdministratorAccess')!;
    reservedRole = provisionPermissionSetRole(
      emu.world,
      store.identityStoreId,
      emu.world.defaultAccountId,
      admin.arn,
    );
  });
  afterAll(async () => emu.stop());

  function config(dir: string): string {
    return writeConfig({
      dir,
      endpoint: emu.url,
      aws: { organization: { enabled: true, role_name: ROLE, exclude: [excluded] } },
      collector: { access_keys: false, login_profile: false, tags: false, include_roles: true },
      extra: { identity_center: { enabled: true } },
    });
  }

  /** What the event must say for a truth record, given which account is not inventoried. */
  function expectedAccess(t: ExpectedIdentityCenterUser): Record<string, unknown> {
    const assignments = t.assignments.map((a) => {
      const inventoried = a.accountId !== excluded;
      const unverified = !inventoried && a.needsAccount;
      return {
        account_id: a.accountId,
        ...(inventoried && a.accountName !== undefined ? { account_name: a.accountName } : {}),
        permission_set_arn: a.permissionSetArn,
        permission_set_name: a.permissionSetName,
        via: a.via,
        admin: unverified ? false : a.admin,
        ...(unverified ? { admin_unverified: true } : {}),
      };
    });
    const admin = [...new Set(assignments.filter((a) => a.admin).map((a) => a.account_id))].sort();
    return { assignments, admin_accounts: admin, type_id: admin.length > 0 ? 2 : 1 };
  }

  function actualAccess(event: Record<string, unknown>): Record<string, unknown> {
    return {
      assignments: awsOf(event).account_assignments,
      admin_accounts: awsOf(event).admin_accounts,
      type_id: userOf(event).type_id,
    };
  }

  it('every user has the assignments and admin verdict of the truth', async () => {
    const dir = tempDir();
    firstRun = { dir, path: config(dir) };
    const r = await runCli(['run', '--mode', 'full', '--config', firstRun.path]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const all = readEvents(join(dir, 'events.ndjson'));
    const role = all.find((e) => userOf(e).uid === reservedRole.arn)!;
    expect(awsOf(role).identity_center_permission_set).toBe('AdministratorAccess');
    const events = all.filter(isIdentityCenter);
    expect(events).toHaveLength(truth.size);
    for (const event of events) {
      const t = truth.get(userOf(event).uid as string)!;
      try {
        expect(actualAccess(event)).toEqual(expectedAccess(t));
      } catch (error) {
        throw new Error(`identity center user ${t.userName}: ${(error as Error).message}`);
      }
    }
    // A user admin only through a group.
    const viaGroup = [...truth.values()].find(
      (t) => t.adminAccounts.length > 0 && t.assignments.every((a) => !a.admin || a.via.startsWith('group:')),
    );
    expect(viaGroup).toBeDefined();
    // A customer managed reference in the account left out: unverified, not guessed.
    const unverified = events.flatMap((e) =>
      (awsOf(e).account_assignments as any[]).filter((a) => a.admin_unverified === true),
    );
    expect(unverified.length).toBeGreaterThan(0);
    expect(unverified.every((a) => a.account_id === excluded)).toBe(true);
    // Group privileges: the permission set names of the group's assignments.
    const admins = events.find((e) =>
      (userOf(e).groups ?? []).some((g: any) => g.name === 'AWSAdministrators'),
    );
    const group = (userOf(admins!).groups as any[]).find((g) => g.name === 'AWSAdministrators');
    expect(group.privileges).toEqual(['AdministratorAccess']);
  });

  it('an assignment removed between two full runs changes each affected user once', async () => {
    const { dir, path } = firstRun;
    const before = readEvents(join(dir, 'events.ndjson')).length;
    const removed = store.accountAssignments.find(
      (a) =>
        a.principalType === 'GROUP' &&
        [...store.memberships.values()].some((m) => m.groupId === a.principalId),
    )!;
    const members = new Set(
      [...store.memberships.values()].filter((m) => m.groupId === removed.principalId).map((m) => m.userId),
    );
    deleteAccountAssignment(emu.world, store.identityStoreId, removed);
    const r = await runCli(['run', '--mode', 'full', '--config', path]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const changed = readEvents(join(dir, 'events.ndjson')).slice(before);
    expect(changed.map((e) => userOf(e).uid).sort()).toEqual([...members].sort());
    for (const e of changed) {
      expect(e.activity_id).toBe(2);
      const groupVia = `group:${store.groups.get(removed.principalId)!.displayName}`;
      const left = (awsOf(e).account_assignments as any[]).filter(
        (a) =>
          a.account_id === removed.accountId &&
          a.permission_set_arn === removed.permissionSetArn &&
          a.via === groupVia,
      );
      expect(left).toEqual([]);
    }
  });

  it('AccessDenied on sso-admin fails the Identity Center scope, naming the action; IAM accounts complete', async () => {
    const dir = tempDir();
    const path = config(dir);
    const id = emu.faults.add({
      kind: 'error',
      service: 'sso',
      action: 'ListPermissionSets',
      status: 400,
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform sso:ListPermissionSets',
    });
    try {
      const r = await runCli(['run', '--mode', 'full', '--config', path]);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain('sso:ListPermissionSets');
    } finally {
      emu.faults.remove(id);
    }
    const state = await stateShow(path);
    const ic = state.scopes.find((s: any) => s.scope === `identity-center:${store.identityStoreId}`);
    expect(ic.lastRun.status).toBe('failed');
    expect(ic.lastRun.error).toContain('sso:ListPermissionSets');
    const accounts = state.scopes.filter((s: any) => !String(s.scope).startsWith('identity-center'));
    expect(accounts.length).toBe(emu.world.accounts.size - 1);
    for (const s of accounts) expect(s.lastRun.status).toBe('succeeded');
  });
});
