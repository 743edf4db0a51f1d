// collector: what is collected from IAM and how (strategy, page size, concurrency, optional reads).
import Type, { type Static } from 'typebox';

export const StrategySchema = Type.Enum(['per-user', 'bulk', 'auto'], {
  type: 'string',
  default: 'auto',
  description:
    'per-user: ListUsers plus calls per user; bulk: GetAccountAuthorizationDetails (few calls); auto: bulk when permitted, else per-user.',
});

export const MfaSourceSchema = Type.Enum(['api', 'credential_report'], {
  type: 'string',
  default: 'credential_report',
  description:
    'credential_report: MFA, console password and key facts from the IAM credential report and the virtual MFA listing (every strategy; per-user calls where they cannot answer); api: fresh per-user reads.',
});

export const CollectorSchema = Type.Object(
  {
    strategy: StrategySchema,
    page_size: Type.Integer({
      description: 'MaxItems of list calls.',
      default: 1000,
      minimum: 1,
      maximum: 1000,
    }),
    concurrency: Type.Integer({
      description: 'Users enriched at the same time per account.',
      default: 8,
      minimum: 1,
      maximum: 64,
    }),
    mfa_source: MfaSourceSchema,
    admin_analysis: Type.Boolean({
      description: 'Read policy documents to find admins made by any policy, not only AdministratorAccess.',
      default: true,
    }),
    access_keys: Type.Boolean({ description: 'Collect access keys and their last use.', default: true }),
    login_profile: Type.Boolean({ description: 'Collect console login profiles.', default: true }),
    tags: Type.Boolean({ description: 'Collect user tags.', default: true }),
    include_roles: Type.Boolean({
      description: 'Also inventory IAM roles (as OCSF users of type Service).',
      default: false,
    }),
    credential_report_max_wait_seconds: Type.Integer({
      description: 'How long to wait for the credential report to be generated.',
      default: 300,
      minimum: 1,
      maximum: 3600,
    }),
    credential_report_max_age_seconds: Type.Integer({
      description:
        'A credential report older than this is not used: its facts are read per user for that run (AWS regenerates a report older than 4 hours).',
      default: 14400,
      minimum: 60,
      maximum: 86400,
    }),
  },
  { description: 'What is collected and how.', additionalProperties: false, default: {} },
);

export type Strategy = Static<typeof StrategySchema>;
export type MfaSource = Static<typeof MfaSourceSchema>;
export type CollectorConfig = Static<typeof CollectorSchema>;
