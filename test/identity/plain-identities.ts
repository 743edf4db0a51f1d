// The smallest valid identities, for rule tests that set only what they look at.
import type { IamRole, IamUser } from '../../src/identity/identity.js';

export function plainUser(overrides: Partial<IamUser> = {}): IamUser {
  return {
    kind: 'iam_user',
    accountId: '123456789012',
    userName: 'u',
    userId: 'AIDAU',
    arn: 'arn:aws:iam::123456789012:user/u',
    path: '/',
    createDate: 0,
    groups: [],
    attachedPolicies: [],
    inlinePolicies: [],
    mfaDevices: [],
    mfaProvenance: { source: 'api' },
    ...overrides,
  };
}

export function plainRole(overrides: Partial<IamRole> = {}): IamRole {
  return {
    kind: 'iam_role',
    accountId: '123456789012',
    roleName: 'r',
    roleId: 'AROAR',
    arn: 'arn:aws:iam::123456789012:role/r',
    path: '/',
    createDate: 0,
    attachedPolicies: [],
    inlinePolicies: [],
    ...overrides,
  };
}
