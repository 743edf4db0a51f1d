// Amazon SQS over AWS JSON 1.0 (X-Amz-Target AmazonSQS.<Action>, signing name "sqs"), which is what
// @aws-sdk/client-sqs v3 speaks: the consumer's actions plus SendMessage. A queue is named by the path of
// its URL, /<account>/<name>, so any host that reaches the emulator works as the queue URL's origin.
import type { EmuWorld } from '../model.js';
import { EmuError, type JsonAction, type JsonServiceModule } from '../service.js';
import { EmuQueue, type EmuQueueOptions } from '../sqs/queue.js';

function queues(world: EmuWorld): Map<string, EmuQueue> {
  world.queues ??= new Map();
  return world.queues;
}

/** Creates (or returns) a queue; its URL path is /<accountId>/<name>. */
export function createQueue(
  world: EmuWorld,
  accountId: string,
  name: string,
  options: EmuQueueOptions = {},
): EmuQueue {
  const key = `${accountId}/${name}`;
  const existing = queues(world).get(key);
  if (existing !== undefined) return existing;
  const queue = new EmuQueue(accountId, name, options);
  queues(world).set(key, queue);
  return queue;
}

function invalid(message: string): EmuError {
  return new EmuError('InvalidParameterValue', message, 400);
}

function queueOf(body: Record<string, unknown>, world: EmuWorld): EmuQueue {
  const url = body.QueueUrl;
  if (typeof url !== 'string' || url === '')
    throw new EmuError('MissingParameter', 'QueueUrl is required', 400);
  let path: string;
  try {
    path = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
  } catch {
    throw invalid(`QueueUrl ${url} is not a URL`);
  }
  const queue = queues(world).get(path);
  if (queue === undefined) {
    throw new EmuError('QueueDoesNotExist', 'The specified queue does not exist.', 400);
  }
  return queue;
}

function intField(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(
      `Value ${String(v)} for parameter ${name} is invalid. Must be an integer from ${min} to ${max}.`,
    );
  }
  return v;
}

function receiptHandle(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new EmuError('MissingParameter', 'ReceiptHandle is required', 400);
  return value;
}

const receiveMessage: JsonAction = async (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  const max = intField(body, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility = intField(body, 'VisibilityTimeout', 0, 43_200);
  const wait = intField(body, 'WaitTimeSeconds', 0, 20) ?? 0;
  const messages = await queue.receiveWaiting(max, visibility, wait);
  return messages.length > 0 ? { Messages: messages } : {};
};

const deleteMessage: JsonAction = (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  const handle = receiptHandle(body.ReceiptHandle);
  if (!queue.delete(handle))
    throw new EmuError('ReceiptHandleIsInvalid', `The receipt handle "${handle}" is not valid.`, 400);
  return {};
};

function batchEntries(body: Record<string, unknown>): Record<string, unknown>[] {
  const entries = Array.isArray(body.Entries) ? (body.Entries as Record<string, unknown>[]) : [];
  if (entries.length === 0 || entries.length > 10) {
    throw new EmuError(
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      'A batch holds 1 to 10 entries.',
      400,
    );
  }
  return entries;
}

const deleteMessageBatch: JsonAction = (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  const entries = batchEntries(body);
  const Successful: { Id: unknown }[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const e of entries) {
    if (typeof e.ReceiptHandle === 'string' && queue.delete(e.ReceiptHandle)) Successful.push({ Id: e.Id });
    else
      Failed.push({
        Id: e.Id,
        Code: 'ReceiptHandleIsInvalid',
        Message: 'The receipt handle is not valid.',
        SenderFault: true,
      });
  }
  return { Successful, Failed };
};

const changeMessageVisibility: JsonAction = (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  const seconds = intField(body, 'VisibilityTimeout', 0, 43_200);
  if (seconds === undefined) throw new EmuError('MissingParameter', 'VisibilityTimeout is required', 400);
  if (!queue.changeVisibility(receiptHandle(body.ReceiptHandle), seconds)) {
    throw new EmuError('MessageNotInflight', 'The message referred to is not in flight.', 400);
  }
  return {};
};

const changeMessageVisibilityBatch: JsonAction = (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  const entries = batchEntries(body);
  const Successful: { Id: unknown }[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const e of entries) {
    const seconds = e.VisibilityTimeout;
    const valid =
      typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 && seconds <= 43_200;
    if (valid && typeof e.ReceiptHandle === 'string' && queue.changeVisibility(e.ReceiptHandle, seconds))
      Successful.push({ Id: e.Id });
    else
      Failed.push({
        Id: e.Id,
        Code: valid ? 'MessageNotInflight' : 'InvalidParameterValue',
        Message: valid ? 'The message referred to is not in flight.' : 'VisibilityTimeout is invalid.',
        SenderFault: true,
      });
  }
  return { Successful, Failed };
};

const getQueueAttributes: JsonAction = (body, ctx) => {
  const all = queueOf(body, ctx.world).attributes();
  const names = Array.isArray(body.AttributeNames) ? (body.AttributeNames as string[]) : ['All'];
  if (names.includes('All')) return { Attributes: all };
  return { Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k))) };
};

const sendMessage: JsonAction = (body, ctx) => {
  const queue = queueOf(body, ctx.world);
  if (typeof body.MessageBody !== 'string' || body.MessageBody === '') {
    throw new EmuError('MissingParameter', 'MessageBody is required', 400);
  }
  const m = queue.send(body.MessageBody, intField(body, 'DelaySeconds', 0, 900) ?? 0);
  return { MessageId: m.messageId, MD5OfMessageBody: m.md5 };
};

export const sqsService: JsonServiceModule = {
  protocol: 'json',
  jsonVersion: '1.0',
  signingName: 'sqs',
  targetPrefix: 'AmazonSQS',
  actions: {
    ReceiveMessage: receiveMessage,
    DeleteMessage: deleteMessage,
    DeleteMessageBatch: deleteMessageBatch,
    ChangeMessageVisibility: changeMessageVisibility,
    ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
    GetQueueAttributes: getQueueAttributes,
    SendMessage: sendMessage,
  },
};
