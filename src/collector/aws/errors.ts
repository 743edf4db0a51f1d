// Errors of the collector that a run reports to people: they name the account and the AWS action, and carry
// the AWS error code and message, never credentials.
import type { CollectedItem } from '../source.js';
import { awsErrorCode, describeAwsError } from './aws-error.js';

/** The listing of an account (or a whole phase of it) failed: what was yielded before is all there is. */
export class AccountCollectionError extends Error {
  readonly accountId: string;
  /** "iam:ListUsers" */
  readonly action: string;
  readonly awsCode?: string;

  constructor(accountId: string, action: string, cause: unknown) {
    super(`account ${accountId}: ${action} failed: ${describeAwsError(cause)}`);
    this.name = 'AccountCollectionError';
    this.accountId = accountId;
    this.action = action;
    const code = awsErrorCode(cause);
    if (code !== undefined) this.awsCode = code;
  }
}

/** A response lacks a field AWS always sends: reported as such, never replaced by an empty or zero value. */
export class MalformedResponseError extends Error {
  constructor(what: string) {
    super(`malformed response: ${what} is missing`);
    this.name = 'MalformedResponseError';
  }
}

/** The value of a field AWS always sends (an ARN, a name, a CreateDate); throws MalformedResponseError. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null || value === '') throw new MalformedResponseError(what);
  return value;
}

/** A call made for one identity failed: the identity is reported failed with this action and error. */
export class EnrichmentError extends Error {
  readonly action: string;
  readonly cause: unknown;

  constructor(action: string, cause: unknown) {
    super(`${action} failed: ${describeAwsError(cause)}`);
    this.name = 'EnrichmentError';
    this.action = action;
    this.cause = cause;
  }

  get awsCode(): string | undefined {
    return awsErrorCode(this.cause);
  }
}

/** The error as an EnrichmentError of `action`, unless it already is one (of the call that failed first). */
export function asEnrichmentError(action: string, error: unknown): EnrichmentError {
  return error instanceof EnrichmentError ? error : new EnrichmentError(action, error);
}

/** Runs one AWS call; a failure (after the SDK's retries) becomes an EnrichmentError naming the action. */
export async function callAws<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asEnrichmentError(action, error);
  }
}

/** The item of an identity whose enrichment failed: the action that failed (or "collector") and its error. */
export function failedItem(key: string, name: string, error: unknown): CollectedItem {
  const action = error instanceof EnrichmentError ? error.action : 'collector';
  const cause = error instanceof EnrichmentError ? error.cause : error;
  return { status: 'failed', key, name, action, error: describeAwsError(cause) };
}
