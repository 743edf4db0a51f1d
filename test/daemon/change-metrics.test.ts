// The change feed's metrics from one burst's result, with plain inputs.
import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { QueueMessage } from '../../src/collector/index.js';
import { createChangeMetrics } from '../../src/daemon/change-metrics.js';
import type { ChangeBurstResult } from '../../src/run/change-burst.js';

const message = (id: string): QueueMessage => ({
  messageId: id,
  receiptHandle: `${id}#h`,
  body: '{}',
  sentAt: 0,
  receiveCount: 1,
});

describe('change metrics', () => {
  it('count received, applied, ignored by reason, retried, the lag and the depth', async () => {
    const registry = new Registry();
    const metrics = createChangeMetrics(registry);
    const burst: ChangeBurstResult = {
      received: 5,
      applied: 1,
      ignored: { out_of_scope: 1 },
      malformed: 1,
      done: [
        { message: message('a'), eventTime: 10_000 },
        { message: message('b'), eventTime: 11_500 },
      ],
      kept: [message('c'), message('d')],
      retry: [message('d')],
      scopes: [],
    };
    metrics.burst(burst, 12_000);
    metrics.depth(3, 4);
    const text = await registry.metrics();
    expect(text).toContain('iam_inventory_changes_received_total 5');
    expect(text).toContain('iam_inventory_changes_applied_total 1');
    expect(text).toContain('iam_inventory_changes_ignored_total{reason="out_of_scope"} 1');
    expect(text).toContain('iam_inventory_changes_ignored_total{reason="malformed"} 1');
    expect(text).toContain('iam_inventory_changes_retried_total 1');
    expect(text).toContain('iam_inventory_change_lag_seconds_bucket{le="0.5"} 1');
    expect(text).toContain('iam_inventory_change_lag_seconds_bucket{le="2"} 2');
    expect(text).toContain('iam_inventory_change_lag_seconds_sum 2.5');
    expect(text).toContain('iam_inventory_change_queue_depth{state="visible"} 3');
    expect(text).toContain('iam_inventory_change_queue_depth{state="in_flight"} 4');
  });
});
