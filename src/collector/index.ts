// The collector's public surface for runs, the CLI and the benchmark.
export { openSources, type OpenSourcesDeps, type OpenedSources } from './open-sources.js';
export {
  openAccount,
  getCallerIdentity,
  AccountOpenError,
  type CallerIdentity,
  type AccountDeps,
  type ResolvedAccountTarget,
} from './aws/accounts.js';
export { resolveAccountTargets, roleArnFor, type ResolvedTargets } from './aws/targets.js';
export { createIamClient, createClientFor, attachCallObserver, type ClientOptions } from './aws/clients.js';
export {
  classifyAwsError,
  describeAwsError,
  isAccessDenied,
  isNotFound,
  isThrottlingError,
  type AwsErrorClass,
  type AwsErrorKind,
} from './aws/aws-error.js';
export { baseCredentials, assumeRoleCredentials } from './aws/credentials.js';
export { AccountCollectionError, EnrichmentError } from './aws/errors.js';
export { perUserSource, type PerUserDeps } from './strategies/per-user.js';
export { mfaTypeOfSerial } from './iam/user-credentials.js';
export { PolicyDocumentCache, decodePolicyDocument } from './iam/policy-documents.js';
export type * from '../identity/identity.js';
export type * from './source.js';
export { credentialReportState, type CredentialReportState } from './iam/credential-report.js';
