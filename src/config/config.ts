// The typed configuration, after YAML parsing, ${ENV}/${file:} substitution, schema validation and defaults.
// schemas/config.schema.json is the source of truth for keys and types; this mirrors it for the code.
import type { SinkConfigBase } from '../sinks/sink.js';

export interface StaticCredentials {
  access_key_id: string;
  secret_access_key: string;
  session_token?: string;
}

export interface AwsCredentialsConfig {
  /** Named profile from ~/.aws/config; omitted together with static keys = the SDK default chain. */
  profile?: string;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
}

export interface AccountTarget {
  id: string;
  role_arn?: string;
  role_name?: string;
  external_id?: string;
}

export interface OrganizationConfig {
  enabled: boolean;
  role_name: string;
  external_id?: string;
  /** Account ids (12 digits) or OU / root ids (ou-..., r-...). Empty = every ACTIVE account. */
  include: string[];
  exclude: string[];
}

export interface AwsConfig {
  region: string;
  endpoint?: string;
  max_attempts: number;
  credentials?: AwsCredentialsConfig;
  accounts?: AccountTarget[];
  organization?: OrganizationConfig;
  accounts_concurrency: number;
  /** Lifetime (DurationSeconds) of assumed-role sessions; the collector refreshes them before expiry. */
  assume_role_duration_seconds: number;
}

export type Strategy = 'per-user' | 'bulk' | 'auto';
export type MfaSource = 'api' | 'credential_report';

export interface CollectorConfig {
  strategy: Strategy;
  page_size: number;
  concurrency: number;
  mfa_source: MfaSource;
  /** Read policy documents to find admins made by any policy (not only AdministratorAccess). */
  admin_analysis: boolean;
  access_keys: boolean;
  login_profile: boolean;
  tags: boolean;
  include_roles: boolean;
  credential_report_max_wait_seconds: number;
}

export interface IdentityCenterConfig {
  enabled: boolean;
  identity_store_id?: string;
  region?: string;
}

export type OcsfVersion = '1.8.0' | '1.6.0';

export interface OcsfConfig {
  version: OcsfVersion;
  /** `collected` (default): event time = collection time; `created`: the user's CreateDate. */
  event_time: 'collected' | 'created';
}

export interface StateConfig {
  path: string;
  max_delete_fraction: number;
  /** Dotted paths of the mapped event ignored by change detection (they change on their own). */
  fingerprint_ignore: string[];
}

export interface DeliveryConfig {
  /** Events per run-level batch (each sink may split further by its own limits). */
  batch_max_events: number;
  batch_max_bytes: number;
}

export interface ScheduleConfig {
  incremental: string;
  full: string;
  timezone: string;
  run_on_start: boolean;
  jitter_seconds: number;
}

export interface OpsConfig {
  listen: string;
  /** Seconds; default 2x the incremental interval. */
  max_staleness_seconds?: number;
}

export interface LogConfig {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  format?: 'json' | 'pretty';
}

export interface Config {
  /** Absolute path of the file the config was read from (undefined for the built-in demo config). */
  source?: string;
  /** Directory relative paths are resolved against. */
  baseDir: string;
  aws: AwsConfig;
  collector: CollectorConfig;
  identity_center: IdentityCenterConfig;
  ocsf: OcsfConfig;
  state: StateConfig;
  delivery: DeliveryConfig;
  schedule: ScheduleConfig;
  shutdown_grace_seconds: number;
  ops: OpsConfig;
  log: LogConfig;
  sinks: SinkConfigBase[];
  /** Secret values found in the config (after substitution), for log redaction. */
  secrets: string[];
  /** Warnings found while loading (e.g. a secret written in clear in the file), for the caller to log. */
  warnings?: string[];
}
