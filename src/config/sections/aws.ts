// aws: where and how to reach AWS (credentials, accounts or organization, retries, assumed-role sessions).
import Type, { type Static } from 'typebox';

const ACCOUNT_OR_OU_ID = Type.String({
  pattern: '^([0-9]{12}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$',
  'x-expected': 'an account id (12 digits), an OU id (ou-...) or a root id (r-...)',
});

export const AwsCredentialsSchema = Type.Object(
  {
    profile: Type.Optional(
      Type.String({ description: 'Named profile from ~/.aws/config and ~/.aws/credentials.', minLength: 1 }),
    ),
    access_key_id: Type.Optional(
      Type.String({ description: 'Static access key id (prefer ${ENV_VAR}).', minLength: 1 }),
    ),
    secret_access_key: Type.Optional(
      Type.String({
        description: 'Static secret access key: use ${ENV_VAR} or ${file:/path}, never clear text.',
        minLength: 1,
        writeOnly: true,
      }),
    ),
    session_token: Type.Optional(
      Type.String({
        description: 'Session token for temporary static credentials.',
        minLength: 1,
        writeOnly: true,
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Credentials of the caller. Omit to use the AWS SDK default chain (environment, ~/.aws, instance or task role). Either a profile or static keys, not both.',
    dependencies: {
      access_key_id: ['secret_access_key'],
      secret_access_key: ['access_key_id'],
      session_token: ['access_key_id'],
    },
    not: {
      anyOf: [{ required: ['profile', 'access_key_id'] }, { required: ['profile', 'secret_access_key'] }],
    },
    'x-message': 'use either profile or access_key_id/secret_access_key, not both',
  },
);

export const AccountTargetSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[0-9]{12}$',
      'x-expected': 'a 12-digit AWS account id (quote it in YAML)',
      description: 'AWS account id (12 digits).',
    }),
    role_arn: Type.Optional(
      Type.String({
        description: 'ARN of the role to assume in that account.',
        pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$',
        'x-expected': 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
      }),
    ),
    role_name: Type.Optional(
      Type.String({
        description: 'Name of the role to assume; the ARN is built from the account id.',
        minLength: 1,
      }),
    ),
    external_id: Type.Optional(
      Type.String({ description: "External id required by the role's trust policy.", minLength: 2 }),
    ),
  },
  {
    additionalProperties: false,
    oneOf: [{ required: ['role_arn'] }, { required: ['role_name'] }],
    'x-message': 'set exactly one of role_arn or role_name',
  },
);

export const OrganizationSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Turn organization discovery on.', default: true }),
    role_name: Type.String({
      description: 'Role assumed in every member account (least privilege: IAM read only).',
      minLength: 1,
    }),
    external_id: Type.Optional(
      Type.String({ description: "External id required by the member role's trust policy.", minLength: 2 }),
    ),
    include: Type.Array(ACCOUNT_OR_OU_ID, {
      default: [],
      description:
        'Account ids, OU ids (ou-...) or root ids (r-...) to include; empty = every ACTIVE account.',
    }),
    exclude: Type.Array(ACCOUNT_OR_OU_ID, {
      default: [],
      description: 'Account, OU or root ids to leave out (applied after include).',
    }),
  },
  {
    description:
      'Discover the ACTIVE accounts of an AWS Organization (from the management or a delegated administrator account) and assume a role in each.',
    additionalProperties: false,
  },
);

export const AwsSchema = Type.Object(
  {
    region: Type.String({
      description: "Region for STS, Organizations and the IAM endpoint's signing (IAM is global).",
      default: 'us-east-1',
      minLength: 1,
    }),
    endpoint: Type.Optional(
      Type.String({
        description:
          'Endpoint override for every AWS client (the local emulator, e.g. http://127.0.0.1:4566). Omit for real AWS.',
        format: 'uri',
      }),
    ),
    max_attempts: Type.Integer({
      description: 'Attempts per AWS call, including the first (adaptive retry mode).',
      default: 10,
      minimum: 1,
      maximum: 100,
    }),
    credentials: Type.Optional(AwsCredentialsSchema),
    accounts: Type.Optional(
      Type.Array(AccountTargetSchema, {
        minItems: 1,
        description:
          "Accounts to inventory through STS AssumeRole. Mutually exclusive with organization. Omit both to inventory the caller's own account.",
      }),
    ),
    organization: Type.Optional(OrganizationSchema),
    accounts_concurrency: Type.Integer({
      description: 'Accounts collected at the same time.',
      default: 4,
      minimum: 1,
      maximum: 64,
    }),
    assume_role_duration_seconds: Type.Integer({
      description: 'Lifetime of assumed-role sessions; they are refreshed before expiry.',
      default: 3600,
      minimum: 900,
      maximum: 43200,
    }),
  },
  {
    description: 'Where and how to reach AWS.',
    additionalProperties: false,
    default: {},
    not: { required: ['accounts', 'organization'] },
    'x-message': 'accounts and organization are mutually exclusive: set one of them',
  },
);

export type AwsCredentialsConfig = Static<typeof AwsCredentialsSchema>;
export type AccountTarget = Static<typeof AccountTargetSchema>;
export type OrganizationConfig = Static<typeof OrganizationSchema>;
export type AwsConfig = Static<typeof AwsSchema>;
