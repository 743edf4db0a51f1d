// A typed Config for the check and policy tests (no YAML: these tests are about what the config enables).
import type { CollectorConfig, Config } from '../../src/config/config.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../src/emulator/index.js';

export interface FixtureOverrides {
  aws?: Partial<Config['aws']>;
  collector?: Partial<CollectorConfig>;
  identity_center?: Config['identity_center'];
  sinks?: Config['sinks'];
}

export function fixtureConfig(endpoint: string | undefined, o: FixtureOverrides = {}): Config {
  return {
    baseDir: process.cwd(),
    aws: {
      region: 'us-east-1',
      ...(endpoint !== undefined ? { endpoint } : {}),
      max_attempts: 2,
      credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
      accounts_concurrency: 4,
      assume_role_duration_seconds: 3600,
      ...o.aws,
    },
    collector: {
      strategy: 'per-user',
      page_size: 100,
      concurrency: 4,
      mfa_source: 'api',
      admin_analysis: false,
      access_keys: false,
      login_profile: false,
      tags: false,
      include_roles: false,
      credential_report_max_wait_seconds: 30,
      ...o.collector,
    },
    identity_center: o.identity_center ?? { enabled: false },
    ocsf: { version: '1.8.0', event_time: 'collected' },
    state: { path: ':memory:', max_delete_fraction: 0.5, fingerprint_ignore: [] },
    delivery: { batch_max_events: 500, batch_max_bytes: 4_000_000 },
    schedule: {
      incremental: '0 * * * *',
      full: '0 3 * * *',
      timezone: 'UTC',
      run_on_start: false,
      jitter_seconds: 0,
    },
    shutdown_grace_seconds: 10,
    ops: { listen: '127.0.0.1:0' },
    log: { level: 'silent' },
    sinks: o.sinks ?? [],
    secrets: [DEFAULT_SECRET_ACCESS_KEY],
  };
}

/** Every feature on: the policy must then cover every call the collector can make. */
export function everyFeatureConfig(): Config {
  return fixtureConfig(undefined, {
    aws: {
      organization: {
        enabled: true,
        role_name: 'IamInventoryRead',
        include: ['ou-abcd-11111111'],
        exclude: [],
      },
    },
    collector: {
      strategy: 'auto',
      mfa_source: 'credential_report',
      admin_analysis: true,
      access_keys: true,
      login_profile: true,
      tags: true,
      include_roles: true,
    },
    identity_center: { enabled: true },
  });
}
