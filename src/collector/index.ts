// The collector's public surface for runs, the CLI and the benchmark.
export { openSources, type OpenSourcesDeps, type OpenedSources } from './open-sources.js';
export {
  openAccount,
  resolveAccountTargets,
  getCallerIdentity,
  roleArnFor,
  AccountOpenError,
  type ResolvedAccountTarget,
  type ResolvedTargets,
  type CallerIdentity,
  type AccountDeps,
} from './aws/accounts.js';
export {
  createIamClient,
  createClientFor,
  attachCallObserver,
  isThrottlingError,
  type ClientOptions,
} from './aws/clients.js';
export { baseCredentials, assumeRoleCredentials } from './aws/credentials.js';
export { AccountCollectionError, EnrichmentError, describeAwsError } from './aws/errors.js';
export { perUserSource, mfaTypeOfSerial, type PerUserDeps } from './strategies/per-user.js';
export { PolicyDocumentCache, decodePolicyDocument } from './iam/policy-documents.js';
export type * from '../identity/identity.js';
export type * from './source.js';
