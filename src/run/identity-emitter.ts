// One collected identity on its way to the sinks: prepare the validated event, take its change fingerprint,
// and queue it in the ledger, unless the fingerprint says nothing changed since it was last delivered.
// Usable for a whole listing or for a handful of identities read again after a change notification.
import { randomUUID } from 'node:crypto';
import { identityCreateDate, identityKey, identityName, type Identity } from '../identity/index.js';
import { changeFingerprint } from '../ocsf/change-fingerprint.js';
import type { EventPreparer } from '../ocsf/event-preparer.js';
import type { OutboundEvent } from '../sinks/sink.js';
import type { AckLedger } from './ack-ledger.js';

export interface IdentityEmitterDeps {
  preparer: EventPreparer;
  ledger: AckLedger;
  runId: string;
  /** state.fingerprint_ignore: paths left out of the change fingerprint besides the volatile ones. */
  fingerprintIgnore: readonly string[];
  /**
   * The fingerprint last delivered for a key. When given, an identity whose fingerprint did not change is not
   * sent again (full mode); without it every identity is sent (incremental, backfill).
   */
  deliveredFingerprint?: ((key: string) => string | undefined) | undefined;
  /** Told about an identity left unsent because it did not change (it still counts as delivered). */
  onUnchanged?: ((key: string, createDateMs: number | undefined) => void) | undefined;
}

/** queued: in the ledger; unchanged: not sent; invalid: dead-lettered (failed OCSF validation). */
export type EmitResult = 'queued' | 'unchanged' | 'invalid';

export type IdentityEmitter = (identity: Identity) => Promise<EmitResult>;

/**
 * The event as it waits for its batch's acknowledgement: its JSON, with the object read back from it only
 * when a sink asks (most sinks send the JSON as it is). Up to two batches per account wait at a time, and the
 * object graph of an event takes about twice the memory of its JSON: keeping only the JSON is what holds a
 * 20-account run's peak resident memory down.
 */
export function outboundEvent(
  key: string,
  json: string,
  facts: { time: number; accountUid: string },
): OutboundEvent {
  let event: Record<string, unknown> | undefined;
  return {
    key,
    json,
    time: facts.time,
    accountUid: facts.accountUid,
    get event(): Record<string, unknown> {
      return (event ??= JSON.parse(json) as Record<string, unknown>);
    },
  };
}

export function createIdentityEmitter(deps: IdentityEmitterDeps): IdentityEmitter {
  const { preparer, ledger, runId, fingerprintIgnore } = deps;
  return async (identity) => {
    const key = identityKey(identity);
    const prepared = preparer.prepare(identity, { collectedAt: Date.now(), runId, eventId: randomUUID() });
    if (!prepared.ok) {
      ledger.deadLetterInvalid(key, prepared.event, prepared.errors);
      return 'invalid';
    }
    const fingerprint = changeFingerprint(prepared.event, fingerprintIgnore);
    const createDateMs = identityCreateDate(identity);
    if (deps.deliveredFingerprint?.(key) === fingerprint) {
      deps.onUnchanged?.(key, createDateMs);
      return 'unchanged';
    }
    const { time, cloud } = prepared.event;
    await ledger.add(
      outboundEvent(key, JSON.stringify(prepared.event), { time, accountUid: cloud.account.uid }),
      {
        type: 'upsert',
        kind: identity.kind,
        name: identityName(identity),
        createDateMs,
        fingerprint,
      },
    );
    return 'queued';
  };
}
