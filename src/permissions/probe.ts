// What every permission probe shares. A probe is one cheap call, on a real entity of the account when there
// is one. AWS authorizes a call before it looks the entity up, so "the entity does not exist" (NoSuchEntity,
// ResourceNotFound, no credential report yet) proves the permission as well as a success does; a denial
// proves it missing.
import { credentialReportState, isNotFound } from '../collector/index.js';
import { failure, type CheckResult } from './check-result.js';

/** What the probe saw (ok), or why it could not test the permission (skipped). */
export type ProbeOutcome = string | { skipped: string };

/** A name no real entity has: a call on it answers NoSuchEntity when authorized. */
export const PROBE_NAME = 'iam-inventory-permission-probe';
/** The same for the Identity Store's UUIDs. */
export const PROBE_UUID = '00000000-0000-4000-8000-000000000000';

/** Resolves to undefined when the error proves the call was authorized; rethrows anything else. */
export async function authorized<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error) || credentialReportState(error) !== undefined) return undefined;
    throw error;
  }
}

/** Runs one probe as the check of `check` on `target`; a failed call is a failed check. */
export async function runProbe(
  check: string,
  target: string,
  fn: () => Promise<ProbeOutcome>,
): Promise<CheckResult> {
  try {
    const outcome = await fn();
    return typeof outcome === 'string'
      ? { check, target, status: 'ok', detail: outcome }
      : { check, target, status: 'skipped', detail: outcome.skipped };
  } catch (error) {
    return failure(check, target, error);
  }
}
