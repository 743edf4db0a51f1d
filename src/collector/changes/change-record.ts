// An SQS message of the change feed, decoded: its body is an EventBridge event ("AWS API Call via
// CloudTrail") whose detail is the CloudTrail record of one write. Pure: no AWS call, no clock.

/** The CloudTrail facts a change is acted on with. */
export interface ChangeRecord {
  eventSource: string;
  eventName: string;
  accountId: string;
  /** CloudTrail eventTime, epoch ms (the start of the change's lag). */
  eventTime: number;
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown>;
}

export type IgnoreReason = 'error_code' | 'read_only' | 'out_of_scope' | 'not_relevant';

export type DecodedMessage =
  | { kind: 'change'; record: ChangeRecord }
  | { kind: 'ignored'; reason: IgnoreReason; eventName?: string; accountId?: string }
  /** Not an EventBridge CloudTrail event: left on the queue for its redrive policy. */
  | { kind: 'malformed'; problem: string };

export const CHANGE_SOURCES: ReadonlySet<string> = new Set([
  'iam.amazonaws.com',
  'sso.amazonaws.com',
  'identitystore.amazonaws.com',
]);

const READ_ONLY_PREFIX = /^(Get|List|Describe|Generate|Simulate|Search|Is)[A-Z]/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function detailOf(body: string): Json | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (!isObject(parsed)) return 'the body is not a JSON object';
  if (parsed['detail-type'] !== 'AWS API Call via CloudTrail') {
    return `detail-type is ${JSON.stringify(parsed['detail-type'])}, expected "AWS API Call via CloudTrail"`;
  }
  if (!isObject(parsed.detail)) return 'the event has no detail object';
  return parsed.detail;
}

/**
 * Decodes one message body. `inScope` says whether an account is one the configuration inventories: a
 * change elsewhere is acknowledged and counted, never acted on.
 */
export function decodeChangeMessage(body: string, inScope: (accountId: string) => boolean): DecodedMessage {
  const detail = detailOf(body);
  if (typeof detail === 'string') return { kind: 'malformed', problem: detail };
  const { eventSource, eventName, recipientAccountId, eventTime } = detail;
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') {
    return { kind: 'malformed', problem: 'detail.eventSource and detail.eventName must be strings' };
  }
  if (typeof recipientAccountId !== 'string' || !/^[0-9]{12}$/.test(recipientAccountId)) {
    return { kind: 'malformed', problem: 'detail.recipientAccountId must be a 12-digit account id' };
  }
  const time = typeof eventTime === 'string' ? Date.parse(eventTime) : Number.NaN;
  if (Number.isNaN(time)) return { kind: 'malformed', problem: 'detail.eventTime must be an ISO 8601 time' };
  const facts = { eventName, accountId: recipientAccountId };
  if (detail.errorCode !== undefined && detail.errorCode !== null)
    return { kind: 'ignored', reason: 'error_code', ...facts };
  if (detail.readOnly === true || READ_ONLY_PREFIX.test(eventName))
    return { kind: 'ignored', reason: 'read_only', ...facts };
  if (!CHANGE_SOURCES.has(eventSource)) return { kind: 'ignored', reason: 'not_relevant', ...facts };
  if (!inScope(recipientAccountId)) return { kind: 'ignored', reason: 'out_of_scope', ...facts };
  return {
    kind: 'change',
    record: {
      eventSource,
      eventName,
      accountId: recipientAccountId,
      eventTime: time,
      requestParameters: isObject(detail.requestParameters) ? detail.requestParameters : {},
      responseElements: isObject(detail.responseElements) ? detail.responseElements : {},
    },
  };
}
