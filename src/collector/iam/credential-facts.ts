// The account-wide credential answers of one pass: the credential report (no older than
// collector.credential_report_max_age_seconds) and the assigned virtual MFA devices. Not having them
// degrades, never fails: without a report every user's MFA, keys and login profile are read per user for
// this pass; without the virtual listing, MFA the report shows is read per user. Each degradation is logged
// and kept as a sentence (naming the action that failed) for the run summary.
import type { CollectorConfig } from '../../config/config.js';
import { describeAwsError } from '../aws/aws-error.js';
import { fetchCredentialReport } from './credential-report.js';
import { CredentialReportError, type CredentialReport } from './credential-report-csv.js';
import type { CollectOptions } from '../source.js';
import type { AccountReadContext } from './iam-requests.js';
import type { AccountCredentialFacts } from './report-credentials.js';
import { readVirtualMfaDevices, type VirtualMfaIndex } from './virtual-mfa.js';

export interface CredentialFactsRead {
  facts?: AccountCredentialFacts;
  /** Why the pass reads some facts per user instead (one sentence each). */
  degraded: string[];
}

async function readCredentialFacts(
  ctx: AccountReadContext,
  config: CollectorConfig,
  now: () => number = Date.now,
): Promise<CredentialFactsRead> {
  const degraded: string[] = [];
  const note = (sentence: string): void => {
    ctx.logger.warn({ accountId: ctx.accountId, reason: sentence }, 'credential facts read per user');
    degraded.push(sentence);
  };
  let report: CredentialReport;
  try {
    report = await fetchCredentialReport(ctx.iam, {
      maxWaitSeconds: config.credential_report_max_wait_seconds,
      logger: ctx.logger,
      now,
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    });
    refuseStale(report, config.credential_report_max_age_seconds, now());
  } catch (error) {
    ctx.signal?.throwIfAborted();
    note(`credential report not used, MFA, keys and login profiles read per user: ${reportFailure(error)}`);
    return { degraded };
  }
  let virtualMfa: VirtualMfaIndex | undefined;
  try {
    virtualMfa = await readVirtualMfaDevices(ctx, config.page_size);
  } catch (error) {
    ctx.signal?.throwIfAborted();
    note(
      `virtual MFA devices not listed, MFA read per user where the report shows it: ${describeAwsError(error)}`,
    );
  }
  return { facts: { report, ...(virtualMfa !== undefined ? { virtualMfa } : {}) }, degraded };
}

/**
 * The account-wide answers of one strategy pass when the configuration takes credentials from the report
 * (mfa_source: credential_report); each degradation is told to the run. undefined = read per user.
 */
export async function passCredentialFacts(
  ctx: AccountReadContext,
  config: CollectorConfig,
  options: CollectOptions,
): Promise<AccountCredentialFacts | undefined> {
  if (config.mfa_source !== 'credential_report') return undefined;
  const { facts, degraded } = await readCredentialFacts(ctx, config);
  for (const sentence of degraded) options.onDegraded?.(sentence);
  if (facts !== undefined && options.apiReadAt !== undefined) facts.apiReadAt = options.apiReadAt;
  return facts;
}

/** AWS serves its cached report while it is younger than 4 hours: one older than the limit is refused. */
function refuseStale(report: CredentialReport, maxAgeSeconds: number, now: number): void {
  const ageSeconds = Math.round((now - report.generatedAt) / 1000);
  if (ageSeconds > maxAgeSeconds) {
    throw new CredentialReportError(
      `the report generated at ${new Date(report.generatedAt).toISOString()} is ${ageSeconds}s old, older than collector.credential_report_max_age_seconds (${maxAgeSeconds})`,
      'iam:GetCredentialReport',
    );
  }
}

function reportFailure(error: unknown): string {
  if (error instanceof CredentialReportError) return `${error.action} failed: ${error.message}`;
  return `iam:GetCredentialReport failed: ${describeAwsError(error)}`;
}
