// Records read from and written to the state file. Times are epoch milliseconds.

export type RunMode = 'incremental' | 'full' | 'backfill';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface Watermark {
  watermarkMs: number;
  /** Identity keys delivered with a CreateDate in the same second as the watermark. */
  keysAtWatermark: Set<string>;
}

export interface IdentityRecord {
  scope: string;
  key: string;
  kind: string;
  name: string | null;
  createDateMs: number | null;
  fingerprint: string;
  firstDeliveredMs: number;
  lastDeliveredMs: number;
  deleted: boolean;
  deletedMs: number | null;
}

export interface KnownIdentity {
  /** The digest stored with the last delivered event; opaque here (the run compares it, OCSF computes it). */
  fingerprint: string;
  createDateMs: number | null;
  /** When a change burst last read it from the API (epoch ms); null if none did. */
  apiReadMs: number | null;
}

/** The last event delivered for an identity, as stored. */
export interface LastEvent {
  scope: string;
  key: string;
  kind: string;
  lastDeliveredMs: number;
  /** The event as stored: the checkpoint does not know what an event is, its reader checks the shape. */
  event: unknown;
}

/**
 * One identity whose event every sink acknowledged, with the delivered event (kept as the last known object
 * for a later deletion event): as an object, or as the JSON the caller already has (a run serializes each
 * event once, for its sinks, and need not parse it back).
 */
export type DeliveredIdentity = DeliveredIdentityFacts &
  ({ event: Record<string, unknown>; eventJson?: string } | { event?: undefined; eventJson: string });

interface DeliveredIdentityFacts {
  scope: string;
  key: string;
  /** e.g. "iam_user", "iam_role", "identity_center_user". */
  kind: string;
  name?: string | null;
  createDateMs?: number | null;
  fingerprint: string;
}

/** An identity whose deletion event every sink acknowledged. */
export interface DeliveredDeletion {
  scope: string;
  key: string;
}

export interface StartRunInput {
  /** Run id (uuid); a new one is made when omitted. A run over several scopes reuses its id for each. */
  id?: string;
  scope: string;
  mode: RunMode;
  startedMs?: number;
}

export interface FinishRunInput {
  status: Exclude<RunStatus, 'running'>;
  usersSeen: number;
  eventsSent: number;
  error?: string | null;
  finishedMs?: number;
}

export interface RunRecord {
  id: string;
  scope: string;
  mode: string;
  startedMs: number;
  finishedMs: number | null;
  usersSeen: number;
  eventsSent: number;
  status: RunStatus;
  error: string | null;
}

export interface DeadLetterInput {
  runId?: string | null;
  scope: string;
  key: string;
  /** Sink name, or null when the event failed validation before any sink saw it. */
  sink: string | null;
  reason: string;
  /** Structured details (validation errors, the destination's item error), stored as JSON. */
  errors?: unknown;
  event?: unknown;
  /** The event as its JSON text, stored as it is (in place of `event`, which is serialized). */
  eventJson?: string;
  createdMs?: number;
}

export interface DeadLetterRecord {
  id: number;
  runId: string | null;
  scope: string;
  key: string;
  sink: string | null;
  reason: string;
  errors: unknown;
  event: unknown;
  createdMs: number;
}

export interface ScopeSummary {
  scope: string;
  watermark: { ms: number; iso: string; keysAtWatermark: number } | null;
  /** Identities delivered and not deleted. */
  identitiesKnown: number;
  identitiesDeleted: number;
  lastRun: RunRecord | null;
  deadLetters: number;
}

export interface StateSummary {
  path: string;
  schemaVersion: number;
  scopes: ScopeSummary[];
  deadLetters: number;
}

export interface ResetResult {
  identities: number;
  watermarks: number;
  runs: number;
  deadLetters: number;
}
