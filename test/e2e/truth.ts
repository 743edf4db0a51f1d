// Compares an emitted event with the generator's ground truth for that user, field by field.
import { expect } from '@jest/globals';
import type { ExpectedUser } from '../../src/emulator/index.js';
import { awsOf, userOf } from './cli.js';

export function expectEventMatchesTruth(event: Record<string, unknown>, t: ExpectedUser): void {
  const u = userOf(event);
  const aws = awsOf(event);
  const where = `user ${t.arn}`;
  const check = (actual: unknown, expected: unknown, field: string): void => {
    try {
      expect(actual).toEqual(expected);
    } catch {
      throw new Error(
        `${where}: ${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
  };
  check(event.class_uid, 5003, 'class_uid');
  check(u.name, t.userName, 'user.name');
  check(u.uid, t.arn, 'user.uid');
  check(u.uid_alt, t.userId, 'user.uid_alt');
  check(u.account.uid, t.accountId, 'user.account.uid');
  check(u.account.type_id, 10, 'user.account.type_id');
  check(u.account.name, t.accountAlias ?? t.accountId, 'user.account.name');
  check(u.org, { uid: t.accountId, name: t.accountAlias ?? `AWS Account ${t.accountId}` }, 'user.org');
  check(u.ldap_person?.created_time, t.createDate, 'user.ldap_person.created_time');
  check(u.ldap_person?.last_login_time, t.passwordLastUsed, 'user.ldap_person.last_login_time');
  check(
    (u.groups ?? []).map((g: any) => ({ name: g.name, arn: g.uid, privileges: g.privileges })),
    t.groups.map((g) => ({ name: g.name, arn: g.arn, privileges: g.privileges })),
    'user.groups',
  );
  check(u.has_mfa, t.hasMfa, 'user.has_mfa');
  check(u.type_id, t.isAdmin ? 2 : 1, 'user.type_id');
  check(u.type, t.isAdmin ? 'Admin' : 'User', 'user.type');
  check(aws.admin_via ?? [], t.adminVia, 'unmapped.aws.admin_via');
  check(aws.path, t.path, 'unmapped.aws.path');
  check(aws.attached_policies, t.attachedPolicyNames, 'unmapped.aws.attached_policies');
  check(aws.inline_policies, t.inlinePolicyNames, 'unmapped.aws.inline_policies');
  // Complete or absent, never partial: absent only where the credential report says MFA is on and no call
  // listed the devices.
  const devicesUnknown = aws.mfa_types === undefined && aws.mfa_source === 'credential_report' && t.hasMfa;
  if (!devicesUnknown) {
    check(aws.mfa_serials, [...t.mfaSerials].sort(), 'unmapped.aws.mfa_serials');
    check(aws.mfa_types, t.mfaTypes, 'unmapped.aws.mfa_types');
  } else check(aws.mfa_serials, undefined, 'unmapped.aws.mfa_serials');
  check(
    (u.programmatic_credentials ?? []).map((k: any) => ({ id: k.uid, lastUsedTime: k.last_used_time })),
    t.accessKeys.map((k) => ({ id: k.id, lastUsedTime: k.lastUsedTime })),
    'user.programmatic_credentials',
  );
  check(
    (aws.access_keys ?? []).map((k: any) => ({ id: k.id, status: k.status, createDate: k.created_time })),
    t.accessKeys.map((k) => ({ id: k.id, status: k.status, createDate: k.createDate })),
    'unmapped.aws.access_keys',
  );
  check(aws.login_profile?.present, t.hasLoginProfile, 'unmapped.aws.login_profile.present');
  check(u.account.is_disabled, t.isDisabled, 'user.account.is_disabled');
  check(
    (u.account.tags ?? []).map((kv: any) => ({ key: kv.name, value: kv.value })),
    t.tags,
    'user.account.tags',
  );
  check(aws.permissions_boundary?.arn, t.permissionsBoundaryArn, 'unmapped.aws.permissions_boundary.arn');
}
