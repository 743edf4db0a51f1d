// The change feed's SQS queue, as the consumer needs it: long-poll receive, delete what was applied,
// hand back what was not sooner than the visibility timeout (ChangeMessageVisibility with a backoff: 0 would
// be a hot loop), keep a burst hidden while it is applied, and the depth.
// The client shares the collector's configuration (aws.endpoint, credentials, max_attempts).
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Config } from '../../config/config.js';
import { createClientFor } from '../aws/clients.js';
import { baseCredentials } from '../aws/credentials.js';
import type { AwsCallObserver } from '../source.js';
import { withSignal } from '../aws/call-signal.js';

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** When SQS first made it receivable (SentTimestamp), epoch ms. */
  sentAt: number;
  receiveCount: number;
}

const SQS_BATCH = 10;

export class ChangeQueue {
  private readonly sqs: SQSClient;
  readonly url: string;

  constructor(
    private readonly config: Config,
    observer?: AwsCallObserver,
  ) {
    const url = config.changes.queue_url;
    if (url === undefined) throw new Error('changes.queue_url is not set');
    this.url = url;
    const account = /\/([0-9]{12})\//.exec(url)?.[1] ?? 'queue';
    this.sqs = createClientFor(SQSClient, {
      region: config.changes.region ?? config.aws.region,
      ...(config.aws.endpoint !== undefined ? { endpoint: config.aws.endpoint } : {}),
      credentials: baseCredentials(config.aws.credentials),
      maxAttempts: config.aws.max_attempts,
      accountId: account,
      service: 'sqs',
      ...(observer !== undefined ? { observer } : {}),
    });
  }

  async receive(waitSeconds: number, signal?: AbortSignal): Promise<QueueMessage[]> {
    const r = await this.sqs.send(
      withSignal(
        new ReceiveMessageCommand({
          QueueUrl: this.url,
          WaitTimeSeconds: waitSeconds,
          MaxNumberOfMessages: this.config.changes.max_messages,
          VisibilityTimeout: this.config.changes.visibility_timeout_seconds,
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
        signal,
      ),
    );
    return (r.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      sentAt: Number(m.Attributes?.SentTimestamp ?? Date.now()),
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  /** Deletes the messages; returns the ids SQS did not delete (they come back: at-least-once). */
  async delete(messages: readonly QueueMessage[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < messages.length; i += SQS_BATCH) {
      const chunk = messages.slice(i, i + SQS_BATCH);
      const r = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.url,
          Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle })),
        }),
      );
      for (const f of r.Failed ?? []) failed.push(chunk[Number(f.Id)]?.messageId ?? '');
    }
    return failed;
  }

  /**
   * Sets each message's visibility timeout, from now (a burst still being applied is kept hidden; a failed
   * one comes back after its backoff). Returns the ids SQS did not change (already gone or handed out again).
   */
  async changeVisibility(entries: readonly { message: QueueMessage; seconds: number }[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < entries.length; i += SQS_BATCH) {
      const chunk = entries.slice(i, i + SQS_BATCH);
      const r = await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: chunk.map((e, j) => ({
            Id: String(j),
            ReceiptHandle: e.message.receiptHandle,
            VisibilityTimeout: e.seconds,
          })),
        }),
      );
      for (const f of r.Failed ?? []) failed.push(chunk[Number(f.Id)]?.message.messageId ?? '');
    }
    return failed;
  }

  /** ApproximateNumberOfMessages (visible) plus those in flight. */
  async depth(): Promise<{ visible: number; inFlight: number }> {
    const r = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(r.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  close(): void {
    this.sqs.destroy();
  }
}
