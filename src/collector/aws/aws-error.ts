// What an AWS error means, decided in one place: a throttled attempt is counted, a denial makes `auto` read
// per user and `check` name the missing permission, "not found" marks an identity gone mid-run (or proves a
// permission probe was authorized), and a transient failure is one another attempt may cure. A malformed
// answer (a 200 whose body cannot be parsed: truncated, cut by a proxy) is one too, for a read.
//
// A code is matched on the wire code (`Code`, what the Query protocol of IAM and STS sends), the SDK's
// exception name and a Node.js error's `code`: an SDK that models a code renames it (NoSuchEntity becomes
// NoSuchEntityException), one that does not reports the wire code as the name.

export type AwsErrorKind = 'throttled' | 'denied' | 'not_found' | 'transient' | 'malformed' | 'other';

export interface AwsErrorClass {
  kind: AwsErrorKind;
  /** Whether another attempt may succeed: throttled, transient or malformed. */
  retryable: boolean;
  /** The AWS error code (`Code`, else the exception name). */
  code?: string;
  httpStatus?: number;
  /** The action that failed, when the collector's own error names it ("iam:ListUsers"). */
  action?: string;
}

/** Every code the collector knows, with the services (among those it calls) that send it. */
const KNOWN_CODES: Readonly<Record<string, AwsErrorKind>> = {
  Throttling: 'throttled', // IAM, STS
  ThrottlingException: 'throttled', // Identity Store, SSO Admin
  TooManyRequestsException: 'throttled', // Organizations
  ThrottledException: 'throttled',
  RequestLimitExceeded: 'throttled',
  RequestThrottled: 'throttled',
  RequestThrottledException: 'throttled',
  SlowDown: 'throttled',
  PriorRequestNotComplete: 'throttled',

  AccessDenied: 'denied', // IAM, STS (AssumeRole)
  AccessDeniedException: 'denied', // Organizations, Identity Store, SSO Admin
  NotAuthorized: 'denied', // a common error of the Query services
  UnauthorizedOperation: 'denied', // EC2-style services

  NoSuchEntity: 'not_found', // IAM
  NoSuchEntityException: 'not_found', // IAM, as the SDK names it
  ResourceNotFoundException: 'not_found', // Identity Store, SSO Admin

  InternalFailure: 'transient', // a common error of every service
  InternalError: 'transient',
  ServiceUnavailable: 'transient',
  ServiceFailure: 'transient', // IAM
  ServiceFailureException: 'transient', // IAM, as the SDK names it
  InternalServerException: 'transient', // Identity Store, SSO Admin
  ServiceException: 'transient', // Organizations
  RequestTimeout: 'transient',
  RequestTimeoutException: 'transient',
  TimeoutError: 'transient', // the SDK's own request timeout
  ECONNRESET: 'transient', // Node.js network errors
  ECONNREFUSED: 'transient',
  EPIPE: 'transient',
  ETIMEDOUT: 'transient',

  MalformedResponse: 'malformed', // the collector's own name for an answer that could not be parsed
};

/** What the SDK appends to the message of an answer it could not parse: internals, not for people. */
const SDK_DESERIALIZATION_HINT = /\s*Deserialization error: to see the raw response[^\n]*/;

interface ErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
}

/**
 * The SDK failed to parse an answer that was not an error: a 2xx status (the deserializer sets it on its own
 * error) and no AWS error code, only a parser's name ("Error", "SyntaxError").
 */
function isUnparsedAnswer(e: ErrorShape, httpStatus: number): boolean {
  if (httpStatus < 200 || httpStatus > 299) return false;
  if (typeof e.Code === 'string') return false;
  return typeof e.message === 'string' && (SDK_DESERIALIZATION_HINT.test(e.message) || '$response' in e);
}

/**
 * The collector's own errors about a failed call (EnrichmentError, AccountCollectionError ...): the action,
 * and the AWS error as `cause` or its code as `awsCode`.
 */
interface FailedCall {
  action: string;
  cause?: unknown;
  awsCode?: unknown;
}

function isFailedCall(error: object): error is FailedCall {
  return typeof (error as { action?: unknown }).action === 'string';
}

/** The codes an error carries (wire code, exception name, Node.js code), most specific first. */
export function awsErrorCodes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const e = error as ErrorShape;
  return [e.Code, e.name, e.code].filter((c): c is string => typeof c === 'string' && c !== '');
}

/** The AWS error code of an SDK error, when it has one: the wire code, else the exception name. */
export function awsErrorCode(error: unknown): string | undefined {
  return awsErrorCodes(error)[0];
}

function httpStatusOf(e: ErrorShape): number | undefined {
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function classifyCodes(codes: string[], httpStatus: number | undefined): AwsErrorClass {
  let kind: AwsErrorKind = 'other';
  const known = codes.find((code) => KNOWN_CODES[code] !== undefined);
  if (known !== undefined) kind = KNOWN_CODES[known] ?? 'other';
  else if (httpStatus === 429) kind = 'throttled';
  else if (httpStatus !== undefined && httpStatus >= 500) kind = 'transient';
  const out: AwsErrorClass = {
    kind,
    retryable: kind === 'throttled' || kind === 'transient' || kind === 'malformed',
  };
  if (codes[0] !== undefined) out.code = codes[0];
  if (httpStatus !== undefined) out.httpStatus = httpStatus;
  return out;
}

/** What an SDK error (or the collector's error wrapping one, or anything thrown) means. */
export function classifyAwsError(error: unknown): AwsErrorClass {
  if (typeof error !== 'object' || error === null) return { kind: 'other', retryable: false };
  if (isFailedCall(error)) {
    const inner =
      error.cause !== undefined
        ? classifyAwsError(error.cause)
        : classifyCodes(typeof error.awsCode === 'string' ? [error.awsCode] : [], undefined);
    return { ...inner, action: inner.action ?? error.action };
  }
  const shape = error as ErrorShape;
  const httpStatus = httpStatusOf(shape);
  if (httpStatus !== undefined && isUnparsedAnswer(shape, httpStatus)) {
    return { kind: 'malformed', retryable: true, httpStatus };
  }
  return classifyCodes(awsErrorCodes(error), httpStatus);
}

export function isThrottlingError(error: unknown): boolean {
  return classifyAwsError(error).kind === 'throttled';
}

export function isAccessDenied(error: unknown): boolean {
  return classifyAwsError(error).kind === 'denied';
}

/** The entity the call is about does not exist (or no longer does). */
export function isNotFound(error: unknown): boolean {
  return classifyAwsError(error).kind === 'not_found';
}

/** The codes the classifier knows and their kinds (for its tests and the documentation). */
export function knownAwsErrorCodes(): Readonly<Record<string, AwsErrorKind>> {
  return KNOWN_CODES;
}

/** "AccessDenied: User: ... is not authorized ..." from an SDK error (or anything thrown). */
export function describeAwsError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as ErrorShape;
    const code = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : undefined;
    const message =
      typeof e.message === 'string' ? e.message.replace(SDK_DESERIALIZATION_HINT, '') : undefined;
    if (code !== undefined && message !== undefined && message !== '' && message !== code) {
      // The collector's malformed-answer error says what it is in its message already.
      return code === 'Error' || code === 'MalformedResponse' ? message : `${code}: ${message}`;
    }
    if (code !== undefined) return code;
    if (message !== undefined) return message;
  }
  return String(error);
}
