// The typed Config that tests build in code (no YAML): every default from the config schema, the settings
// tests share (emulator credentials, in-memory state, small pages, quiet logs, no daemon start-up run), and
// each test's overrides on top. A key added to the schema with a default reaches every test from here.
import {
  configFromObject,
  sinkConfigFrom,
  type AwsConfig,
  type CollectorConfig,
  type Config,
  type IdentityCenterConfig,
  type OcsfConfig,
  type ScheduleConfig,
  type SinkConfigInput,
  type StateConfig,
} from '../../src/config/index.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../src/emulator/model.js';

export interface ConfigOverrides {
  aws?: Partial<AwsConfig>;
  collector?: Partial<CollectorConfig>;
  identity_center?: IdentityCenterConfig;
  ocsf?: Partial<OcsfConfig>;
  state?: Partial<StateConfig>;
  schedule?: Partial<ScheduleConfig>;
  changes?: Partial<Config['changes']>;
  /** As written in a config file: each gets its schema defaults. */
  sinks?: SinkConfigInput[];
  secrets?: string[];
}

let schemaDefaults: Config | undefined;

/** A Config for an emulator at `endpoint` (none: the AWS default endpoints, for tests that make no call). */
export function buildConfig(endpoint: string | undefined, o: ConfigOverrides = {}): Config {
  schemaDefaults ??= configFromObject({ sinks: [{ type: 'stdout' }] }, { baseDir: process.cwd(), env: {} });
  const d = structuredClone(schemaDefaults);
  return {
    ...d,
    aws: {
      ...d.aws,
      ...(endpoint !== undefined ? { endpoint } : {}),
      credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
      ...o.aws,
    },
    collector: { ...d.collector, page_size: 100, credential_report_max_wait_seconds: 30, ...o.collector },
    identity_center: o.identity_center ?? d.identity_center,
    changes: { ...d.changes, ...o.changes },
    ocsf: { ...d.ocsf, ...o.ocsf },
    state: { ...d.state, path: ':memory:', ...o.state },
    schedule: { ...d.schedule, run_on_start: false, ...o.schedule },
    shutdown_grace_seconds: 10,
    ops: { ...d.ops, listen: '127.0.0.1:0' },
    log: { ...d.log, level: 'silent' },
    sinks: (o.sinks ?? []).map((s) => sinkConfigFrom(s, s.name ?? s.type)),
    secrets: o.secrets ?? [DEFAULT_SECRET_ACCESS_KEY],
  };
}
