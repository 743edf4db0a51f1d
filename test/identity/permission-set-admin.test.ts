import { describe, expect, it } from '@jest/globals';
import type { PermissionSet, PolicyDocument } from '../../src/identity/identity.js';
import { analyzePermissionSet, type CustomerPolicyLookup } from '../../src/identity/permission-set-admin.js';

const all: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const iamAll: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] };
const conditioned: PolicyDocument = {
  Statement: [
    {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ],
};
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER = 'arn:aws:iam::aws:policy/PowerUserAccess';
const ref = { name: 'Platform', path: '/' };

const ps = (over: Partial<PermissionSet>): PermissionSet => ({
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  name: 'P',
  managedPolicies: [],
  customerManagedPolicies: [],
  ...over,
});
const unread: CustomerPolicyLookup = () => undefined;
const reads =
  (document: PolicyDocument | null): CustomerPolicyLookup =>
  () =>
    document;

describe('permission set admin analysis', () => {
  it('AdministratorAccess by ARN and an inline * on * are admin; decoys are not', () => {
    expect(
      analyzePermissionSet(ps({ managedPolicies: [{ name: 'AdministratorAccess', arn: ADMIN }] }), unread),
    ).toEqual({
      admin: true,
      unverified: false,
    });
    expect(analyzePermissionSet(ps({ inlinePolicy: all }), unread).admin).toBe(true);
    expect(
      analyzePermissionSet(ps({ managedPolicies: [{ name: 'PowerUserAccess', arn: POWER }] }), unread).admin,
    ).toBe(false);
    expect(analyzePermissionSet(ps({ inlinePolicy: iamAll }), unread).admin).toBe(false);
    expect(analyzePermissionSet(ps({ inlinePolicy: conditioned }), unread).admin).toBe(false);
  });

  it('a boundary that does not allow * on * cancels; AdministratorAccess as boundary does not', () => {
    const admin = { inlinePolicy: all };
    expect(
      analyzePermissionSet(ps({ ...admin, permissionsBoundary: { managedPolicyArn: POWER } }), unread).admin,
    ).toBe(false);
    expect(
      analyzePermissionSet(ps({ ...admin, permissionsBoundary: { managedPolicyArn: ADMIN } }), unread).admin,
    ).toBe(true);
    const customer = { ...admin, permissionsBoundary: { customerManagedPolicy: ref } };
    expect(analyzePermissionSet(ps(customer), reads(iamAll))).toEqual({ admin: false, unverified: false });
    expect(analyzePermissionSet(ps(customer), reads(all))).toEqual({ admin: true, unverified: false });
    expect(analyzePermissionSet(ps(customer), unread)).toEqual({ admin: false, unverified: true });
  });

  it('a customer managed reference is judged by the account copy, unverified when unread', () => {
    const set = ps({ customerManagedPolicies: [ref] });
    expect(analyzePermissionSet(set, reads(all))).toEqual({ admin: true, unverified: false });
    expect(analyzePermissionSet(set, reads(iamAll))).toEqual({ admin: false, unverified: false });
    expect(analyzePermissionSet(set, reads(null))).toEqual({ admin: false, unverified: false });
    expect(analyzePermissionSet(set, unread)).toEqual({ admin: false, unverified: true });
    // Unread but cancelled anyway by an AWS managed boundary: verified not admin.
    expect(
      analyzePermissionSet(
        ps({ customerManagedPolicies: [ref], permissionsBoundary: { managedPolicyArn: POWER } }),
        unread,
      ),
    ).toEqual({
      admin: false,
      unverified: false,
    });
  });
});
