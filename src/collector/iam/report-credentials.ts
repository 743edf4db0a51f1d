// A user's sign-in credentials from the account-wide answers (the credential report row and the virtual MFA
// listing), with per-user calls only where those cannot answer without doubt:
// - MFA: no MFA in the report and no virtual device = no devices (a complete, empty list). A virtual device
//   explains the report's MFA: has MFA, but a second (hardware) device cannot be ruled out, so the device
//   list is not claimed complete (mfaActive carries the fact, types stay unknown). MFA no virtual device
//   explains (hardware, security keys), or a report and a listing that disagree: ListMFADevices.
// - Access keys: a row with no key slot = no keys; otherwise ListAccessKeys for the ids, and each key's last
//   use from the one slot rotated in its creation second (GetAccessKeyLastUsed when none or two match).
// - Login profile: password_enabled decides presence; the report has no profile creation date.
// A user the change feed read from the API since the report was generated is read like one without a row.
// Whatever was taken from the row, the credentials carry the report's time: a fact is as old as its source,
// also when the user's MFA had to be read from the API.
import type { User } from '@aws-sdk/client-iam';
import type { CollectorConfig } from '../../config/config.js';
import type { AccessKey, LoginProfile, MfaDevice, MfaProvenance } from '../../identity/identity.js';
import type { CredentialReport, CredentialReportEntry } from './credential-report-csv.js';
import type { AccountReadContext } from './iam-requests.js';
import { reportEntryFor, reportedLastUse } from './report-facts.js';
import { readAccessKeys, readLoginProfile, readMfaDevices } from './user-credentials.js';
import type { VirtualMfaIndex } from './virtual-mfa.js';

/** The account-wide answers of one pass; `virtualMfa` undefined when the listing could not be had. */
export interface AccountCredentialFacts {
  report: CredentialReport;
  virtualMfa?: VirtualMfaIndex;
  /** CollectOptions.apiReadAt: a user read from the API since the report was generated skips its row. */
  apiReadAt?: (key: string) => number | undefined;
}

export interface ReportedMfa {
  mfaDevices: MfaDevice[];
  /** Set when has-MFA is known but the device list is not known to be complete. */
  mfaActive?: boolean;
  mfaProvenance: MfaProvenance;
}

/** A user's MFA, and its access keys and login profile when configured. */
export interface UserCredentials extends ReportedMfa {
  accessKeys?: AccessKey[];
  loginProfile?: LoginProfile | null;
  /** Set when any of the above came from the credential report: when it was generated. */
  reportGeneratedAt?: number;
}

/**
 * The user's credentials from the account-wide answers when they hold this very user (its report row), with
 * the user's own calls for the rest; all with the user's own calls without facts or without a row (a user
 * created after the report, or a name reused since). Every strategy reads them this way.
 */
export async function readUserCredentials(
  ctx: AccountReadContext,
  config: CollectorConfig,
  facts: AccountCredentialFacts | undefined,
  u: User,
): Promise<UserCredentials> {
  const UserName = u.UserName ?? '';
  const entry =
    facts !== undefined && !readSinceReport(facts, u) ? reportEntryFor(facts.report, u) : undefined;
  const out: UserCredentials =
    facts !== undefined && entry !== undefined
      ? await reportedMfa(ctx, facts, u, entry)
      : { mfaDevices: await readMfaDevices(ctx, UserName), mfaProvenance: { source: 'api' } };
  if (config.access_keys) {
    out.accessKeys =
      entry !== undefined ? await reportedAccessKeys(ctx, u, entry) : await readAccessKeys(ctx, UserName);
  }
  if (config.login_profile) {
    out.loginProfile =
      entry !== undefined ? reportedLoginProfile(entry) : await readLoginProfile(ctx, UserName);
  }
  const fromReport =
    out.mfaProvenance.source === 'credential_report' || config.access_keys || config.login_profile;
  if (facts !== undefined && entry !== undefined && fromReport)
    out.reportGeneratedAt = facts.report.generatedAt;
  // Each user is read once per pass: its row is let go, so the pass holds less of the report as it goes.
  // (A user listed twice is read the second time with its own calls: right, only dearer.)
  if (facts !== undefined && entry !== undefined && u.Arn !== undefined) facts.report.users.delete(u.Arn);
  return out;
}

/**
 * The read time is this machine's clock, the report's AWS's: a report generated up to this long after the
 * read still counts as older. SigV4 refuses requests from a clock more than 5 minutes off.
 */
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

/**
 * The change feed read this user from the API after the report was generated (the change that made it read
 * the user happened before): the row may lack a key created or a device enabled since, and would replace
 * the fresher event with an older picture. Its credentials are read from the API, as for a user without a
 * row, until a report generated after that read is had.
 */
function readSinceReport(facts: AccountCredentialFacts, u: User): boolean {
  const readAt = u.Arn !== undefined ? facts.apiReadAt?.(u.Arn) : undefined;
  return readAt !== undefined && readAt + CLOCK_SKEW_MARGIN_MS >= facts.report.generatedAt;
}

async function reportedMfa(
  ctx: AccountReadContext,
  facts: AccountCredentialFacts,
  u: User,
  entry: CredentialReportEntry,
): Promise<ReportedMfa> {
  const fromReport: MfaProvenance = {
    source: 'credential_report',
    reportGeneratedAt: facts.report.generatedAt,
  };
  const virtual = facts.virtualMfa?.get(u.UserId ?? '');
  if (!entry.mfaActive && virtual === undefined) {
    return { mfaDevices: [], mfaProvenance: fromReport };
  }
  if (entry.mfaActive && virtual !== undefined) {
    return { mfaDevices: [...virtual], mfaActive: true, mfaProvenance: fromReport };
  }
  return { mfaDevices: await readMfaDevices(ctx, u.UserName ?? ''), mfaProvenance: { source: 'api' } };
}

async function reportedAccessKeys(
  ctx: AccountReadContext,
  u: User,
  entry: CredentialReportEntry,
): Promise<AccessKey[]> {
  if (entry.accessKeys.every((slot) => slot.lastRotated === undefined)) return [];
  return readAccessKeys(ctx, u.UserName ?? '', (k) => reportedLastUse(entry, k));
}

function reportedLoginProfile(entry: CredentialReportEntry): LoginProfile | null {
  return entry.passwordEnabled ? {} : null;
}
