// The collector's public surface: what runs, the CLI, the permission model and the benchmark may use.
// Everything else in src/collector is its own business (tests may reach deeper).

// A run: the sources of the configured accounts and Identity Center, and the contract they keep.
export { openSources, type OpenSourcesDeps, type OpenedSources } from './open-sources.js';
export type * from './source.js';
export type * from '../identity/identity.js';

// Accounts, credentials and clients, for what checks them before a run (`check`).
export {
  openAccount,
  getCallerIdentity,
  AccountOpenError,
  type AccountDeps,
  type CallerIdentity,
  type ResolvedAccountTarget,
} from './aws/accounts.js';
export { resolveAccountTargets, roleArnFor, type ResolvedTargets } from './aws/targets.js';
export { inShard, shardOf, type Shard } from './aws/shard.js';
export { baseCredentials, assumeRoleCredentials } from './aws/credentials.js';
export { createIamClient, createClientFor, attachCallObserver, type ClientOptions } from './aws/clients.js';

// What an AWS answer means.
export {
  classifyAwsError,
  describeAwsError,
  isAccessDenied,
  isNotFound,
  isThrottlingError,
  type AwsErrorClass,
  type AwsErrorKind,
} from './aws/aws-error.js';
export { AccountCollectionError, EnrichmentError } from './aws/errors.js';
export { credentialReportState, type CredentialReportState } from './iam/credential-report.js';

// The change feed: decoding a message, the identities a write can change (read again via readChanged).
export {
  decodeChangeMessage,
  type ChangeRecord,
  type DecodedMessage,
  type IgnoreReason,
} from './changes/change-record.js';
export { changeImpact, impactTargetKey, type ImpactTarget } from './changes/change-impact.js';
export type { ChangedIdentities } from './changes/change-reader.js';
export { ChangeQueue, type QueueMessage } from './changes/change-queue.js';
