// The emulator's public surface: what tests, the demo, the benchmark and the CLI import.
export { startEmulator, BUILTIN_SERVICES, DEFAULT_GENERATOR_OPTIONS } from './server.js';
export type { Emulator, EmulatorOptions } from './server.js';
export type { EmulatorStats } from './stats.js';
export { FaultController, parseFaultRule } from './faults.js';
export type { FaultKind, FaultRule, FaultRuleInfo } from './faults.js';
export { EmuError } from './service.js';
export type { EmuRequestContext, JsonServiceModule, QueryServiceModule, ServiceModule } from './service.js';
export { verifySigV4, computeSignature } from './sigv4.js';
export { CREDENTIAL_REPORT_COLUMNS, buildCredentialReportCsv } from './credential-report.js';
export { generateWorld, GENERATOR_REFERENCE_TIME } from './generator.js';
export type { GeneratorOptions, GeneratedDataset } from './generator.js';
export * from './model.js';
export type * from './ground-truth.js';
