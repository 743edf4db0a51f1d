// changes: the change feed (issue 15), CloudTrail events of IAM / Identity Center writes delivered by
// EventBridge to an SQS queue. Off until queue_url is set; the schedules stay the safety net.
import Type, { type Static } from 'typebox';

export const ChangesSchema = Type.Object(
  {
    queue_url: Type.Optional(
      Type.String({
        description: 'URL of the SQS queue the EventBridge rule feeds; setting it turns the consumer on.',
        pattern: '^https?://[^\\s/]+/[0-9]{12}/[A-Za-z0-9_-]{1,80}(\\.fifo)?$',
        'x-expected': 'an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)',
      }),
    ),
    region: Type.Optional(
      Type.String({ description: 'Region of the queue (default: aws.region).', minLength: 1 }),
    ),
    wait_seconds: Type.Integer({
      description: 'ReceiveMessage long-poll wait (WaitTimeSeconds).',
      minimum: 1,
      maximum: 20,
      default: 20,
    }),
    max_messages: Type.Integer({
      description: 'Messages per ReceiveMessage (MaxNumberOfMessages).',
      minimum: 1,
      maximum: 10,
      default: 10,
    }),
    visibility_timeout_seconds: Type.Integer({
      description:
        'How long a received message stays hidden; a message not applied in time comes back (at-least-once).',
      minimum: 1,
      maximum: 43200,
      default: 120,
    }),
    coalesce_ms: Type.Integer({
      description:
        'Longest wait for more changes after the first, to apply them together (each identity read once); a burst is applied at once when a receive comes back with fewer than max_messages (the queue is drained).',
      minimum: 0,
      maximum: 60000,
      default: 1000,
    }),
  },
  {
    description: 'Change feed: CloudTrail events through EventBridge and SQS.',
    additionalProperties: false,
    default: {},
  },
);

export type ChangesConfig = Static<typeof ChangesSchema>;
