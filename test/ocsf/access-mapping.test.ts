// Identity Center access in the event: assignments, admin accounts, Admin type, group privileges and the
// permission set of an AWSReservedSSO role, valid in every OCSF version (older ones keep the facts).
import { describe, expect, it } from '@jest/globals';
import type { OcsfVersion } from '../../src/config/config.js';
import type { IdentityCenterUser } from '../../src/identity/identity.js';
import { changeFingerprint } from '../../src/ocsf/change-fingerprint.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { identityCenterPermissionSet } from '../../src/ocsf/map-access.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { identityCenterUser, mappingContext, role } from './identity-fixtures.js';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-';
const withAccess: IdentityCenterUser = {
  ...identityCenterUser,
  groups: [
    { ...identityCenterUser.groups[0]!, permissionSets: ['AdministratorAccess', 'ReadOnly'] },
    { ...identityCenterUser.groups[1]!, permissionSets: [] },
  ],
  assignments: [
    {
      accountId: '111111111111',
      accountName: 'prod',
      permissionSetArn: `${PS}1`,
      permissionSetName: 'AdministratorAccess',
      via: 'group:Security',
      admin: true,
    },
    {
      accountId: '222222222222',
      permissionSetArn: `${PS}2`,
      permissionSetName: 'PlatformAdmin',
      via: 'user',
      admin: false,
      adminUnverified: true,
    },
  ],
};

describe('Identity Center access mapping', () => {
  it('maps assignments, admin accounts, Admin and group privileges', () => {
    const event = mapIdentity(withAccess, mappingContext);
    expect(event.user.type_id).toBe(2);
    expect(event.user.groups?.map((g) => g.privileges)).toEqual([[], ['AdministratorAccess', 'ReadOnly']]);
    const aws = event.unmapped?.aws as Record<string, unknown>;
    expect(aws.admin_accounts).toEqual(['111111111111']);
    expect(aws.account_assignments).toEqual([
      {
        account_id: '111111111111',
        account_name: 'prod',
        permission_set_arn: `${PS}1`,
        permission_set_name: 'AdministratorAccess',
        via: 'group:Security',
        admin: true,
      },
      {
        account_id: '222222222222',
        permission_set_arn: `${PS}2`,
        permission_set_name: 'PlatformAdmin',
        via: 'user',
        admin: false,
        admin_unverified: true,
      },
    ]);
    // Access not collected: no access fields, type User.
    const plain = mapIdentity(identityCenterUser, mappingContext);
    expect(plain.user.type_id).toBe(1);
    expect((plain.unmapped?.aws as Record<string, unknown>).account_assignments).toBeUndefined();
  });

  it('a removed assignment changes the fingerprint', () => {
    const fewer = { ...withAccess, assignments: withAccess.assignments!.slice(1) };
    const a = changeFingerprint(mapIdentity(withAccess, mappingContext) as never);
    const b = changeFingerprint(mapIdentity(fewer, mappingContext) as never);
    expect(a).not.toBe(b);
  });

  const versions: OcsfVersion[] = ['1.8.0', '1.6.0', '1.3.0', '1.1.0'];
  it.each(versions)('is valid under OCSF %s and keeps every fact', (version) => {
    const prepared = prepareEvent(withAccess, mappingContext, version);
    expect(prepared.ok ? [] : prepared.errors).toEqual([]);
    const json = JSON.stringify(prepared.event);
    for (const fact of ['admin_unverified', 'group:Security', 'PlatformAdmin', 'ReadOnly', '111111111111'])
      expect(json).toContain(fact);
  });

  it('names the permission set of an AWSReservedSSO role', () => {
    expect(identityCenterPermissionSet('AWSReservedSSO_AdministratorAccess_0123456789abcdef')).toBe(
      'AdministratorAccess',
    );
    expect(identityCenterPermissionSet('AWSReservedSSO_Data_Eng_0123456789abcdef')).toBe('Data_Eng');
    expect(identityCenterPermissionSet('AWSReservedSSOAdmin')).toBeUndefined();
    const event = mapIdentity(
      { ...role, roleName: 'AWSReservedSSO_ReadOnly_aaaabbbbccccdddd' },
      mappingContext,
    );
    expect((event.unmapped?.aws as Record<string, unknown>).identity_center_permission_set).toBe('ReadOnly');
  });
});
