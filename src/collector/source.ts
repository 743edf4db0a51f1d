// The contract between the collector (AWS side) and a run. A source is one scope of identities (an AWS
// account's IAM users and roles, or an Identity Center store); it yields pages in a stable order so that
// a rerun after a failure repeats the same batches.
import type { Identity } from '../identity/identity.js';
import type { ImpactTarget } from './changes/change-impact.js';
import type { ChangedIdentities } from './changes/change-reader.js';

/** What the listing call (ListUsers, GAAD, identitystore ListUsers, ListRoles) said about an identity. */
export interface ListedIdentity {
  /** Stable identity key: the ARN for IAM users and roles, the identity-store user id for Identity Center. */
  key: string;
  name: string;
  /** Epoch ms; absent for Identity Center users (they have no creation-date checkpoint). */
  createDate?: number;
}

export type CollectedItem =
  | { status: 'ok'; identity: Identity }
  /** Enrichment failed after retries: the identity is not emitted this run and the scope's state must not advance. */
  | { status: 'failed'; key: string; name: string; action: string; error: string }
  /** Gone between the listing and its enrichment (NoSuchEntity): skipped. */
  | { status: 'vanished'; key: string; name: string };

/**
 * One step of a scope's listing, in listing order. A listing page comes first, with every identity on it
 * (enriched or not: deletion detection and progress), before any of them is enriched; then its enriched
 * identities follow in one or more `items` chunks, as soon as those before them are done.
 */
export type CollectedChunk =
  | { kind: 'page'; listed: ListedIdentity[] }
  /** Results for identities of the last page that passed `shouldEnrich`, in listing order. */
  | { kind: 'items'; items: CollectedItem[] };

export interface CollectOptions {
  /** Called for each listed identity before any enrichment call; false skips it (incremental mode). */
  shouldEnrich: (listed: ListedIdentity) => boolean;
  signal?: AbortSignal;
  /**
   * How many identities may be enriched ahead of the first one not yet taken (at least the concurrency):
   * bounds memory and how long the run waits for its first batch. Default: 8 x the account's concurrency.
   */
  lookAhead?: number;
  /**
   * Called when the pass reads some facts the slower way because an account-wide answer (the credential
   * report, a listing) could not be had; the sentence names the action that failed. The run reports it.
   */
  onDegraded?: (sentence: string) => void;
  /**
   * When the change feed last read an identity (by key) from the API, epoch ms. A credential report
   * generated before that is older than what was delivered for the identity: its row is not used for it.
   */
  apiReadAt?: (key: string) => number | undefined;
}

export interface IdentitySource {
  /** State scope: the AWS account id, or "identity-center:<identityStoreId>". */
  scope: string;
  kind: 'aws_account' | 'identity_center';
  accountId: string;
  accountAlias?: string;
  /** Whether identities of this source carry a CreateDate usable for the incremental watermark. */
  hasCreationCheckpoint: boolean;
  /** Releases the SDK clients the source made itself (an account handle's are its opener's to close). */
  close?(): void;
  /** Total identities when known up front (for progress bars); undefined when unknown. */
  estimatedTotal?(): Promise<number | undefined>;
  /**
   * Pages through the scope, chunk by chunk. Throws (after the chunks that succeeded) when the listing
   * itself fails or the signal aborts: the caller then knows the listing is incomplete and must not infer
   * deletions. Each page's enrichment looks ahead a bounded window, so memory does not hold a whole page.
   */
  pages(options: CollectOptions): AsyncIterable<CollectedChunk>;
  /**
   * Reads again, now, the identities a burst of change notifications names (AWS accounts; an Identity
   * Center source has none and is read through pages()).
   */
  readChanged?(targets: readonly ImpactTarget[], signal?: AbortSignal): Promise<ChangedIdentities>;
}

/** A target that could not even be opened (AssumeRole denied, Organizations call failed ...). */
export interface SourceFailure {
  scope: string;
  accountId: string;
  error: string;
}

/** Observes every AWS API call, for counters and metrics. */
export interface AwsCallObserver {
  onCall(accountId: string, service: string, action: string): void;
  onThrottled(accountId: string, service: string, action: string): void;
}

/**
 * One AWS account ready to be collected: credentials resolved (assumed role or the caller's own), one IAM
 * client reused for every call so that adaptive retry's rate limiter is shared per account.
 */
export interface AccountHandle {
  accountId: string;
  accountAlias?: string;
  /** The organization's name of the account, when discovered through Organizations. */
  accountName?: string;
  region: string;
  /** Endpoint override (the emulator), when configured. */
  endpoint?: string;
  iam: import('@aws-sdk/client-iam').IAMClient;
  /** The credentials the IAM client uses, for other clients of the same account (Identity Store ...). */
  credentials: import('@smithy/types').AwsCredentialIdentityProvider;
}
