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
} from './accounts.js';
export {
  createIamClient,
  createClientFor,
  attachCallObserver,
  isThrottlingError,
  type ClientOptions,
} from './clients.js';
export { baseCredentials, assumeRoleCredentials } from './credentials.js';
export { AccountCollectionError, EnrichmentError, describeAwsError } from './errors.js';
export { perUserSource, mfaTypeOfSerial, type PerUserDeps } from './per-user-strategy.js';
export { PolicyDocumentCache, decodePolicyDocument } from './policy-documents.js';
export type * from '../identity/identity.js';
export type * from './source.js';
