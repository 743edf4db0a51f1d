// The one AWS error classifier on plain inputs: every code it knows, in the shapes the SDK gives them (the
// Query protocol's wire code beside the exception name, the JSON protocols' name alone), wrapped in the
// collector's own errors, and the HTTP status fallbacks.
import { describe, expect, it } from '@jest/globals';
import {
  awsErrorCode,
  classifyAwsError,
  describeAwsError,
  isAccessDenied,
  isNotFound,
  isThrottlingError,
  knownAwsErrorCodes,
  type AwsErrorKind,
} from '../../src/collector/aws/aws-error.js';
import { AccountCollectionError, EnrichmentError } from '../../src/collector/aws/errors.js';
import { CredentialReportError } from '../../src/collector/iam/credential-report-csv.js';

/** Each code with its kind, written out here so that a change to the classifier's table shows in review. */
const CODES: [string, AwsErrorKind][] = [
  ['Throttling', 'throttled'],
  ['ThrottlingException', 'throttled'],
  ['TooManyRequestsException', 'throttled'],
  ['ThrottledException', 'throttled'],
  ['RequestLimitExceeded', 'throttled'],
  ['RequestThrottled', 'throttled'],
  ['RequestThrottledException', 'throttled'],
  ['SlowDown', 'throttled'],
  ['PriorRequestNotComplete', 'throttled'],
  ['AccessDenied', 'denied'],
  ['AccessDeniedException', 'denied'],
  ['NotAuthorized', 'denied'],
  ['UnauthorizedOperation', 'denied'],
  ['NoSuchEntity', 'not_found'],
  ['NoSuchEntityException', 'not_found'],
  ['ResourceNotFoundException', 'not_found'],
  ['InternalFailure', 'transient'],
  ['InternalError', 'transient'],
  ['ServiceUnavailable', 'transient'],
  ['ServiceFailure', 'transient'],
  ['ServiceFailureException', 'transient'],
  ['InternalServerException', 'transient'],
  ['ServiceException', 'transient'],
  ['RequestTimeout', 'transient'],
  ['RequestTimeoutException', 'transient'],
  ['TimeoutError', 'transient'],
  ['ECONNRESET', 'transient'],
  ['ECONNREFUSED', 'transient'],
  ['EPIPE', 'transient'],
  ['ETIMEDOUT', 'transient'],
  ['MalformedResponse', 'malformed'],
];

const retryable = (kind: AwsErrorKind): boolean =>
  kind === 'throttled' || kind === 'transient' || kind === 'malformed';

describe('classifyAwsError', () => {
  it('knows exactly the codes of this table', () => {
    expect(Object.fromEntries(CODES)).toEqual(knownAwsErrorCodes());
  });

  it.each(CODES)('classifies %s as %s', (code, kind) => {
    // As the exception name (JSON protocols, or a Query code the SDK does not model) ...
    expect(classifyAwsError({ name: code, message: 'x' })).toEqual({
      kind,
      retryable: retryable(kind),
      code,
    });
    // ... as the wire code beside a name of the SDK's own ...
    expect(classifyAwsError({ name: 'SomeModeledException', Code: code }).kind).toBe(kind);
    // ... and as a Node.js error's code.
    expect(classifyAwsError(Object.assign(new Error('socket'), { code })).kind).toBe(kind);
  });

  it('prefers the wire code as the code it reports, and keeps the HTTP status', () => {
    const error = { name: 'NoSuchEntityException', Code: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } };
    expect(classifyAwsError(error)).toEqual({
      kind: 'not_found',
      retryable: false,
      code: 'NoSuchEntity',
      httpStatus: 404,
    });
    expect(awsErrorCode(error)).toBe('NoSuchEntity');
  });

  it('falls back on the HTTP status: 429 is throttled, 5xx transient, anything else other', () => {
    expect(classifyAwsError({ name: 'Whatever', $metadata: { httpStatusCode: 429 } }).kind).toBe('throttled');
    expect(classifyAwsError({ name: 'Whatever', $response: { statusCode: 429 } }).kind).toBe('throttled');
    expect(classifyAwsError({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toEqual({
      kind: 'transient',
      retryable: true,
      code: 'Whatever',
      httpStatus: 503,
    });
    expect(classifyAwsError({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } }).kind).toBe(
      'other',
    );
    // A known code wins over the status (AccessDenied comes with 403, never retried).
    expect(classifyAwsError({ name: 'AccessDenied', $metadata: { httpStatusCode: 500 } }).kind).toBe(
      'denied',
    );
  });

  it('classifies what is not an AWS error as other, not retryable', () => {
    expect(classifyAwsError(new Error('boom'))).toEqual({ kind: 'other', retryable: false, code: 'Error' });
    expect(classifyAwsError('a string')).toEqual({ kind: 'other', retryable: false });
    expect(classifyAwsError(undefined)).toEqual({ kind: 'other', retryable: false });
    expect(classifyAwsError({ name: '' })).toEqual({ kind: 'other', retryable: false });
    // Not denials: the organization does not exist, the credentials do not work.
    expect(isAccessDenied({ name: 'AWSOrganizationsNotInUseException' })).toBe(false);
    expect(isAccessDenied({ name: 'InvalidClientTokenId', Code: 'InvalidClientTokenId' })).toBe(false);
  });

  it("sees through the collector's own errors and names the action that failed", () => {
    const denied = { name: 'AccessDenied', Code: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
    expect(classifyAwsError(new EnrichmentError('iam:ListMFADevices', denied))).toEqual({
      kind: 'denied',
      retryable: false,
      code: 'AccessDenied',
      httpStatus: 403,
      action: 'iam:ListMFADevices',
    });
    const listing = new AccountCollectionError('111111111111', 'iam:GetAccountAuthorizationDetails', denied);
    expect(classifyAwsError(listing)).toMatchObject({
      kind: 'denied',
      code: 'AccessDenied',
      action: 'iam:GetAccountAuthorizationDetails',
    });
    // The innermost action is the one that failed.
    const nested = new EnrichmentError(
      'iam:GetUser',
      new EnrichmentError('iam:GetPolicy', { name: 'Throttling' }),
    );
    expect(classifyAwsError(nested)).toMatchObject({ kind: 'throttled', action: 'iam:GetPolicy' });
    expect(classifyAwsError(new CredentialReportError('no report', 'iam:GetCredentialReport'))).toEqual({
      kind: 'other',
      retryable: false,
      action: 'iam:GetCredentialReport',
    });
  });

  it('answers the three common questions', () => {
    expect(isThrottlingError({ name: 'TooManyRequestsException' })).toBe(true);
    expect(isAccessDenied({ name: 'AccessDeniedException' })).toBe(true);
    expect(isNotFound(new EnrichmentError('iam:GetUser', { name: 'NoSuchEntityException' }))).toBe(true);
    expect(isNotFound({ name: 'AccessDenied' })).toBe(false);
  });
});

describe('describeAwsError', () => {
  it('gives the code and the message, never one twice', () => {
    expect(describeAwsError({ name: 'AccessDenied', message: 'User: x is not authorized' })).toBe(
      'AccessDenied: User: x is not authorized',
    );
    expect(describeAwsError({ name: 'NoSuchEntityException', Code: 'NoSuchEntity', message: 'gone' })).toBe(
      'NoSuchEntity: gone',
    );
    expect(describeAwsError(new Error('plain'))).toBe('plain');
    expect(describeAwsError({ name: 'Throttling', message: 'Throttling' })).toBe('Throttling');
    expect(describeAwsError('text')).toBe('text');
  });
});
