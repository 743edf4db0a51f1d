import { describe, expect, it } from '@jest/globals';
import {
  addCredential,
  addUserToGroup,
  attachGroupPolicy,
  attachUserPolicy,
  createAccessKey,
  createUser,
  deleteUser,
  detachGroupPolicy,
  detachUserPolicy,
  type EmuAccount,
  type EmuWorld,
  enableMfaDevice,
  expectedUser,
  generateWorld,
  removeMfaDevice,
  removeUserFromGroup,
  setAccessKeyStatus,
  setIdentityStoreUserEmail,
} from '../../src/emulator/index.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

function fresh(): { world: EmuWorld; account: EmuAccount; id: string } {
  const { world } = generateWorld({ seed: 5, accounts: 1, usersPerAccount: 10, groupsPerAccount: 12 });
  const id = world.defaultAccountId;
  return { world, account: world.accounts.get(id) as EmuAccount, id };
}

function thrown(fn: () => unknown): { code?: string; status?: number } {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; status?: number };
    return { code: e.code, status: e.status };
  }
  throw new Error('expected a throw');
}

describe('mutations', () => {
  it('create a user, change its memberships and policies, and the expected record follows', () => {
    const { world, account, id } = fresh();
    const user = createUser(world, id, {
      userName: 'new.hire',
      path: '/engineering/',
      createDate: 1_700_000_000_123,
    });
    expect(user.arn).toBe(`arn:aws:iam::${id}:user/engineering/new.hire`);
    expect(user.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(user.createDate).toBe(1_700_000_000_000);
    expect(thrown(() => createUser(world, id, { userName: 'new.hire' }))).toEqual({
      code: 'EntityAlreadyExists',
      status: 409,
    });

    let e = expectedUser(world, account, user);
    expect([e.isAdmin, e.isDisabled, e.groups]).toEqual([false, true, []]);

    addUserToGroup(world, id, 'new.hire', 'admins');
    e = expectedUser(world, account, user);
    expect([e.isAdmin, e.adminVia, e.isAdminByName]).toEqual([
      true,
      ['group:admins/AdministratorAccess'],
      true,
    ]);
    removeUserFromGroup(world, id, 'new.hire', 'admins');
    attachUserPolicy(world, id, 'new.hire', ADMIN);
    expect(expectedUser(world, account, user).adminVia).toEqual(['user/AdministratorAccess']);
    detachUserPolicy(world, id, 'new.hire', ADMIN);
    expect(expectedUser(world, account, user).isAdmin).toBe(false);

    addUserToGroup(world, id, 'new.hire', 'readonly');
    attachGroupPolicy(world, id, 'readonly', ADMIN);
    expect(expectedUser(world, account, user).adminVia).toEqual(['group:readonly/AdministratorAccess']);
    detachGroupPolicy(world, id, 'readonly', ADMIN);
    expect(expectedUser(world, account, user).groups[0]?.privileges).toEqual(['ReadOnlyAccess']);

    deleteUser(world, id, 'new.hire');
    expect(account.users.has('new.hire')).toBe(false);
  });

  it('manage MFA devices and access keys', () => {
    const { world, account, id } = fresh();
    createUser(world, id, { userName: 'mfa.user' });
    const virtual = enableMfaDevice(world, id, 'mfa.user', 'virtual');
    const second = enableMfaDevice(world, id, 'mfa.user', 'virtual');
    const hardware = enableMfaDevice(world, id, 'mfa.user', 'hardware');
    const key = enableMfaDevice(world, id, 'mfa.user', 'u2f');
    expect(virtual).toBe(`arn:aws:iam::${id}:mfa/mfa.user`);
    expect(second).toBe(`arn:aws:iam::${id}:mfa/mfa.user-2`);
    expect(hardware).toMatch(/^GAHT\d{8}$/);
    expect(key).toMatch(new RegExp(`^arn:aws:iam::${id}:u2f/user/mfa.user/default-[A-Z2-7]{26}$`));
    const user = account.users.get('mfa.user');
    if (!user) throw new Error('missing');
    expect(expectedUser(world, account, user).mfaTypes).toEqual([
      'hardware',
      'security_key',
      'virtual',
      'virtual',
    ]);
    removeMfaDevice(world, id, 'mfa.user', second);
    expect(user.mfaDevices.map((d) => d.serial)).toEqual([virtual, hardware, key]);
    expect(thrown(() => removeMfaDevice(world, id, 'mfa.user', second))).toEqual({
      code: 'NoSuchEntity',
      status: 404,
    });

    const k1 = createAccessKey(world, id, 'mfa.user');
    expect(k1.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(k1.status).toBe('Active');
    expect(expectedUser(world, account, user).isDisabled).toBe(false);
    setAccessKeyStatus(world, id, 'mfa.user', k1.accessKeyId, 'Inactive');
    expect(expectedUser(world, account, user).isDisabled).toBe(true);
    createAccessKey(world, id, 'mfa.user');
    expect(thrown(() => createAccessKey(world, id, 'mfa.user'))).toEqual({
      code: 'LimitExceeded',
      status: 409,
    });
  });

  it('raise NoSuchEntity for unknown names', () => {
    const { world, id } = fresh();
    const someone = [...(world.accounts.get(id)?.users.keys() ?? [])][0] as string;
    const cases: (() => unknown)[] = [
      () => deleteUser(world, id, 'nobody'),
      () => deleteUser(world, '000000000000', someone),
      () => addUserToGroup(world, id, 'nobody', 'admins'),
      () => addUserToGroup(world, id, someone, 'no-such-group'),
      () => removeUserFromGroup(world, id, someone, 'no-such-group'),
      () => attachUserPolicy(world, id, someone, 'arn:aws:iam::aws:policy/NoSuchPolicy'),
      () => detachUserPolicy(world, id, someone, 'arn:aws:iam::aws:policy/NoSuchPolicy'),
      () => attachGroupPolicy(world, id, 'no-such-group', ADMIN),
      () => detachGroupPolicy(world, id, 'admins', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
      () => enableMfaDevice(world, id, 'nobody', 'virtual'),
      () => createAccessKey(world, id, 'nobody'),
      () => setAccessKeyStatus(world, id, someone, 'AKIANOSUCHKEY0000000', 'Inactive'),
      () => setIdentityStoreUserEmail(world, 'd-0000000000', 'u', 'a@b.example'),
    ];
    for (const c of cases) expect(thrown(c)).toEqual({ code: 'NoSuchEntity', status: 404 });
  });

  it('derive ids from the world seed, so a replay gets the same ids', () => {
    const run = (): string[] => {
      const { world, id } = fresh();
      const u = createUser(world, id, { userName: 'replay' });
      return [
        u.userId,
        createAccessKey(world, id, 'replay').accessKeyId,
        enableMfaDevice(world, id, 'replay', 'u2f'),
      ];
    };
    expect(run()).toEqual(run());
  });

  it('change an Identity Center email and add credentials', () => {
    const { world } = generateWorld({
      seed: 5,
      accounts: 1,
      usersPerAccount: 1,
      groupsPerAccount: 1,
      identityCenter: { users: 3, groups: 1 },
    });
    const store = [...world.identityStores.values()][0];
    const userId = [...(store?.users.keys() ?? [])][0] as string;
    setIdentityStoreUserEmail(world, store?.identityStoreId as string, userId, 'changed@acme.example');
    expect(store?.users.get(userId)?.emails.find((e) => e.primary)?.value).toBe('changed@acme.example');
    addCredential(world, {
      accessKeyId: 'AKIATESTCREDENTIAL01',
      secretAccessKey: 's',
      accountId: world.defaultAccountId,
      arn: 'arn:aws:iam::1:user/x',
      userId: 'AIDAX',
    });
    expect(world.credentials.get('AKIATESTCREDENTIAL01')?.secretAccessKey).toBe('s');
  });
});
