// The typed configuration, after YAML parsing, ${ENV}/${file:} substitution, schema validation and defaults.
// The types are derived from the TypeBox schemas (config-schema.ts, sections/, sinks/): a key, its type and
// its default are written there once.
import type { ConfigFile } from './config-schema.js';

export type { ConfigFile } from './config-schema.js';
export type { OcsfVersion } from './ocsf-versions.js';
export type { AccountTarget, AwsConfig, AwsCredentialsConfig, OrganizationConfig } from './sections/aws.js';
export type { ChangesConfig } from './sections/changes.js';
export type { CollectorConfig, MfaSource, Strategy } from './sections/collector.js';
export type { DeliveryConfig } from './sections/delivery.js';
export type { IdentityCenterConfig } from './sections/identity-center.js';
export type { LogConfig } from './sections/log.js';
export type { OcsfConfig } from './sections/ocsf.js';
export type { OpsConfig } from './sections/ops.js';
export type { RiskConfig } from './sections/risk.js';
export type { ScheduleConfig } from './sections/schedule.js';
export type { StateConfig } from './sections/state.js';
export type * from './sinks/index.js';

export interface Config extends ConfigFile {
  /** Absolute path of the file the config was read from (undefined for the built-in demo config). */
  source?: string;
  /** Directory relative paths are resolved against. */
  baseDir: string;
  /** Secret values found in the config (after substitution), for log redaction. */
  secrets: string[];
  /** Warnings found while loading (e.g. a secret written in clear in the file), for the caller to log. */
  warnings?: string[];
}
