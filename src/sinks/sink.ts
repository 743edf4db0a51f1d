// The contract between a run and its destinations. A run serializes each event once and hands the same
// batch to every configured sink; the batch counts as delivered only when every sink's send() resolved.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { JsonSchemaNode } from './encoding/parquet/columns.js';

/** One validated OCSF event ready for delivery. */
export interface OutboundEvent {
  /** Stable identity key (user ARN, identity-store user id): used for ordering, dead letters and logs. */
  key: string;
  /** The event object (already projected to the target OCSF version and validated). */
  event: Record<string, unknown>;
  /** JSON.stringify(event), computed once per run and shared by every sink. */
  json: string;
  /**
   * The event's `time` and `cloud.account.uid`, from a producer that keeps only the JSON (a run: see
   * identity-emitter.ts), so that a sink needing only these does not parse the event back (eventTime).
   */
  time?: number;
  accountUid?: string;
}

/** The event's `time` as it is (a sink checks it), read without parsing the event when the producer gave it. */
export function eventTime(e: Pick<OutboundEvent, 'event' | 'time'>): unknown {
  return e.time !== undefined ? e.time : e.event.time;
}

/**
 * The event's `time` (epoch ms) for a transport's own timestamp (a syslog header, HEC's `time`), `now`
 * where it is no finite number: validated events always carry one, and the event itself is sent as it is.
 */
export function transportTime(e: Pick<OutboundEvent, 'event' | 'time'>, now = Date.now()): number {
  const time = eventTime(e);
  return typeof time === 'number' && Number.isFinite(time) ? time : now;
}

/** The event's `cloud.account.uid` as it is, read without parsing the event when the producer gave it. */
export function eventAccountUid(e: Pick<OutboundEvent, 'event' | 'accountUid'>): unknown {
  return e.accountUid !== undefined
    ? e.accountUid
    : (e.event.cloud as { account?: { uid?: unknown } } | undefined)?.account?.uid;
}

/** An event the destination refused for good (not retryable): it becomes a dead letter, never silently lost. */
export interface RejectedEvent {
  /** Index in the batch given to send(). */
  index: number;
  reason: string;
}

export interface SendResult {
  rejected: RejectedEvent[];
}

export interface Sink {
  readonly name: string;
  readonly type: string;
  /**
   * Deliver the batch. Resolves once the destination acknowledged it (with the events it refused for good);
   * rejects when delivery failed after the sink's retries. Never resolves for a batch that was not delivered.
   */
  send(batch: readonly OutboundEvent[]): Promise<SendResult>;
  /** A cheap reachability check for `iam-inventory check`; resolves with a short description. */
  check(): Promise<string>;
  /**
   * Sinks that acknowledge a batch once it is durably buffered (object stores) write out what they hold.
   * Rejects when something could not be written (it stays buffered for the next flush). A one-shot run
   * calls it before closing; the daemon on SIGTERM.
   */
  flush?(): Promise<void>;
  close(): Promise<void>;
}

/** Credentials for a sink's AWS calls: the caller's own, or a role assumed with its external id. */
export interface SinkAws {
  /** aws.endpoint: every AWS client goes there (path-style S3 addressing when set). */
  endpoint?: string | undefined;
  /** aws.max_attempts. */
  maxAttempts: number;
  /** Refreshed before expiry; the external id never appears in errors or logs. */
  credentials(role?: { roleArn: string; externalId?: string | undefined }): AwsCredentialIdentityProvider;
}

/** Minimal logger surface sinks use (pino satisfies it). */
export interface SinkLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SinkContext {
  logger: SinkLogger;
  /** Directory of the config file, for resolving relative paths (ca_file, file sink path). */
  baseDir: string;
  /** Called on every retried attempt, for metrics. */
  onRetry?: (sinkName: string, reason: string) => void;
  /** Stream the `stdout` sink writes to (default process.stdout); tests and the demo may inject one. */
  stdout?: NodeJS.WritableStream;
  /** AWS access for sinks that write to S3 (set by the run; absent in tests of other sinks). */
  aws?: SinkAws;
  /** Folder of the state file: object sinks keep their disk buffer under it. */
  stateDir?: string;
  /** The configured ocsf.version and the JSON Schema of its event record (the Parquet table). */
  ocsf?: { version: string; recordSchema(): JsonSchemaNode };
}

/** Builds one sink from its typed config (defaults applied) under its unique name. */
export type SinkFactory<Config> = (config: Config, ctx: SinkContext, name: string) => Sink;
