// Decoding a change-feed message and the identities a write can change, with plain inputs.
import { describe, expect, it } from '@jest/globals';
import { decodeChangeMessage } from '../../../src/collector/changes/change-record.js';
import { changeImpact, impactTargetKey } from '../../../src/collector/changes/change-impact.js';

const ACCOUNT = '111111111111';
const inScope = (a: string) => a === ACCOUNT;

function body(detail: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    detail: {
      eventSource: 'iam.amazonaws.com',
      recipientAccountId: ACCOUNT,
      eventTime: '2026-12-01T10:00:00Z',
      requestParameters: {},
      ...detail,
    },
    ...extra,
  });
}

const record = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  eventSource = 'iam.amazonaws.com',
) => {
  const d = decodeChangeMessage(body({ eventName, requestParameters, eventSource }), inScope);
  if (d.kind !== 'change') throw new Error(`expected a change, got ${d.kind}`);
  return d.record;
};

describe('decodeChangeMessage', () => {
  it('reads the CloudTrail record inside the EventBridge event', () => {
    const d = decodeChangeMessage(
      body({ eventName: 'CreateUser', requestParameters: { userName: 'ann' } }),
      inScope,
    );
    expect(d).toEqual({
      kind: 'change',
      record: {
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        accountId: ACCOUNT,
        eventTime: Date.parse('2026-12-01T10:00:00Z'),
        requestParameters: { userName: 'ann' },
        responseElements: {},
      },
    });
  });

  it.each([
    ['not json', 'the body is not JSON'],
    ['[1]', 'the body is not a JSON object'],
    [
      JSON.stringify({ 'detail-type': 'Scheduled Event', detail: {} }),
      'expected "AWS API Call via CloudTrail"',
    ],
    [body({ eventName: 'CreateUser', recipientAccountId: 'x' }), 'recipientAccountId'],
    [body({ eventName: 'CreateUser', eventTime: 'yesterday' }), 'eventTime'],
  ])('calls %s malformed', (text, problem) => {
    const d = decodeChangeMessage(text, inScope);
    expect(d.kind).toBe('malformed');
    expect(d.kind === 'malformed' && d.problem).toContain(problem);
  });

  it.each([
    [{ eventName: 'AttachUserPolicy', errorCode: 'AccessDenied' }, 'error_code'],
    [{ eventName: 'GetUser' }, 'read_only'],
    [{ eventName: 'CreateUser', readOnly: true }, 'read_only'],
    [{ eventName: 'CreateUser', recipientAccountId: '999999999999' }, 'out_of_scope'],
    [{ eventName: 'PutObject', eventSource: 's3.amazonaws.com' }, 'not_relevant'],
  ])('ignores %j as %s', (detail, reason) => {
    expect(decodeChangeMessage(body(detail), inScope)).toMatchObject({ kind: 'ignored', reason });
  });
});

describe('changeImpact', () => {
  const roles = { includeRoles: true };
  it('maps user events to the user, renames to both names', () => {
    expect(changeImpact(record('DeleteUser', { userName: 'ann' }), roles)).toEqual([
      { kind: 'user', accountId: ACCOUNT, userName: 'ann' },
    ]);
    expect(
      changeImpact(record('UpdateUser', { userName: 'ann', newUserName: 'anna' }), roles).map(
        impactTargetKey,
      ),
    ).toEqual([`user:${ACCOUNT}:ann`, `user:${ACCOUNT}:anna`]);
    expect(changeImpact(record('AddUserToGroup', { userName: 'bo', groupName: 'admins' }), roles)).toEqual([
      { kind: 'user', accountId: ACCOUNT, userName: 'bo' },
    ]);
  });

  it('maps group events to the members and policy versions to the attached entities', () => {
    expect(
      changeImpact(record('AttachGroupPolicy', { groupName: 'ops', policyArn: 'arn:x' }), roles),
    ).toEqual([{ kind: 'group_members', accountId: ACCOUNT, groupName: 'ops' }]);
    expect(
      changeImpact(record('SetDefaultPolicyVersion', { policyArn: 'arn:p', versionId: 'v2' }), roles),
    ).toEqual([{ kind: 'policy_entities', accountId: ACCOUNT, policyArn: 'arn:p' }]);
  });

  it('maps role events only when roles are inventoried', () => {
    const r = record('AttachRolePolicy', { roleName: 'deploy', policyArn: 'arn:x' });
    expect(changeImpact(r, roles)).toEqual([{ kind: 'role', accountId: ACCOUNT, roleName: 'deploy' }]);
    expect(changeImpact(r, { includeRoles: false })).toEqual([]);
  });

  it('maps Identity Store and Identity Center events', () => {
    const store = 'identitystore.amazonaws.com';
    expect(
      changeImpact(record('UpdateUser', { identityStoreId: 'd-1', userId: 'u-1' }, store), roles),
    ).toEqual([{ kind: 'identity_center_user', identityStoreId: 'd-1', userId: 'u-1' }]);
    expect(
      changeImpact(record('CreateGroupMembership', { identityStoreId: 'd-1', groupId: 'g-1' }, store), roles),
    ).toEqual([{ kind: 'identity_center_group_members', identityStoreId: 'd-1', groupId: 'g-1' }]);
    expect(changeImpact(record('CreateAccountAssignment', {}, 'sso.amazonaws.com'), roles)).toEqual([
      { kind: 'identity_center_all' },
    ]);
    for (const name of [
      'DeleteAccountAssignment',
      'PutInlinePolicyToPermissionSet',
      'AttachManagedPolicyToPermissionSet',
      'AttachCustomerManagedPolicyReferenceToPermissionSet',
      'PutPermissionsBoundaryToPermissionSet',
    ])
      expect(changeImpact(record(name, {}, 'sso.amazonaws.com'), roles)).toEqual([
        { kind: 'identity_center_all' },
      ]);
  });

  it('names no identity for writes that change none', () => {
    expect(changeImpact(record('CreatePolicy', { policyName: 'p' }), roles)).toEqual([]);
  });
});
