// Customer managed policies and permission boundaries, created in every account: admin routes in each form
// a collector must recognise, decoys that only look powerful, and ordinary grants.
import type { BoundaryTemplate, CatalogPolicy } from './catalog-types.js';
import { doc, docSingle } from './documents.js';

/** Customer managed policy templates, created in every account (ARN = the account's). */
export const CUSTOMER_POLICY_TEMPLATES: readonly CatalogPolicy[] = [
  // --- admin-equivalent, in the forms a collector must recognise ---
  {
    name: 'PlatformFullAccess',
    path: '/',
    description: 'Full access for the platform team',
    document: doc({ Sid: 'FullAccess', Effect: 'Allow', Action: '*', Resource: '*' }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'BreakGlassAccess',
    path: '/security/',
    description: 'Emergency access, list form',
    document: doc({ Effect: 'Allow', Action: ['*'], Resource: ['*'] }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'LegacyRootEquivalent',
    path: '/',
    description: 'Service-colon-wildcard form',
    document: doc({ Effect: 'Allow', Action: '*:*', Resource: '*' }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'OpsMixedAccess',
    path: '/ops/',
    description: 'A harmless statement followed by a full grant',
    document: doc(
      {
        Sid: 'ReadLogs',
        Effect: 'Allow',
        Action: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
        Resource: '*',
      },
      { Sid: 'Everything', Effect: 'Allow', Action: ['ec2:*', '*'], Resource: '*' },
    ),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'SingleStatementAdmin',
    path: '/',
    description: 'Statement as an object, not a list',
    document: docSingle({ Effect: 'Allow', Action: '*', Resource: ['*'] }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    // The default version is admin; the older v1 was not. Readers must use the default version.
    name: 'PromotedOpsAccess',
    path: '/ops/',
    description: 'Widened to full access in v2',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    previousVersions: [doc({ Effect: 'Allow', Action: ['ec2:*', 'cloudwatch:*'], Resource: '*' })],
    adminEquivalent: true,
    role: 'admin',
  },
  // --- decoys: look powerful, are not admin ---
  {
    name: 'DataLakeBucketFullAccess',
    path: '/',
    description: 'Everything, but on one bucket',
    document: doc({
      Effect: 'Allow',
      Action: '*',
      Resource: ['arn:aws:s3:::acme-data-lake', 'arn:aws:s3:::acme-data-lake/*'],
    }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'IamWildcardManager',
    path: '/',
    description: 'iam:* on everything',
    document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'S3Everything',
    path: '/',
    description: 's3:* on everything',
    document: doc({ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'AllButIam',
    path: '/',
    description: 'NotAction grant',
    document: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'MfaConditionalAdmin',
    path: '/security/',
    description: 'Allow * on * only with MFA and from the office',
    document: doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
      },
    }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'AllExceptSecrets',
    path: '/',
    description: 'Allow * with NotResource',
    document: doc({ Effect: 'Allow', Action: '*', NotResource: ['arn:aws:s3:::acme-secrets/*'] }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'QuarantineDenyAll',
    path: '/security/',
    description: 'Deny everything (quarantined principal)',
    document: doc({ Effect: 'Deny', Action: '*', Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
    deniesAll: true,
  },
  {
    // The older v1 was admin; the default v2 is not. Readers must use the default version.
    name: 'DemotedOpsAccess',
    path: '/ops/',
    description: 'Narrowed in v2',
    document: doc({ Effect: 'Allow', Action: ['ec2:Describe*', 'cloudwatch:Get*'], Resource: '*' }),
    previousVersions: [doc({ Effect: 'Allow', Action: '*', Resource: '*' })],
    adminEquivalent: false,
    role: 'decoy',
  },
  // --- ordinary ---
  {
    name: 'DeveloperS3Access',
    path: '/engineering/',
    description: 'Read and write the team buckets',
    document: doc({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::acme-dev-*', 'arn:aws:s3:::acme-dev-*/*'],
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'CiDeployPolicy',
    path: '/',
    description: 'Deploy pipeline permissions',
    document: doc(
      { Effect: 'Allow', Action: ['ecr:*', 'ecs:UpdateService', 'ecs:DescribeServices'], Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/ecs-task-*' },
    ),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'CostExplorerRead',
    path: '/finance/',
    description: 'Cost explorer read access',
    document: doc({ Effect: 'Allow', Action: ['ce:Get*', 'ce:Describe*', 'budgets:View*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'SelfManageMfa',
    path: '/',
    description: 'Lets users manage their own MFA device',
    document: doc({
      Effect: 'Allow',
      Action: [
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:ListMFADevices',
        'iam:ResyncMFADevice',
      ],
      Resource: ['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}'],
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'KmsDecryptApp',
    path: '/engineering/',
    description: 'Decrypt with the application key',
    document: doc({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: 'arn:aws:kms:us-east-1:*:key/*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
];

/** Permission boundaries (customer managed policies in every account). */
export const BOUNDARY_TEMPLATES: readonly BoundaryTemplate[] = [
  {
    name: 'BoundaryAllowAll',
    path: '/boundaries/',
    description: 'Boundary that allows everything (does not limit an admin)',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    allowsAdmin: true,
  },
  {
    name: 'DeveloperBoundary',
    path: '/boundaries/',
    description: 'Boundary without IAM and Organizations',
    document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }),
    allowsAdmin: false,
  },
  {
    name: 'ContractorBoundary',
    path: '/boundaries/',
    description: 'Boundary limited to a few services',
    document: doc({
      Effect: 'Allow',
      Action: ['s3:*', 'ec2:Describe*', 'cloudwatch:*', 'logs:*'],
      Resource: '*',
    }),
    allowsAdmin: false,
  },
];
