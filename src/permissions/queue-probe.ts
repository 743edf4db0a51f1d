// The change queue's probe (changes.queue_url): GetQueueAttributes on the queue itself, with the caller's
// credentials, so a missing queue (QueueDoesNotExist) or a denied action fails the check and names both.
// ReceiveMessage, DeleteMessage and ChangeMessageVisibility are not probed: a receive would hide real
// messages and count towards their redrive, and the others need a message in hand.
import { ChangeQueue } from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { CheckResult } from './check-result.js';
import { runProbe } from './probe.js';

export const QUEUE_PROBE_ACTION = 'sqs:GetQueueAttributes';
const UNPROBED = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];

/** The queue's checks, or none when the change feed is off. */
export async function probeChangeQueue(config: Config): Promise<CheckResult[]> {
  const url = config.changes.queue_url;
  if (url === undefined) return [];
  const queue = new ChangeQueue(config);
  try {
    const probed = await runProbe(QUEUE_PROBE_ACTION, url, async () => {
      const depth = await queue.depth();
      return `${depth.visible} visible, ${depth.inFlight} in flight`;
    });
    return [
      probed,
      {
        check: UNPROBED.join(', '),
        target: url,
        status: 'skipped',
        detail: 'not probed: a receive would hide real messages (granted by `policy`)',
      },
    ];
  } finally {
    queue.close();
  }
}
