export type * from './config.js';
export { ConfigError } from './errors.js';
export {
  configFromObject,
  configFromYaml,
  loadConfig,
  type ConfigSourceOptions,
  type LoadConfigOptions,
} from './load.js';
export { createConfigValidator, defaultConfigValidator, type ConfigValidator } from './schema-validator.js';
