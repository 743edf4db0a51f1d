// The IAM credential report: the CSV AWS builds (columns, <root_account> row, N/A / no_information /
// not_supported markers) and its generation life cycle (STARTED, then COMPLETE after a delay; stale after 4 h).
import type { EmuAccount, EmuUser } from './model.js';
import { EmuError } from './service.js';

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** AWS deletes nothing but calls a report older than this expired (GetCredentialReport -> ReportExpired). */
export const CREDENTIAL_REPORT_MAX_AGE_MS = 4 * 60 * 60 * 1000;

/** The report's own time format: ISO 8601 with +00:00, second precision. */
function reportTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function userRow(user: EmuUser): string[] {
  const passwordEnabled = user.loginProfile !== undefined;
  const keys = [...user.accessKeys].sort(
    (a, b) => a.createDate - b.createDate || (a.accessKeyId < b.accessKeyId ? -1 : 1),
  );
  const keyCols = [0, 1].flatMap((i) => {
    const key = keys[i];
    if (key === undefined) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    return [
      key.status === 'Active' ? 'true' : 'false',
      reportTime(key.createDate),
      key.lastUsed ? reportTime(key.lastUsed.date) : 'N/A',
      key.lastUsed ? key.lastUsed.region : 'N/A',
      key.lastUsed ? key.lastUsed.serviceName : 'N/A',
    ];
  });
  let passwordLastUsed = 'N/A';
  if (passwordEnabled || user.passwordLastUsed !== undefined) {
    passwordLastUsed =
      user.passwordLastUsed !== undefined ? reportTime(user.passwordLastUsed) : 'no_information';
  }
  return [
    user.userName,
    user.arn,
    reportTime(user.createDate),
    passwordEnabled ? 'true' : 'false',
    passwordLastUsed,
    user.loginProfile ? reportTime(user.loginProfile.createDate) : 'N/A',
    'N/A',
    user.mfaDevices.length > 0 ? 'true' : 'false',
    ...keyCols,
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

/** The account's creation time is not modelled: the oldest entity stands in for it. */
function accountCreation(account: EmuAccount, now: number): number {
  let oldest = now;
  for (const u of account.users.values()) oldest = Math.min(oldest, u.createDate);
  for (const g of account.groups.values()) oldest = Math.min(oldest, g.createDate);
  for (const r of account.roles.values()) oldest = Math.min(oldest, r.createDate);
  return oldest;
}

export function buildCredentialReportCsv(account: EmuAccount, now: number): string {
  const rows: string[][] = [[...CREDENTIAL_REPORT_COLUMNS]];
  rows.push([
    '<root_account>',
    `arn:aws:iam::${account.id}:root`,
    reportTime(accountCreation(account, now)),
    'not_supported',
    'no_information',
    'not_supported',
    'not_supported',
    'false',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A',
  ]);
  const users = [...account.users.values()].sort((a, b) =>
    a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0,
  );
  for (const user of users) rows.push(userRow(user));
  return rows.map((r) => r.map(csvField).join(',')).join('\n');
}

/** Completes a started report whose delay has passed (the CSV reflects the account at completion). */
function settle(account: EmuAccount, now: number): void {
  const report = account.credentialReport;
  if (report?.state === 'STARTED' && now >= report.completeAt) {
    report.state = 'COMPLETE';
    report.csv = buildCredentialReportCsv(account, now);
  }
}

export type GenerateState = 'STARTED' | 'INPROGRESS' | 'COMPLETE';

/** GenerateCredentialReport: starts a report when none exists or the last is older than 4 hours. */
export function generateCredentialReport(
  account: EmuAccount,
  now: number,
): { state: GenerateState; description: string } {
  settle(account, now);
  const report = account.credentialReport;
  if (
    report === undefined ||
    (report.state === 'COMPLETE' && now - report.completeAt > CREDENTIAL_REPORT_MAX_AGE_MS)
  ) {
    account.credentialReport = {
      state: 'STARTED',
      startedAt: now,
      completeAt: now + account.credentialReportDelayMs,
    };
    return { state: 'STARTED', description: 'No report exists. Starting a new report generation task' };
  }
  if (report.state === 'STARTED') {
    return { state: 'INPROGRESS', description: 'Report generation in progress' };
  }
  return { state: 'COMPLETE', description: 'Report is complete' };
}

/** GetCredentialReport: the CSV and when it was generated, or the error AWS gives for the report's state. */
export function getCredentialReport(
  account: EmuAccount,
  now: number,
): { csv: string; generatedTime: number } {
  settle(account, now);
  const report = account.credentialReport;
  if (report === undefined) {
    throw new EmuError(
      'ReportNotPresent',
      'Credential report not present. Use GenerateCredentialReport to generate a report.',
      410,
    );
  }
  if (report.state !== 'COMPLETE' || report.csv === undefined) {
    throw new EmuError('ReportInProgress', 'Credential report generation is in progress.', 404);
  }
  if (now - report.completeAt > CREDENTIAL_REPORT_MAX_AGE_MS) {
    throw new EmuError(
      'ReportExpired',
      'Credential report is older than four hours. Use GenerateCredentialReport to generate a new report.',
      410,
    );
  }
  return { csv: report.csv, generatedTime: report.completeAt };
}
