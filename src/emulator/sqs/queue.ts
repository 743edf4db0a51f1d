// One emulated SQS queue: messages with visibility timeouts, receive counts and receipt handles, a
// redrive policy to a dead-letter queue, and long-poll waiters. Timing uses the real clock (like the
// throttle): a pinned emulator clock must not freeze visibility timeouts.
import { createHash, randomUUID } from 'node:crypto';

export interface EmuQueueMessage {
  messageId: string;
  body: string;
  md5: string;
  sentAt: number;
  /** Not receivable before this (delivery delay, then each visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The handle of the latest receive; an older handle no longer changes the message. */
  receiptHandle?: string;
}

export interface EmuQueueOptions {
  visibilityTimeoutSeconds?: number;
  /** Redrive: after this many receives the message moves to `deadLetter`. */
  maxReceiveCount?: number;
  deadLetter?: EmuQueue;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes: Record<string, string>;
}

export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

export class EmuQueue {
  private readonly messages: EmuQueueMessage[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly accountId: string,
    readonly name: string,
    readonly options: EmuQueueOptions = {},
  ) {}

  get arn(): string {
    return `arn:aws:sqs:us-east-1:${this.accountId}:${this.name}`;
  }

  send(body: string, delaySeconds = 0, now = Date.now()): EmuQueueMessage {
    const message: EmuQueueMessage = {
      messageId: randomUUID(),
      body,
      md5: md5Hex(body),
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.push(message);
    this.wake();
    return message;
  }

  /** Takes up to `max` visible messages, making them invisible for the visibility timeout. */
  receive(max: number, visibilitySeconds: number | undefined, now = Date.now()): ReceivedMessage[] {
    const out: ReceivedMessage[] = [];
    const timeout = visibilitySeconds ?? this.options.visibilityTimeoutSeconds ?? 30;
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (this.redrive(m)) continue;
      m.receiveCount += 1;
      m.firstReceiveAt ??= now;
      m.visibleAt = now + timeout * 1000;
      m.receiptHandle = `${m.messageId}#${randomUUID()}`;
      out.push({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5,
        Body: m.body,
        Attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
        },
      });
    }
    return out;
  }

  /** Long poll: resolves with messages as soon as some are visible, or [] after waitSeconds. */
  async receiveWaiting(
    max: number,
    visibility: number | undefined,
    waitSeconds: number,
  ): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const got = this.receive(max, visibility);
      const left = deadline - Date.now();
      if (got.length > 0 || left <= 0) return got;
      await this.waitForChange(Math.min(left, this.nextVisibleIn()));
    }
  }

  /** True when the handle is the latest receipt of a message still on the queue (then it is deleted). */
  delete(receiptHandle: string): boolean {
    const i = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i < 0) return this.isStaleHandle(receiptHandle);
    this.messages.splice(i, 1);
    return true;
  }

  changeVisibility(receiptHandle: string, seconds: number, now = Date.now()): boolean {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (m === undefined) return false;
    m.visibleAt = now + seconds * 1000;
    this.wake();
    return true;
  }

  attributes(now = Date.now()): Record<string, string> {
    const visible = this.messages.filter((m) => m.visibleAt <= now);
    const delayed = this.messages.filter((m) => m.receiveCount === 0 && m.visibleAt > now);
    const attributes: Record<string, string> = {
      QueueArn: this.arn,
      ApproximateNumberOfMessages: String(visible.length),
      ApproximateNumberOfMessagesNotVisible: String(this.messages.length - visible.length - delayed.length),
      ApproximateNumberOfMessagesDelayed: String(delayed.length),
      VisibilityTimeout: String(this.options.visibilityTimeoutSeconds ?? 30),
    };
    const dlq = this.options.deadLetter;
    if (dlq !== undefined) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: this.options.maxReceiveCount ?? 5,
      });
    }
    return attributes;
  }

  /** Every message still on the queue (tests read the dead-letter queue this way). */
  peek(): readonly EmuQueueMessage[] {
    return this.messages;
  }

  /** Removes every message (PurgeQueue). */
  purge(): void {
    this.messages.splice(0);
  }

  /** Drops pending timers and wakes waiters (the emulator is stopping). */
  close(): void {
    this.wake();
  }

  private redrive(m: EmuQueueMessage): boolean {
    const dlq = this.options.deadLetter;
    if (dlq === undefined || m.receiveCount < (this.options.maxReceiveCount ?? 5)) return false;
    this.messages.splice(this.messages.indexOf(m), 1);
    dlq.send(m.body);
    return true;
  }

  // SQS accepts a handle of a message that is already gone; only a never-issued handle is an error.
  private isStaleHandle(receiptHandle: string): boolean {
    return /^[0-9a-f-]{36}#[0-9a-f-]{36}$/.test(receiptHandle);
  }

  private nextVisibleIn(now = Date.now()): number {
    let next = Number.POSITIVE_INFINITY;
    for (const m of this.messages) if (m.visibleAt > now) next = Math.min(next, m.visibleAt - now);
    return next;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
