// What one check of `check` found: ok (with what it saw), skipped (and why), or failed with the AWS error
// code and, for a denial, the permission it shows missing.
import { classifyAwsError, isAccessDenied } from '../collector/index.js';

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  /** "iam:ListUsers", "sts:AssumeRole", "sink" ... */
  check: string;
  /** Account id, "caller", a sink name. */
  target: string;
  status: CheckStatus;
  /** What was found (ok), why it was skipped, or the error message (failed). */
  detail?: string;
  /** The AWS error code of a failure. */
  errorCode?: string;
  /** The permission a denial shows missing. */
  missingPermission?: string;
}

export function errorCodeOf(error: unknown): string {
  return classifyAwsError(error).code ?? 'Error';
}

export function messageOf(error: unknown): string {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string }).message
    : String(error);
}

/** A failed call as a check result. */
export function failure(check: string, target: string, error: unknown): CheckResult {
  const result: CheckResult = {
    check,
    target,
    status: 'failed',
    errorCode: errorCodeOf(error),
    detail: messageOf(error),
  };
  if (isAccessDenied(error)) result.missingPermission = check;
  return result;
}
