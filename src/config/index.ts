export type * from './config.js';
export { ConfigError } from './errors.js';
export {
  configFromObject,
  configFromYaml,
  loadConfig,
  type ConfigSourceOptions,
  type LoadConfigOptions,
} from './load.js';
export { LATEST_OCSF_VERSION, OCSF_VERSIONS } from './ocsf-versions.js';
export { createConfigValidator, defaultConfigValidator, type ConfigValidator } from './schema-validator.js';
export { sinkConfigFrom } from './sink-config.js';
export { SEKOIA_MAX_REQUEST_BYTES, SYSLOG_FACILITY_NAMES } from './sinks/limits.js';
