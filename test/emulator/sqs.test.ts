// The emulator's SQS over AWS JSON 1.0 through the unmodified @aws-sdk/client-sqs: long polling,
// visibility timeouts, receive counts, deletes, redrive, attributes, and the change feed that turns each
// admin mutation into the CloudTrail-shaped EventBridge event AWS would deliver.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEFAULT_KEYS, failure } from './sdk-clients.js';

let emu: Emulator;
let sqs: SQSClient;
/**
 * Long beside the one local receive that must find the feed still empty: at 50 ms a loaded CI machine
 * (Node 24 pass, two workers) once received the event before that first receive was answered.
 */
const FEED_DELAY_MS = 500;

beforeAll(async () => {
  emu = await startEmulator({
    generator: { seed: 3, accounts: 1, usersPerAccount: 5, groupsPerAccount: 2 },
    changeFeed: { queueName: 'feed', delayMs: FEED_DELAY_MS },
  });
  sqs = new SQSClient({ endpoint: emu.url, region: 'us-east-1', credentials: DEFAULT_KEYS, maxAttempts: 1 });
});

afterAll(async () => {
  sqs.destroy();
  await emu.stop();
});

const receive = (url: string, wait = 0, visibility?: number) =>
  sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: wait,
      VisibilityTimeout: visibility,
      MessageSystemAttributeNames: ['All'],
    }),
  );

describe('emulator SQS', () => {
  it('sends, receives with a receive count, hides for the visibility timeout, deletes', async () => {
    const { url } = emu.createQueue('basic');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }));
    const first = await receive(url, 0, 0);
    expect(first.Messages?.map((m) => m.Body)).toEqual(['hello']);
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    const second = await receive(url, 0, 30);
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect((await receive(url)).Messages).toBeUndefined();
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    const handle = second.Messages?.[0]?.ReceiptHandle ?? '';
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
    const third = await receive(url);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.Messages?.[0]?.ReceiptHandle }),
    );
    expect(emu.createQueue('basic').queue.peek()).toHaveLength(0);
  });

  it('long-polls until a message arrives, and deletes in batches', async () => {
    const { url } = emu.createQueue('poll');
    const started = Date.now();
    const pending = receive(url, 5);
    setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' })), 100);
    const got = await pending;
    expect(got.Messages?.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(4000);
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: got.Messages?.[0]?.ReceiptHandle },
          { Id: 'b', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a']);
    expect(out.Failed?.map((f) => f.Id)).toEqual(['b']);
  });

  it('changes the visibility of a batch, failing entries that are not in flight', async () => {
    const { url } = emu.createQueue('visibility-batch');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    const got = await receive(url, 0, 30);
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: got.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'b', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a']);
    expect(out.Failed?.map((f) => f.Id)).toEqual(['b']);
    expect((await receive(url)).Messages?.map((m) => m.Body)).toEqual(['later']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const { url, queue } = emu.createQueue('redrive', { maxReceiveCount: 2 });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    await receive(url, 0, 0);
    await receive(url, 0, 0);
    expect((await receive(url)).Messages).toBeUndefined();
    expect(queue.peek()).toHaveLength(0);
    expect(
      emu
        .createQueue('redrive-dlq')
        .queue.peek()
        .map((m) => m.body),
    ).toEqual(['poison']);
  });

  it('answers an unknown queue with QueueDoesNotExist', async () => {
    const f = await failure(receive(`${emu.url}/000000000000/nope`));
    expect(f.name).toBe('QueueDoesNotExist');
  });

  it('publishes a CloudTrail-shaped EventBridge event for each admin mutation, after the delay', async () => {
    const { url } = emu.createQueue('feed');
    const account = emu.world.defaultAccountId;
    const before = Date.now();
    const res = await fetch(`${emu.url}/_emulator/users`, {
      method: 'POST',
      body: JSON.stringify({ accountId: account, userName: 'feed-user' }),
    });
    expect(res.status).toBe(200);
    expect((await receive(url)).Messages).toBeUndefined();
    const got = await receive(url, 2);
    expect(Number(got.Messages?.[0]?.Attributes?.SentTimestamp)).toBeGreaterThanOrEqual(
      before + FEED_DELAY_MS,
    );
    const event = JSON.parse(got.Messages?.[0]?.Body ?? '{}') as Record<string, unknown>;
    expect(event['detail-type']).toBe('AWS API Call via CloudTrail');
    expect(event.detail).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      requestParameters: { userName: 'feed-user' },
      responseElements: { user: { userName: 'feed-user' } },
      recipientAccountId: account,
    });
    expect(typeof (event.detail as { eventTime: unknown }).eventTime).toBe('string');
  });
});
