// The credential report's facts about one user: its row (when the row is this very user), and an access
// key's last use from the report slot that describes it.
import type { AccessKeyMetadata, User } from '@aws-sdk/client-iam';
import type { CredentialReport, CredentialReportEntry } from './credential-report-csv.js';
import { toMillis } from './iam-requests.js';
import type { KnownLastUse } from './user-credentials.js';

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The report's row for this very user (not an earlier user of the same name), if the report has one. */
export function reportEntryFor(
  report: CredentialReport | undefined,
  u: User,
): CredentialReportEntry | undefined {
  if (report === undefined || u.Arn === undefined) return undefined;
  const entry = report.users.get(u.Arn);
  if (entry === undefined) return undefined;
  const created = toMillis(u.CreateDate);
  if (
    entry.userCreationTime !== undefined &&
    created !== undefined &&
    seconds(entry.userCreationTime) !== seconds(created)
  ) {
    return undefined;
  }
  return entry;
}

/**
 * The key's last use from the report slot describing it: the only one whose last_rotated is the key's
 * creation second. undefined when no single slot matches (a key newer than the report).
 */
export function reportedLastUse(
  entry: CredentialReportEntry,
  key: AccessKeyMetadata,
): KnownLastUse | undefined {
  const created = toMillis(key.CreateDate);
  if (created === undefined) return undefined;
  const matches = entry.accessKeys.filter(
    (s) => s.lastRotated !== undefined && seconds(s.lastRotated) === seconds(created),
  );
  const slot = matches.length === 1 ? matches[0] : undefined;
  if (slot === undefined) return undefined;
  const known: KnownLastUse = {};
  if (slot.lastUsedDate !== undefined) known.lastUsedTime = slot.lastUsedDate;
  if (slot.lastUsedService !== undefined) known.lastUsedService = slot.lastUsedService;
  if (slot.lastUsedRegion !== undefined) known.lastUsedRegion = slot.lastUsedRegion;
  return known;
}
