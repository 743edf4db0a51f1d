// A typed Config for the check and policy tests (no YAML: these tests are about what the config enables).
import type { CollectorConfig, Config, SinkConfigInput } from '../../src/config/config.js';
import { buildConfig } from '../support/config-fixture.js';

export interface FixtureOverrides {
  aws?: Partial<Config['aws']>;
  collector?: Partial<CollectorConfig>;
  identity_center?: Config['identity_center'];
  changes?: Partial<Config['changes']>;
  sinks?: SinkConfigInput[];
}

/** Few attempts, and the optional reads off unless a test turns them on. */
export function fixtureConfig(endpoint: string | undefined, o: FixtureOverrides = {}): Config {
  return buildConfig(endpoint, {
    ...o,
    aws: { max_attempts: 2, ...o.aws },
    collector: {
      // The cheapest shape; tests name the strategy and MFA source they add.
      strategy: 'per-user',
      mfa_source: 'api',
      concurrency: 4,
      admin_analysis: false,
      access_keys: false,
      login_profile: false,
      tags: false,
      ...o.collector,
    },
  });
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
    identity_center: { enabled: true, access: true },
    changes: { queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/iam-changes' },
  });
}
