// The change feed's Prometheus metrics, on the daemon's registry: messages received, applied, ignored by
// reason, retried, the lag from the CloudTrail eventTime to the acknowledgement, and the queue's depth.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChangeBurstResult } from '../run/change-burst.js';

/** Seconds: EventBridge delivers within seconds; a message retried after its visibility timeout takes minutes. */
const LAG_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];

export interface ChangeMetrics {
  burst(result: ChangeBurstResult, ackedAt: number): void;
  depth(visible: number, inFlight: number): void;
}

export function createChangeMetrics(registry: Registry): ChangeMetrics {
  const received = new Counter({
    name: 'iam_inventory_changes_received_total',
    help: 'Change-feed messages received.',
    registers: [registry],
  });
  const applied = new Counter({
    name: 'iam_inventory_changes_applied_total',
    help: 'Change-feed messages applied and deleted.',
    registers: [registry],
  });
  const ignored = new Counter({
    name: 'iam_inventory_changes_ignored_total',
    help: 'Change-feed messages acknowledged without action, by reason (malformed ones stay on the queue).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const retried = new Counter({
    name: 'iam_inventory_changes_retried_total',
    help: 'Change-feed messages left on the queue for a retry (a read or a delivery failed).',
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'iam_inventory_change_lag_seconds',
    help: 'From the CloudTrail eventTime to the acknowledgement of every event the change caused.',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  const depth = new Gauge({
    name: 'iam_inventory_change_queue_depth',
    help: 'Messages on the change queue, by state (visible, in_flight).',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  return {
    burst: (r, ackedAt) => {
      received.inc(r.received);
      applied.inc(r.applied);
      retried.inc(r.retry.length);
      for (const [reason, n] of Object.entries(r.ignored)) ignored.inc({ reason }, n);
      if (r.malformed > 0) ignored.inc({ reason: 'malformed' }, r.malformed);
      for (const d of r.done)
        if (d.eventTime !== undefined) lag.observe(Math.max(0, ackedAt - d.eventTime) / 1000);
    },
    depth: (visible, inFlight) => {
      depth.set({ state: 'visible' }, visible);
      depth.set({ state: 'in_flight' }, inFlight);
    },
  };
}
