// Hands one batch to every sink at once. The batch counts as delivered only when every sink acknowledged it;
// an event refused for good by any sink is a dead letter and is not recorded as delivered.
import type { OutboundEvent, Sink } from '../sinks/sink.js';

export interface DeliveryOutcome {
  /** Every sink acknowledged the batch (some events may still have been refused: see `rejected`). */
  acknowledged: boolean;
  /** Batch index -> refusals (sink, reason). */
  rejected: Map<number, { sink: string; reason: string }[]>;
  failures: { sink: string; error: string }[];
}

export async function deliverToAll(
  sinks: readonly Sink[],
  batch: readonly OutboundEvent[],
): Promise<DeliveryOutcome> {
  const results = await Promise.allSettled(sinks.map((sink) => sink.send(batch)));
  const rejected = new Map<number, { sink: string; reason: string }[]>();
  const failures: { sink: string; error: string }[] = [];
  results.forEach((result, i) => {
    const sink = sinks[i]!;
    if (result.status === 'rejected') {
      const err = result.reason as { message?: string } | undefined;
      failures.push({ sink: sink.name, error: err?.message ?? String(result.reason) });
      return;
    }
    for (const r of result.value.rejected) {
      const list = rejected.get(r.index) ?? [];
      list.push({ sink: sink.name, reason: r.reason });
      rejected.set(r.index, list);
    }
  });
  return { acknowledged: failures.length === 0, rejected, failures };
}
