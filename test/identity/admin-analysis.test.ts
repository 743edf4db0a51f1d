import { describe, expect, it } from '@jest/globals';
import type {
  IamGroup,
  ManagedPolicyRef,
  PolicyDocument,
  PolicyStatement,
} from '../../src/identity/identity.js';
import { analyzeAdmin, documentGrantsEverything } from '../../src/identity/admin-analysis.js';
import { plainRole, plainUser } from './plain-identities.js';

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});
const managed = (
  name: string,
  document?: PolicyDocument,
  arn = `arn:aws:iam::123456789012:policy/${name}`,
): ManagedPolicyRef => ({
  name,
  arn,
  document,
});
const adminAccess = (document?: PolicyDocument): ManagedPolicyRef =>
  managed('AdministratorAccess', document, 'arn:aws:iam::aws:policy/AdministratorAccess');
const group = (
  name: string,
  attached: ManagedPolicyRef[] = [],
  inline: IamGroup['inlinePolicies'] = [],
): IamGroup => ({
  name,
  arn: `arn:aws:iam::123456789012:group/${name}`,
  attachedPolicies: attached,
  inlinePolicies: inline,
});

const user = plainUser;

const powerUserAccess = doc(
  { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
  { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles'], Resource: '*' },
);

describe('documentGrantsEverything', () => {
  it.each<[string, PolicyDocument]>([
    ['Action "*" Resource "*"', doc({ Effect: 'Allow', Action: '*', Resource: '*' })],
    [
      'Action ["*"] Resource ["*"]',
      doc({ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['arn:aws:s3:::b', '*'] }),
    ],
    ['Action "*:*"', doc({ Effect: 'Allow', Action: '*:*', Resource: '*' })],
    ['a single statement object', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }],
    ['an empty Condition', doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} })],
  ])('admin: %s', (_name, document) => {
    expect(documentGrantsEverything(document)).toBe(true);
  });

  it.each<[string, PolicyDocument]>([
    ['iam:*', doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })],
    ['* on a narrower resource', doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' })],
    ['NotAction grant (PowerUserAccess)', powerUserAccess],
    ['NotResource grant', doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::secret' })],
    [
      '* on * with a Condition',
      doc({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    ],
    ['Deny * on *', doc({ Effect: 'Deny', Action: '*', Resource: '*' })],
    ['s3:* and ec2:*', doc({ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' })],
    ['no statements', { Version: '2012-10-17' }],
    ['an action that merely contains *', doc({ Effect: 'Allow', Action: '*:Get*', Resource: '*' })],
  ])('not admin: %s', (_name, document) => {
    expect(documentGrantsEverything(document)).toBe(false);
  });
});

describe('analyzeAdmin', () => {
  const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

  it('finds every path and reports them sorted in the ground-truth forms', () => {
    const analysis = analyzeAdmin(
      user({
        attachedPolicies: [adminAccess(), managed('custom-admin', allowAll)],
        inlinePolicies: [{ name: 'breakglass', document: allowAll }],
        groups: [
          group('ops', [managed('ops-all', doc({ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] }))]),
          group('admins', [adminAccess()], [{ name: 'everything', document: allowAll }]),
        ],
      }),
    );
    expect(analysis).toEqual({
      isAdmin: true,
      boundary: 'none',
      via: [
        'group:admins/AdministratorAccess',
        'group:ops/ops-all',
        'inline:group:admins/everything',
        'inline:user/breakglass',
        'user/AdministratorAccess',
        'user/custom-admin',
      ],
    });
  });

  it('is not admin through decoys', () => {
    const analysis = analyzeAdmin(
      user({
        attachedPolicies: [
          managed('PowerUserAccess', powerUserAccess, 'arn:aws:iam::aws:policy/PowerUserAccess'),
          managed('IAMFullAccess', doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })),
          // A customer policy that borrows the name but not the grant.
          managed('AdministratorAccess', doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })),
        ],
        inlinePolicies: [
          {
            name: 'one-bucket',
            document: doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }),
          },
          {
            name: 'mfa-only',
            document: doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: {} } }),
          },
        ],
        groups: [
          group('readers', [
            managed('ReadOnlyAccess', doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' })),
          ]),
        ],
      }),
    );
    expect(analysis).toEqual({ isAdmin: false, via: [], boundary: 'none' });
  });

  it('a boundary that does not allow * on * means not admin', () => {
    const boundary = {
      arn: 'arn:aws:iam::123456789012:policy/b',
      document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    };
    expect(analyzeAdmin(user({ attachedPolicies: [adminAccess()], permissionsBoundary: boundary }))).toEqual({
      isAdmin: false,
      via: [],
      boundary: 'restricts',
    });
  });

  it('a boundary that allows * on * changes nothing', () => {
    const permissive = { arn: 'arn:aws:iam::123456789012:policy/b', document: allowAll };
    expect(
      analyzeAdmin(user({ attachedPolicies: [adminAccess()], permissionsBoundary: permissive })),
    ).toMatchObject({
      isAdmin: true,
      boundary: 'allows',
    });
    const managedAdmin = { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
    expect(
      analyzeAdmin(user({ attachedPolicies: [adminAccess()], permissionsBoundary: managedAdmin })),
    ).toMatchObject({
      isAdmin: true,
      boundary: 'allows',
    });
  });

  it('a boundary whose document was not read leaves the verdict to the policies, marked unverified', () => {
    const unread = { arn: 'arn:aws:iam::123456789012:policy/b' };
    expect(analyzeAdmin(user({ attachedPolicies: [adminAccess()], permissionsBoundary: unread }))).toEqual({
      isAdmin: true,
      via: ['user/AdministratorAccess'],
      boundary: 'unverified',
    });
  });

  it('without documents, only AdministratorAccess by ARN or name counts', () => {
    const analysis = analyzeAdmin(
      user({
        attachedPolicies: [managed('custom-admin')],
        inlinePolicies: [{ name: 'breakglass' }],
        groups: [group('admins', [adminAccess()]), group('legacy', [managed('AdministratorAccess')])],
      }),
    );
    expect(analysis.via).toEqual(['group:admins/AdministratorAccess', 'group:legacy/AdministratorAccess']);
  });

  it('the AWS managed policy is admin in every partition', () => {
    const govCloud = managed(
      'AdministratorAccess',
      undefined,
      'arn:aws-us-gov:iam::aws:policy/AdministratorAccess',
    );
    expect(analyzeAdmin(user({ attachedPolicies: [govCloud] })).isAdmin).toBe(true);
  });

  it('roles use the role/ forms', () => {
    const role = plainRole({
      attachedPolicies: [adminAccess()],
      inlinePolicies: [{ name: 'all', document: allowAll }],
    });
    expect(analyzeAdmin(role).via).toEqual(['inline:role/all', 'role/AdministratorAccess']);
  });
});
