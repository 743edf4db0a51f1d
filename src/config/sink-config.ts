// One sinks[] entry -> its typed config, defaults applied. A config loaded from a file had its sinks
// validated already (this is then idempotent); sinks built from code (tests, tools) are checked here, so a
// wrong key fails at creation with the sink and the key named, not as a confusing error mid-delivery.
import { ConfigError } from './errors.js';
import { defaultConfigValidator } from './schema-validator.js';
import type { SinkConfig, SinkConfigInput } from './sinks/index.js';

export function sinkConfigFrom(input: SinkConfigInput, sinkName: string): SinkConfig {
  const entry = structuredClone(input) as unknown;
  const problems = defaultConfigValidator().validateSink(entry);
  if (problems.length > 0) {
    throw new ConfigError(`sink ${sinkName}: ${problems.map((p) => p.message).join('; ')}`);
  }
  return entry as SinkConfig;
}
