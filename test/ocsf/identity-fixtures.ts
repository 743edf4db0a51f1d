import type {
  IamRole,
  IamUser,
  IdentityCenterUser,
  ManagedPolicyRef,
  PolicyDocument,
} from '../../src/identity/identity.js';
import type { MappingContext } from '../../src/ocsf/map-identity.js';

// Hand-built identities covering the mapping's cases. Fixed times keep the golden files stable.

export const ACCOUNT_ID = '123456789012';
const T0 = Date.UTC(2024, 0, 15, 9, 30, 0);
const DAY = 86_400_000;

export const mappingContext: MappingContext = {
  collectedAt: Date.UTC(2025, 5, 1, 12, 0, 0),
  runId: 'run-00000000-0000-4000-8000-000000000001',
  eventId: 'evt-00000000-0000-4000-8000-000000000001',
  eventTime: 'collected',
  productVersion: '0.1.0',
  risk: { unusedDays: 45, rotationDays: 90 },
};

const allowAll: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

export const administratorAccess: ManagedPolicyRef = {
  name: 'AdministratorAccess',
  arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  document: allowAll,
};

const readOnly: ManagedPolicyRef = {
  name: 'ReadOnlyAccess',
  arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:Describe*'], Resource: '*' }],
  },
};

function baseUser(name: string, overrides: Partial<IamUser> = {}): IamUser {
  return {
    kind: 'iam_user',
    accountId: ACCOUNT_ID,
    accountAlias: 'acme-prod',
    userName: name,
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`,
    path: '/',
    createDate: T0,
    groups: [],
    attachedPolicies: [],
    inlinePolicies: [],
    mfaDevices: [],
    mfaProvenance: { source: 'api' },
    accessKeys: [],
    loginProfile: null,
    tags: [],
    ...overrides,
  };
}

export const adminViaGroup: IamUser = baseUser('alice', {
  path: '/engineering/',
  passwordLastUsed: T0 + 30 * DAY,
  loginProfile: { createDate: T0 + DAY, passwordResetRequired: false },
  groups: [
    {
      name: 'readers',
      arn: `arn:aws:iam::${ACCOUNT_ID}:group/readers`,
      groupId: 'AGPAREADERSXXXXXXXXXX',
      attachedPolicies: [readOnly],
      inlinePolicies: [],
    },
    {
      name: 'admins',
      arn: `arn:aws:iam::${ACCOUNT_ID}:group/admins`,
      groupId: 'AGPAADMINSXXXXXXXXXXX',
      attachedPolicies: [administratorAccess],
      inlinePolicies: [
        {
          name: 'deny-billing',
          document: { Statement: { Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' } },
        },
      ],
    },
  ],
  mfaDevices: [{ serial: `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`, type: 'virtual', enableDate: T0 + DAY }],
  tags: [
    { key: 'team', value: 'platform' },
    { key: 'cost-center', value: 'cc-042' },
  ],
});

export const noGroups: IamUser = baseUser('bob', {
  accountAlias: undefined,
  attachedPolicies: [readOnly],
  inlinePolicies: [
    {
      name: 'iam-everything',
      document: { Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] },
    },
  ],
});

export const withMfa: IamUser = baseUser('carol', {
  passwordLastUsed: T0 + 2 * DAY,
  loginProfile: { createDate: T0 },
  mfaDevices: [
    { serial: `arn:aws:iam::${ACCOUNT_ID}:u2f/user/carol/fido-key-ABCDEF`, type: 'security_key' },
    { serial: 'GAHT12345678', type: 'hardware', enableDate: T0 + DAY },
    { serial: `arn:aws:iam::${ACCOUNT_ID}:mfa/carol-phone`, type: 'virtual', enableDate: T0 + 2 * DAY },
  ],
  mfaProvenance: { source: 'credential_report', reportGeneratedAt: Date.UTC(2025, 5, 1, 11, 0, 0) },
  permissionsBoundary: {
    arn: `arn:aws:iam::${ACCOUNT_ID}:policy/dev-boundary`,
    type: 'PermissionsBoundaryPolicy',
    document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
  },
  attachedPolicies: [administratorAccess],
});

export const twoKeys: IamUser = baseUser('deploy-bot', {
  path: '/service/',
  accessKeys: [
    { id: 'AKIAZZZZZZZZZZZZZZZ2', status: 'Inactive', createDate: T0 + 3 * DAY },
    {
      id: 'AKIAAAAAAAAAAAAAAAA1',
      status: 'Active',
      createDate: T0 + DAY,
      lastUsedTime: T0 + 100 * DAY,
      lastUsedService: 'sts',
      lastUsedRegion: 'eu-west-1',
    },
  ],
  inlinePolicies: [
    { name: 'breakglass', document: { Statement: [{ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] }] } },
  ],
});

export const disabledUser: IamUser = baseUser('dormant', {
  accessKeys: [{ id: 'AKIADORMANTDORMANT01', status: 'Inactive', createDate: T0 }],
  loginProfile: null,
});

export const role: IamRole = {
  kind: 'iam_role',
  accountId: ACCOUNT_ID,
  accountAlias: 'acme-prod',
  roleName: 'ci-deployer',
  roleId: 'AROACIDEPLOYERXXXXXXX',
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/ci/ci-deployer`,
  path: '/ci/',
  createDate: T0,
  description: 'Assumed by the CI runners',
  lastUsedTime: T0 + 50 * DAY,
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      {
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::210987654321:root`, `arn:aws:iam::${ACCOUNT_ID}:role/ops`] },
        Action: 'sts:AssumeRole',
      },
    ],
  },
  attachedPolicies: [administratorAccess],
  inlinePolicies: [],
  tags: [{ key: 'owner', value: 'ci' }],
};

export const identityCenterUser: IdentityCenterUser = {
  kind: 'identity_center_user',
  accountId: ACCOUNT_ID,
  accountAlias: 'acme-prod',
  identityStoreId: 'd-1234567890',
  userId: '94482488-3041-7026-18f3-be45837cd0e4',
  userName: 'jdoe',
  displayName: 'Jane Doe',
  givenName: 'Jane',
  familyName: 'Doe',
  primaryEmail: 'jane.doe@example.com',
  groups: [
    { groupId: 'f4e8a4c8-0001-70c4-5e0c-1b0e8a3f0b01', displayName: 'Security' },
    { groupId: 'f4e8a4c8-0002-70c4-5e0c-1b0e8a3f0b02', displayName: 'Engineering' },
  ],
};

export const DELETION_DETECTED_AT = Date.UTC(2025, 5, 2, 12, 0, 0);
