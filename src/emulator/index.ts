// The emulator's public surface: what tests, the demo, the benchmark and the CLI import. Code outside
// src/emulator imports from here only, so the emulator's files can move without touching its users.
export { startEmulator, DEFAULT_GENERATOR_OPTIONS } from './server/http-server.js';
export type { Emulator, EmulatorQueueOptions } from './server/http-server.js';
export { sqsService, createQueue } from './services/sqs.js';
export type { EmuQueue, EmuQueueMessage } from './sqs/queue.js';
export { cloudTrailEvent } from './sqs/change-feed.js';
export type { ChangeFeedOptions, CloudTrailWrite } from './sqs/change-feed.js';
export type { EmulatorOptions } from './server/emulator-options.js';
export { BUILTIN_SERVICES } from './services/registry.js';
export type { EmulatorStats } from './stats.js';
export { FaultController, parseFaultRule } from './faults.js';
export type { FaultKind, FaultRule, FaultRuleInfo } from './faults.js';
export { EmuError } from './service.js';
export type {
  EmuRequestContext,
  JsonAction,
  JsonServiceModule,
  QueryAction,
  QueryParams,
  QueryServiceModule,
  ServiceModule,
} from './service.js';
export { iamService } from './services/iam/iam-service.js';
export { stsService } from './services/sts.js';
export { organizationsService } from './services/organizations.js';
export { identityStoreService } from './services/identitystore.js';
export { ssoAdminService } from './services/sso-admin.js';
export { s3Service, createBucket } from './services/s3.js';
export { addSecurityLakeSource, providerRoleName } from './security-lake.js';
export type { SecurityLakeSourceOptions } from './security-lake.js';
export { verifySigV4, computeSignature } from './sigv4.js';
export { CREDENTIAL_REPORT_COLUMNS, buildCredentialReportCsv } from './credential-report.js';
export { generateWorld } from './generator/generate-world.js';
export { GENERATOR_REFERENCE_TIME } from './generator/calendar.js';
export type { GeneratorOptions, GeneratedDataset } from './generator/generator-options.js';
export {
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  INLINE_POLICY_TEMPLATES,
} from './policy-catalog.js';
export type { BoundaryTemplate, CatalogPolicy, InlineTemplate, PolicyRole } from './policy-catalog.js';
export * from './mutations.js';
export { expectedUser } from './expected-identities.js';
export * from './model.js';
export type * from './ground-truth.js';
export * from './sso-admin-mutations.js';
export { permissionSetVerdict } from './expected-access.js';
export { PERMISSION_SET_TEMPLATES } from './generator/permission-sets.js';
