// Policy documents the generator hands out, each labelled by construction: `adminEquivalent` says whether
// a perfect analysis must call its holder Admin (an Allow statement with Action "*" / "*:*" / a list
// containing "*", Resource "*" and no Condition). Decoys look powerful but are not. The ground truth
// comes from these labels, never from re-analysing the documents.

export type PolicyRole = 'admin' | 'decoy' | 'ordinary';

export interface CatalogPolicy {
  name: string;
  path: string;
  description?: string;
  /** Default version's document, JSON text. Shared by every holder: one string per template. */
  document: string;
  adminEquivalent: boolean;
  role: PolicyRole;
  /** Earlier, non-default versions (oldest first); the default one is `document`. */
  previousVersions?: string[];
  /** Explicit Deny on everything: never combined with an admin grant (the two rules would disagree). */
  deniesAll?: boolean;
}

export interface BoundaryTemplate {
  name: string;
  path: string;
  description: string;
  document: string;
  /** True when the boundary itself allows "*" on "*", so it does not stop an admin grant. */
  allowsAdmin: boolean;
}

export interface InlineTemplate {
  name: string;
  document: string;
  adminEquivalent: boolean;
  role: PolicyRole;
  deniesAll?: boolean;
}

type Statement = Record<string, unknown>;

function doc(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4);
}

/** A document whose Statement is a single object, not a list (valid IAM grammar). */
function docSingle(statement: Statement): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 4);
}

export const AWS_MANAGED_ARN_PREFIX = 'arn:aws:iam::aws:policy';

export function awsManagedPolicyArn(p: { path: string; name: string }): string {
  return `${AWS_MANAGED_ARN_PREFIX}${p.path}${p.name}`;
}

export function customerPolicyArn(accountId: string, p: { path: string; name: string }): string {
  return `arn:aws:iam::${accountId}:policy${p.path}${p.name}`;
}

const READ_ONLY_ACTIONS = [
  'a4b:Get*',
  'a4b:List*',
  'acm:Describe*',
  'acm:Get*',
  'acm:List*',
  'cloudformation:Describe*',
  'cloudformation:Get*',
  'cloudformation:List*',
  'cloudtrail:Describe*',
  'cloudtrail:Get*',
  'cloudtrail:List*',
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  'dynamodb:BatchGetItem',
  'dynamodb:Describe*',
  'dynamodb:GetItem',
  'dynamodb:List*',
  'dynamodb:Query',
  'dynamodb:Scan',
  'ec2:Describe*',
  'ec2:Get*',
  'ecr:BatchGetImage',
  'ecr:Describe*',
  'ecr:List*',
  'ecs:Describe*',
  'ecs:List*',
  'eks:Describe*',
  'eks:List*',
  'iam:Generate*',
  'iam:Get*',
  'iam:List*',
  'iam:Simulate*',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'lambda:Get*',
  'lambda:List*',
  'logs:Describe*',
  'logs:Get*',
  'logs:List*',
  'organizations:Describe*',
  'organizations:List*',
  'rds:Describe*',
  'rds:List*',
  's3:Describe*',
  's3:Get*',
  's3:List*',
  'sns:Get*',
  'sns:List*',
  'sqs:Get*',
  'sqs:List*',
  'sts:GetCallerIdentity',
];

/** AWS managed policies (documents abridged where the real ones run to thousands of actions). */
export const AWS_MANAGED_POLICIES: readonly CatalogPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    description:
      'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    document: doc(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'IAMFullAccess',
    path: '/',
    description: 'Provides full access to IAM via the AWS Management Console.',
    document: doc({
      Effect: 'Allow',
      Action: [
        'iam:*',
        'organizations:DescribeAccount',
        'organizations:DescribeOrganization',
        'organizations:DescribeOrganizationalUnit',
        'organizations:DescribePolicy',
        'organizations:ListChildren',
        'organizations:ListParents',
        'organizations:ListPoliciesForTarget',
        'organizations:ListRoots',
        'organizations:ListPolicies',
        'organizations:ListTargetsForPolicy',
      ],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'AmazonS3FullAccess',
    path: '/',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    document: doc({ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    document: doc({ Sid: 'ReadOnlyActions', Effect: 'Allow', Action: READ_ONLY_ACTIONS, Resource: '*' }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'SecurityAudit',
    path: '/',
    description: 'The security audit template grants access to read security configuration metadata.',
    document: doc({
      Effect: 'Allow',
      Action: [
        'access-analyzer:GetAnalyzer',
        'access-analyzer:List*',
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetEventSelectors',
        'config:Describe*',
        'ec2:Describe*',
        'guardduty:Get*',
        'guardduty:List*',
        'iam:GenerateCredentialReport',
        'iam:Get*',
        'iam:List*',
        'kms:Describe*',
        'kms:List*',
        's3:GetBucketPolicy',
        's3:ListAllMyBuckets',
        'securityhub:Describe*',
        'securityhub:Get*',
      ],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'ViewOnlyAccess',
    path: '/job-function/',
    description:
      'This policy grants permissions to view resources and basic metadata across all AWS services.',
    document: doc({
      Effect: 'Allow',
      Action: [
        'cloudwatch:List*',
        'ec2:DescribeInstances',
        'ec2:DescribeSecurityGroups',
        'iam:List*',
        'lambda:List*',
        'rds:Describe*',
        's3:ListAllMyBuckets',
        's3:ListBucket',
      ],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'Billing',
    path: '/job-function/',
    description: 'Grants permissions for billing and cost management.',
    document: doc({
      Effect: 'Allow',
      Action: [
        'aws-portal:*',
        'billing:*',
        'budgets:*',
        'ce:*',
        'cur:*',
        'invoicing:*',
        'payments:*',
        'pricing:*',
        'tax:*',
      ],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'DatabaseAdministrator',
    path: '/job-function/',
    description:
      'Grants full access permissions to AWS services and actions required to set up and configure AWS database services.',
    document: doc(
      {
        Effect: 'Allow',
        Action: ['cloudwatch:*', 'dynamodb:*', 'elasticache:*', 'rds:*', 'redshift:*'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:aws:iam::*:role/rds-monitoring-role' },
    ),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'AWSSupportAccess',
    path: '/',
    description: 'Allows users to access the AWS Support Center.',
    document: doc({ Effect: 'Allow', Action: ['support:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'IAMUserChangePassword',
    path: '/',
    description: 'Provides the ability for an IAM user to change their own password.',
    document: doc(
      { Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
      { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
    ),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'AmazonEC2ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to Amazon EC2 via the AWS Management Console.',
    document: doc({
      Effect: 'Allow',
      Action: [
        'ec2:Describe*',
        'elasticloadbalancing:Describe*',
        'cloudwatch:ListMetrics',
        'autoscaling:Describe*',
      ],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'AWSLambda_FullAccess',
    path: '/',
    description:
      'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.',
    document: doc(
      {
        Effect: 'Allow',
        Action: ['lambda:*', 'logs:DescribeLogGroups', 'cloudformation:DescribeStacks'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'CloudWatchReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to CloudWatch.',
    document: doc({
      Effect: 'Allow',
      Action: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*', 'logs:Get*', 'logs:Describe*'],
      Resource: '*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
];

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

/** Inline policy templates for users and groups. */
export const INLINE_POLICY_TEMPLATES: readonly InlineTemplate[] = [
  {
    name: 'breakglass',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'emergency-full-access',
    document: doc(
      { Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      { Effect: 'Allow', Action: ['*'], Resource: '*' },
    ),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'bucket-owner',
    document: doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::acme-team-artifacts/*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'iam-self-service',
    document: doc({ Effect: 'Allow', Action: ['iam:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'everything-but-iam',
    document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'office-hours-admin',
    document: doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'deny-all',
    document: doc({ Effect: 'Deny', Action: '*', Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
    deniesAll: true,
  },
  {
    name: 'read-team-bucket',
    document: doc({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::acme-team-reports', 'arn:aws:s3:::acme-team-reports/*'],
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'sqs-consumer',
    document: doc({
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: 'arn:aws:sqs:us-east-1:*:orders-*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'cloudwatch-put-metrics',
    document: doc({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }),
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

/** AWS managed policies that are also used as boundaries, with whether they allow "*" on "*". */
export const AWS_MANAGED_BOUNDARIES: readonly { name: string; allowsAdmin: boolean }[] = [
  { name: 'AdministratorAccess', allowsAdmin: true },
  { name: 'PowerUserAccess', allowsAdmin: false },
];

export function findAwsManaged(name: string): CatalogPolicy {
  const p = AWS_MANAGED_POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown AWS managed policy ${name}`);
  return p;
}

export function findCustomerTemplate(name: string): CatalogPolicy {
  const p = CUSTOMER_POLICY_TEMPLATES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown customer policy template ${name}`);
  return p;
}

export function findInlineTemplate(name: string): InlineTemplate {
  const p = INLINE_POLICY_TEMPLATES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown inline policy template ${name}`);
  return p;
}
