// A small world built by hand, so the wire tests know every value they assert without the generator.
import type { EmuAccount, EmuPolicy, EmuRole, EmuUser, EmuWorld } from '../../src/emulator/index.js';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const EXTERNAL_ID = 'ext-7f3a';
export const T0 = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;

export const ADMIN_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});
export const READ_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: 'arn:aws:s3:::bucket/*' }],
});

function awsPolicy(name: string, doc: string): EmuPolicy {
  return {
    arn: `arn:aws:iam::aws:policy/${name}`,
    name,
    policyId: `ANPA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    path: '/',
    awsManaged: true,
    createDate: T0,
    updateDate: T0,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: doc, isDefault: true, createDate: T0 }],
  };
}

function user(accountId: string, i: number): EmuUser {
  const userName = `user${String(i).padStart(4, '0')}`;
  const path = i % 3 === 0 ? '/engineering/' : '/';
  return {
    userName,
    userId: `AIDA${accountId.slice(0, 4)}${String(i).padStart(13, '0')}`,
    arn: `arn:aws:iam::${accountId}:user${path}${userName}`,
    path,
    createDate: T0 + i * DAY,
    passwordLastUsed: i % 4 === 0 ? T0 + (i + 10) * DAY : undefined,
    loginProfile: i % 2 === 0 ? { createDate: T0 + (i + 1) * DAY, passwordResetRequired: false } : undefined,
    groups: i % 5 === 0 ? [] : ['developers', ...(i % 7 === 0 ? ['admins'] : [])],
    attachedPolicyArns: i === 1 ? ['arn:aws:iam::aws:policy/AdministratorAccess'] : [],
    inlinePolicies: i === 2 ? { 'read-bucket': READ_DOC } : {},
    mfaDevices:
      i % 3 === 1
        ? [
            {
              serial: `arn:aws:iam::${accountId}:mfa/${userName}`,
              kind: 'virtual',
              enableDate: T0 + (i + 2) * DAY,
            },
          ]
        : [],
    accessKeys:
      i % 2 === 1
        ? [
            {
              accessKeyId: `AKIA${accountId.slice(0, 4)}${String(i).padStart(12, '0')}`,
              secretAccessKey: 'not-used',
              status: i % 4 === 1 ? 'Active' : 'Inactive',
              createDate: T0 + (i + 3) * DAY,
              lastUsed:
                i % 4 === 1
                  ? { date: T0 + (i + 5) * DAY, serviceName: 'iam', region: 'us-east-1' }
                  : undefined,
            },
          ]
        : [],
    tags:
      i === 3
        ? [
            { Key: 'team', Value: 'core & <ops>' },
            { Key: 'cost', Value: '42' },
          ]
        : [],
    permissionsBoundaryArn: i === 3 ? `arn:aws:iam::${accountId}:policy/boundary` : undefined,
  };
}

function role(accountId: string, roleName: string, trust: object): EmuRole {
  return {
    roleName,
    roleId: `AROA${roleName.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:aws:iam::${accountId}:role/${roleName}`,
    path: '/',
    createDate: T0,
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: JSON.stringify(trust),
    attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    inlinePolicies: { inline: READ_DOC },
    tags: [],
  };
}

function account(id: string, users: number): EmuAccount {
  const acct: EmuAccount = {
    id,
    alias: `alias-${id}`,
    users: new Map(),
    groups: new Map(),
    policies: new Map(),
    roles: new Map(),
    credentialReportDelayMs: 0,
  };
  for (let i = 0; i < users; i++) {
    const u = user(id, i);
    acct.users.set(u.userName, u);
  }
  acct.groups.set('developers', {
    groupName: 'developers',
    groupId: 'AGPADEVELOPERS0000001',
    arn: `arn:aws:iam::${id}:group/developers`,
    path: '/',
    createDate: T0,
    attachedPolicyArns: [`arn:aws:iam::${id}:policy/boundary`],
    inlinePolicies: { 'dev-inline': READ_DOC },
  });
  acct.groups.set('admins', {
    groupName: 'admins',
    groupId: 'AGPAADMINS0000000001',
    arn: `arn:aws:iam::${id}:group/admins`,
    path: '/',
    createDate: T0,
    attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    inlinePolicies: {},
  });
  const boundaryArn = `arn:aws:iam::${id}:policy/boundary`;
  acct.policies.set(boundaryArn, {
    arn: boundaryArn,
    name: 'boundary',
    policyId: 'ANPABOUNDARY000000001',
    path: '/',
    awsManaged: false,
    description: 'limits',
    createDate: T0,
    updateDate: T0 + DAY,
    defaultVersionId: 'v2',
    versions: [
      { versionId: 'v1', document: READ_DOC, isDefault: false, createDate: T0 },
      { versionId: 'v2', document: ADMIN_DOC, isDefault: true, createDate: T0 + DAY },
    ],
  });
  acct.roles.set(
    'InventoryRole',
    role(id, 'InventoryRole', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
        },
      ],
    }),
  );
  acct.roles.set(
    'Ec2Role',
    role(id, 'Ec2Role', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  );
  return acct;
}

/** Two accounts (A is the default key's account) with `usersPerAccount` users each. */
export function fixtureWorld(usersPerAccount = 25): EmuWorld {
  const world: EmuWorld = {
    accounts: new Map([
      [ACCOUNT_A, account(ACCOUNT_A, usersPerAccount)],
      [ACCOUNT_B, account(ACCOUNT_B, Math.min(usersPerAccount, 5))],
    ]),
    awsManagedPolicies: new Map(
      [
        awsPolicy('AdministratorAccess', ADMIN_DOC),
        awsPolicy('ReadOnlyAccess', READ_DOC),
        awsPolicy('IAMFullAccess', READ_DOC),
      ].map((p) => [p.arn, p]),
    ),
    credentials: new Map(),
    identityStores: new Map(),
    defaultAccountId: ACCOUNT_A,
  };
  return world;
}
