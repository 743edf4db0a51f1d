import { describe, expect, it } from '@jest/globals';
import type { Identity } from '../../src/identity/identity.js';
import type { OcsfVersion } from '../../src/config/config.js';
import { toDeletionEvent } from '../../src/ocsf/delete-event.js';
import { prepareDeletionEvent, prepareEvent } from '../../src/ocsf/event-preparer.js';
import type { UserInventoryEvent } from '../../src/ocsf/event.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { projectToVersion } from '../../src/ocsf/project.js';
import { loadCompiledSchema } from '../../src/ocsf/schema-files.js';
import { createEventValidator } from '../../src/ocsf/validate.js';
import { expectGolden } from './golden.js';
import {
  ACCOUNT_ID,
  DELETION_DETECTED_AT,
  adminViaGroup,
  disabledUser,
  identityCenterUser,
  mappingContext,
  noGroups,
  role,
  twoKeys,
  withMfa,
} from './identity-fixtures.js';

const cases: Array<[string, Identity]> = [
  ['admin-via-group', adminViaGroup],
  ['no-groups', noGroups],
  ['mfa', withMfa],
  ['two-keys', twoKeys],
  ['disabled', disabledUser],
  ['role', role],
  ['identity-center-user', identityCenterUser],
];
const versions: OcsfVersion[] = ['1.8.0', '1.6.0', '1.3.0', '1.1.0'];

function deletionOf(version: OcsfVersion): UserInventoryEvent {
  const last = prepareEvent(adminViaGroup, mappingContext, version);
  const deletion = prepareDeletionEvent(
    last.event,
    { detectedAt: DELETION_DETECTED_AT, runId: 'run-2', eventId: 'evt-2' },
    version,
  );
  if (!deletion.ok) throw new Error(deletion.errors.join('\n'));
  return deletion.event;
}

describe.each(versions)('OCSF %s events', (version) => {
  it.each(cases)('%s maps to a valid event equal to its golden file', (name, identity) => {
    const prepared = prepareEvent(identity, mappingContext, version);
    expect(prepared.ok ? [] : prepared.errors).toEqual([]);
    expect(prepared.event.metadata.version).toBe(version);
    expectGolden(version, name, prepared.event);
  });

  it('a deletion event is valid and equal to its golden file', () => {
    const event = deletionOf(version);
    expect(createEventValidator(version).validate(event)).toEqual({ valid: true });
    expectGolden(version, 'deletion', event);
  });
});

describe('mapping rules', () => {
  const map = (identity: Identity): UserInventoryEvent => mapIdentity(identity, mappingContext);

  it('fills the classification with the OCSF captions and integer milliseconds', () => {
    const event = map(adminViaGroup);
    expect(event).toMatchObject({
      class_uid: 5003,
      class_name: 'User Inventory Info',
      category_uid: 5,
      category_name: 'Discovery',
      activity_id: 2,
      activity_name: 'Collect',
      type_uid: 500302,
      type_name: 'User Inventory Info: Collect',
      severity_id: 1,
      severity: 'Informational',
      time: mappingContext.collectedAt,
    });
    expect(Number.isInteger(event.time)).toBe(true);
    expect(event.metadata).toEqual({
      version: '1.8.0',
      product: { name: 'iam-inventory', vendor_name: 'iam-inventory', version: '0.1.0' },
      profiles: ['cloud'],
      uid: mappingContext.eventId,
      correlation_uid: mappingContext.runId,
    });
  });

  it('event_time created uses the CreateDate', () => {
    const event = mapIdentity(adminViaGroup, { ...mappingContext, eventTime: 'created' });
    expect(event.time).toBe(adminViaGroup.createDate);
  });

  it('the account object is the AWS account, not the user', () => {
    const { user, cloud } = map(adminViaGroup);
    expect(user.account).toMatchObject({
      type_id: 10,
      type: 'AWS Account',
      uid: ACCOUNT_ID,
      name: 'acme-prod',
    });
    expect(user.account.tags).toEqual([
      { name: 'cost-center', value: 'cc-042' },
      { name: 'team', value: 'platform' },
    ]);
    expect(user.org).toEqual({ uid: ACCOUNT_ID, name: 'acme-prod' });
    expect(cloud).toEqual({
      provider: 'AWS',
      account: { type_id: 10, type: 'AWS Account', uid: ACCOUNT_ID, name: 'acme-prod' },
    });
    const withoutAlias = map(noGroups).user;
    expect(withoutAlias.account.name).toBe(ACCOUNT_ID);
    expect(withoutAlias.org).toEqual({ uid: ACCOUNT_ID, name: `AWS Account ${ACCOUNT_ID}` });
  });

  it('admin via a group makes type Admin with the reason in unmapped', () => {
    const event = map(adminViaGroup);
    expect(event.user.type_id).toBe(2);
    expect(event.user.type).toBe('Admin');
    expect(event.unmapped?.aws.admin_via).toEqual(['group:admins/AdministratorAccess']);
    expect(event.user.groups?.map((group) => [group.name, group.privileges])).toEqual([
      ['admins', ['AdministratorAccess', 'deny-billing']],
      ['readers', ['ReadOnlyAccess']],
    ]);
  });

  it('a restricting permissions boundary keeps an AdministratorAccess holder a User', () => {
    expect(map(withMfa).user).toMatchObject({ type_id: 1, type: 'User', has_mfa: true });
    expect(map(withMfa).unmapped?.aws).toMatchObject({
      mfa_types: ['hardware', 'security_key', 'virtual'],
      mfa_source: 'credential_report',
      credential_report_age_seconds: 3600,
      admin_via: [],
    });
  });

  it('gives the report time whenever a credential fact came from the report, also with MFA from the API', () => {
    const generatedAt = mappingContext.collectedAt - 7200_000;
    const fromReport: Identity = { ...twoKeys, credentialReportGeneratedAt: generatedAt };
    expect(map(fromReport).unmapped?.aws).toMatchObject({
      mfa_source: 'api',
      credential_report_generated_time: generatedAt,
      credential_report_age_seconds: 7200,
    });
    expect(map(twoKeys).unmapped?.aws.credential_report_generated_time).toBeUndefined();
    expect(map(twoKeys).unmapped?.aws.credential_report_age_seconds).toBeUndefined();
  });

  it('access keys become programmatic credentials sorted by id', () => {
    const { user, unmapped } = map(twoKeys);
    expect(user.programmatic_credentials).toEqual([
      {
        uid: 'AKIAAAAAAAAAAAAAAAA1',
        type: 'AWS Access Key',
        last_used_time: twoKeys.accessKeys?.[1]?.lastUsedTime,
      },
      { uid: 'AKIAZZZZZZZZZZZZZZZ2', type: 'AWS Access Key' },
    ]);
    expect(user.account.is_disabled).toBe(false);
    expect(user.type_id).toBe(2);
    expect(unmapped?.aws.admin_via).toEqual(['inline:user/breakglass']);
  });

  it('is_disabled only when both login profile and keys were collected', () => {
    expect(map(disabledUser).user.account.is_disabled).toBe(true);
    expect(map({ ...disabledUser, accessKeys: undefined }).user.account).not.toHaveProperty('is_disabled');
    expect(map({ ...disabledUser, loginProfile: undefined }).user.account).not.toHaveProperty('is_disabled');
  });

  it('omits what was not collected instead of emitting null', () => {
    const event = map({ ...noGroups, accessKeys: undefined, loginProfile: undefined, tags: undefined });
    expect(event.user).not.toHaveProperty('programmatic_credentials');
    expect(event.user.account).not.toHaveProperty('tags');
    expect(event.user.ldap_person).not.toHaveProperty('last_login_time');
    expect(event.unmapped?.aws).not.toHaveProperty('access_keys');
    expect(event.unmapped?.aws).not.toHaveProperty('login_profile');
    expect(JSON.stringify(event)).not.toContain('null');
  });

  it('roles are Service users with their trust principals', () => {
    const { user, unmapped } = map(role);
    expect(user).toMatchObject({ type_id: 4, type: 'Service', uid: role.arn, uid_alt: role.roleId });
    expect(user.account.type_id).toBe(10);
    expect(unmapped?.aws).toMatchObject({
      source: 'iam_role',
      is_admin: true,
      admin_via: ['role/AdministratorAccess'],
      trust_principals: [
        'AWS:arn:aws:iam::123456789012:role/ops',
        'AWS:arn:aws:iam::210987654321:root',
        'Service:ec2.amazonaws.com',
      ],
    });
  });

  it('Identity Center users carry the store as domain and no MFA claim', () => {
    const { user, unmapped } = map(identityCenterUser);
    expect(user).toMatchObject({
      uid: identityCenterUser.userId,
      domain: 'd-1234567890',
      name: 'jdoe',
      display_name: 'Jane Doe',
      full_name: 'Jane Doe',
      email_addr: 'jane.doe@example.com',
      type_id: 1,
    });
    expect(user).not.toHaveProperty('has_mfa');
    expect(user.groups?.map((group) => group.name)).toEqual(['Engineering', 'Security']);
    expect(unmapped?.aws.source).toBe('identity_center');
  });

  it('a deletion keeps the last user and marks it deleted', () => {
    const last = map(adminViaGroup);
    const deletion = toDeletionEvent(last, {
      detectedAt: DELETION_DETECTED_AT,
      runId: 'run-2',
      eventId: 'evt-2',
    });
    expect(deletion).toMatchObject({
      activity_id: 99,
      activity_name: 'Delete',
      type_uid: 500399,
      type_name: 'User Inventory Info: Other',
      time: DELETION_DETECTED_AT,
      metadata: { uid: 'evt-2', correlation_uid: 'run-2' },
    });
    expect(deletion.user.ldap_person?.deleted_time).toBe(DELETION_DETECTED_AT);
    expect(deletion.user.uid).toBe(last.user.uid);
    expect(last.user.ldap_person).not.toHaveProperty('deleted_time');
  });
});

describe('projection', () => {
  const to = (event: UserInventoryEvent, version: OcsfVersion): UserInventoryEvent =>
    projectToVersion(event, version, loadCompiledSchema(version));

  it('moves what 1.6.0 does not define under unmapped.ocsf, driven by the schema', () => {
    const event = mapIdentity(adminViaGroup, mappingContext);
    const projected = to(event, '1.6.0');
    expect(projected.metadata.version).toBe('1.6.0');
    expect(projected.user.account).not.toHaveProperty('is_disabled');
    expect(projected.user.groups?.[0]).not.toHaveProperty('uid_alt');
    expect(projected.unmapped?.aws).toEqual(event.unmapped?.aws);
    // Same path, same shape: list members by index.
    expect(projected.unmapped?.ocsf).toEqual({
      user: {
        account: { is_disabled: false },
        groups: event.user.groups?.map((group) => ({ uid_alt: group.uid_alt })),
      },
    });
  });

  it('moves MFA and access keys whole for 1.3.0 and 1.1.0', () => {
    const event = mapIdentity(twoKeys, mappingContext);
    for (const version of ['1.3.0', '1.1.0'] as const) {
      const projected = to(event, version);
      expect(projected.user).not.toHaveProperty('has_mfa');
      expect(projected.user).not.toHaveProperty('programmatic_credentials');
      expect(projected.unmapped?.ocsf?.user).toMatchObject({
        has_mfa: event.user.has_mfa,
        programmatic_credentials: event.user.programmatic_credentials,
      });
    }
  });

  it('an id the target enum lacks becomes 99 Other, its value moved and its caption kept', () => {
    const projected = to(mapIdentity(role, mappingContext), '1.3.0');
    expect(projected.user).toMatchObject({ type_id: 99, type: 'Service' });
    expect(projected.unmapped?.ocsf?.user).toMatchObject({ type_id: 4 });
    expect(createEventValidator('1.3.0').validate(projected)).toEqual({ valid: true });
  });

  it('projecting a projected event again changes nothing (deletions re-project the last event)', () => {
    const once = to(mapIdentity(adminViaGroup, mappingContext), '1.3.0');
    expect(to(structuredClone(once), '1.3.0')).toEqual(once);
  });

  it('keeps everything 1.8.0 defines', () => {
    const event = mapIdentity(adminViaGroup, mappingContext);
    expect(to(event, '1.8.0')).toEqual(event);
  });

  it('leaves the event it projects unchanged, whatever moves (the result shares what needed no change)', () => {
    for (const identity of [adminViaGroup, role]) {
      for (const version of ['1.8.0', '1.3.0', '1.1.0'] as const) {
        const event = mapIdentity(identity, mappingContext);
        const before = structuredClone(event);
        const projected = to(event, version);
        expect(event).toEqual(before);
        expect(projected).not.toBe(event);
        expect(projected.metadata).not.toBe(event.metadata);
      }
    }
  });

  it('refuses a schema of another version', () => {
    const event = mapIdentity(adminViaGroup, mappingContext);
    expect(() => projectToVersion(event, '1.6.0', loadCompiledSchema('1.8.0'))).toThrow(/not 1.6.0/);
  });

  it('refuses to move attributes into an unmapped object the schema closes', () => {
    const schema = structuredClone(loadCompiledSchema('1.6.0'));
    (schema.properties as Record<string, unknown>).unmapped = { type: 'object', properties: {} };
    const event = mapIdentity(adminViaGroup, mappingContext);
    expect(() => projectToVersion(event, '1.6.0', schema)).toThrow(/unmapped is not a free-form object/);
  });
});
