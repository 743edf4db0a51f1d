// What AWS does after a write: CloudTrail records it as a management event and an EventBridge rule
// forwards "AWS API Call via CloudTrail" to a queue. With the change feed on, each admin mutation of the
// emulator publishes that event (the shape of a real one, only the fields consumers read) after a delay.
import { randomUUID } from 'node:crypto';
import type { EmuQueue } from './queue.js';

export interface ChangeFeedOptions {
  /** The queue the events land on (created when absent), in `accountId` (default: the world's default). */
  queueName: string;
  accountId?: string;
  /** From the write to the message becoming receivable (CloudTrail + EventBridge delivery); default 0. */
  delayMs?: number;
}

/** The CloudTrail facts of one write; the account and time are added when it is published. */
export interface CloudTrailWrite {
  eventSource: string;
  eventName: string;
  requestParameters: Record<string, unknown>;
  responseElements?: Record<string, unknown> | null;
}

export function cloudTrailEvent(
  write: CloudTrailWrite,
  accountId: string,
  at: number,
): Record<string, unknown> {
  const time = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${write.eventSource.split('.')[0] ?? 'iam'}`,
    account: accountId,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', accountId },
      eventTime: time,
      eventSource: write.eventSource,
      eventName: write.eventName,
      awsRegion: 'us-east-1',
      requestParameters: write.requestParameters,
      responseElements: write.responseElements ?? null,
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    },
  };
}

export class ChangeFeed {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly queue: EmuQueue,
    private readonly delayMs: number,
  ) {}

  publish(write: CloudTrailWrite, accountId: string, at = Date.now()): void {
    const body = JSON.stringify(cloudTrailEvent(write, accountId, at));
    if (this.delayMs <= 0) {
      this.queue.send(body);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.send(body);
    }, this.delayMs);
    this.timers.add(timer);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
