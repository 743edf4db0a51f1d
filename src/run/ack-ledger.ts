// Between "ready to send" and "recorded as delivered": events wait here in batches, go to every sink, and
// only what every sink acknowledged is committed to the checkpoint. What a sink refused for good, or what
// failed validation, becomes a dead letter. One batch is in flight while the caller goes on producing.
import type { Checkpoint, DeliveredDeletion, DeliveredIdentity } from '../checkpoint/index.js';
import type { Logger } from '../log.js';
import type { OutboundEvent, Sink } from '../sinks/sink.js';
import { EventBatcher } from './batcher.js';
import { deliverToAll, type DeliveryOutcome } from './delivery.js';
import type { ScopeTally } from './scope-summary.js';
import type { RunObserver } from './types.js';

/** What the ledger must remember about an outbound event to commit it once acknowledged. */
export type LedgerEntry =
  | { type: 'upsert'; kind: string; name: string; createDateMs?: number | undefined; fingerprint: string }
  | { type: 'deletion' };

export interface AckLedgerDeps {
  scope: string;
  runId: string;
  checkpoint: Checkpoint;
  sinks: readonly Sink[];
  batchMaxEvents: number;
  batchMaxBytes: number;
  tally: ScopeTally;
  log: Logger;
  observer?: RunObserver | undefined;
  /** Told about each identity (not deletion) once its batch is committed: the watermark follows these. */
  onCommitted?: ((key: string, createDateMs: number | undefined) => void) | undefined;
}

export class AckLedger {
  private readonly batcher: EventBatcher;
  private readonly pending = new Map<OutboundEvent, LedgerEntry>();
  private inFlight: Promise<void> | undefined;
  private deliveryFailed = false;

  constructor(private readonly deps: AckLedgerDeps) {
    this.batcher = new EventBatcher(deps.batchMaxEvents, deps.batchMaxBytes);
  }

  /** A batch was not acknowledged by every sink: nothing more is sent, and the caller should stop. */
  get failed(): boolean {
    return this.deliveryFailed;
  }

  /** Queues an event; when a batch is full it is sent once the batch before it was acknowledged. */
  async add(event: OutboundEvent, entry: LedgerEntry): Promise<void> {
    this.pending.set(event, entry);
    const ready = this.batcher.add(event);
    if (ready) {
      await this.inFlight;
      this.inFlight = this.deliver(ready);
    }
  }

  /** An event that failed OCSF validation: never sent, kept as a dead letter with its errors. */
  deadLetterInvalid(key: string, event: unknown, errors: string[]): void {
    const { checkpoint, runId, scope, tally } = this.deps;
    checkpoint.addDeadLetter({ runId, scope, key, sink: null, reason: 'invalid OCSF event', errors, event });
    tally.add('deadLetters');
    this.deps.observer?.onDeadLetters?.(1);
    tally.invalidEvent(key, errors);
  }

  /** Waits for the batch in flight and sends what is left (unless a delivery failed). */
  async finish(): Promise<void> {
    await this.inFlight;
    if (!this.deliveryFailed) await this.deliver(this.batcher.take());
  }

  private async deliver(batch: OutboundEvent[]): Promise<void> {
    if (batch.length === 0 || this.deliveryFailed) return;
    const outcome = await deliverToAll(this.deps.sinks, batch);
    if (outcome.acknowledged) this.commit(batch, outcome);
    else this.fail(batch, outcome);
  }

  private fail(batch: readonly OutboundEvent[], outcome: DeliveryOutcome): void {
    this.deliveryFailed = true;
    for (const f of outcome.failures) {
      this.deps.tally.problem(`sink ${f.sink}: ${f.error}`);
      this.deps.observer?.onSinkError?.(f.sink);
      this.deps.log.error(
        { sink: f.sink, err: f.error, events: batch.length },
        'delivery failed; state not advanced',
      );
    }
    for (const e of batch) this.pending.delete(e);
  }

  private commit(batch: readonly OutboundEvent[], outcome: DeliveryOutcome): void {
    const { checkpoint, runId, scope, tally } = this.deps;
    const upserts: DeliveredIdentity[] = [];
    const deletions: DeliveredDeletion[] = [];
    batch.forEach((e, i) => {
      const entry = this.pending.get(e);
      if (entry === undefined) throw new Error(`ack ledger: ${e.key} was sent without being added`);
      this.pending.delete(e);
      const refusals = outcome.rejected.get(i);
      if (refusals?.[0] !== undefined) {
        for (const r of refusals) {
          checkpoint.addDeadLetter({
            runId,
            scope,
            key: e.key,
            sink: r.sink,
            reason: r.reason,
            eventJson: e.json,
          });
        }
        tally.add('deadLetters');
        tally.problem(`sink ${refusals[0].sink} refused ${e.key}: ${refusals[0].reason}`);
      } else if (entry.type === 'deletion') {
        deletions.push({ scope, key: e.key });
      } else {
        const { kind, name, createDateMs, fingerprint } = entry;
        upserts.push({
          scope,
          key: e.key,
          kind,
          name,
          createDateMs: createDateMs ?? null,
          fingerprint,
          eventJson: e.json,
        });
      }
    });
    checkpoint.commitDelivered(upserts, deletions);
    for (const u of upserts) this.deps.onCommitted?.(u.key, u.createDateMs ?? undefined);
    tally.add('eventsSent', upserts.length + deletions.length);
    tally.add('deletions', deletions.length);
    for (const sink of this.deps.sinks)
      this.deps.observer?.onEventsSent?.(sink.name, upserts.length + deletions.length);
    if (outcome.rejected.size > 0) this.deps.observer?.onDeadLetters?.(outcome.rejected.size);
  }
}
