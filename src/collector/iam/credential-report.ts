// The IAM credential report of one account, generated (or AWS's cached one reused) and waited for. It
// replaces per-user calls in the bulk strategy (mfa_source: credential_report), at the price of being up to
// 4 hours old (AWS serves a cached report while it is younger than that). The generation time is kept so
// events can say how stale their MFA/key facts are.
import { GenerateCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { Logger } from '../../log.js';
import { awsErrorCode, awsErrorCodes, describeAwsError } from '../aws/aws-error.js';
import { withSignal } from '../aws/call-signal.js';
import {
  CredentialReportError,
  parseCredentialReportCsv,
  type CredentialReport,
} from './credential-report-csv.js';
import { credentialReportCall } from './report-content.js';

export interface FetchCredentialReportOptions {
  /** Give up (throw) after this long without a complete report. */
  maxWaitSeconds: number;
  logger: Logger;
  /** Clock, for tests. */
  now?: () => number;
  /** First poll delay; doubles up to maxPollDelayMs. */
  initialPollDelayMs?: number;
  maxPollDelayMs?: number;
  signal?: AbortSignal;
}

/** What an error of GenerateCredentialReport or GetCredentialReport says about the report itself. */
export type CredentialReportState = 'in_progress' | 'not_present' | 'expired' | 'limit_exceeded';

// Both the wire code (what the Query protocol sends) and the SDK's exception name.
const REPORT_STATES: Readonly<Record<string, CredentialReportState>> = {
  ReportInProgress: 'in_progress',
  CredentialReportNotReadyException: 'in_progress',
  ReportNotPresent: 'not_present',
  CredentialReportNotPresentException: 'not_present',
  ReportExpired: 'expired',
  CredentialReportExpiredException: 'expired',
  LimitExceeded: 'limit_exceeded',
  LimitExceededException: 'limit_exceeded',
};

/** The report's state an error reports (the call itself was authorized); undefined for any other error. */
export function credentialReportState(error: unknown): CredentialReportState | undefined {
  for (const code of awsErrorCodes(error)) {
    const state = REPORT_STATES[code];
    if (state !== undefined) return state;
  }
  return undefined;
}

/** How many times a vanished or expired report is regenerated before giving up (it should never loop). */
const MAX_REGENERATIONS = 5;

const GET = 'iam:GetCredentialReport';

/**
 * The deadline of one fetch: waits between polls with a doubling delay, and bounds every call with what is
 * left of the time. The SDK retries some of the report's errors itself (LimitExceeded counts as throttling):
 * aborting the call bounds those retries too.
 */
class ReportDeadline {
  private readonly deadline: number;
  private delay: number;

  constructor(
    private readonly options: FetchCredentialReportOptions,
    readonly now: () => number,
  ) {
    this.deadline = now() + options.maxWaitSeconds * 1000;
    this.delay = options.initialPollDelayMs ?? 200;
  }

  private timedOut(what: string, action: string): CredentialReportError {
    return new CredentialReportError(
      `credential report not available within ${this.options.maxWaitSeconds}s (${what})`,
      action,
    );
  }

  async wait(what: string, action: string): Promise<void> {
    if (this.now() + this.delay > this.deadline) throw this.timedOut(what, action);
    this.options.logger.debug({ delayMs: this.delay, reason: what }, 'waiting for the credential report');
    await sleep(this.delay, this.options.signal);
    this.delay = Math.min(this.options.maxPollDelayMs ?? 5000, this.delay * 2);
  }

  async send<T>(action: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal } = this.options;
    signal?.throwIfAborted();
    const remaining = this.deadline - this.now();
    if (remaining <= 0) throw this.timedOut('deadline reached', action);
    const timeout = AbortSignal.timeout(remaining);
    const abortSignal = signal !== undefined ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await call(abortSignal);
    } catch (error) {
      signal?.throwIfAborted();
      if (timeout.aborted) throw this.timedOut(`${action} retried until the deadline`, action);
      throw error;
    }
  }
}

/**
 * Generates (or reuses AWS's cached) credential report, waits for it with backoff, and parses it.
 * Throws CredentialReportError when no report is available within maxWaitSeconds.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: FetchCredentialReportOptions,
): Promise<CredentialReport> {
  const deadline = new ReportDeadline(options, options.now ?? Date.now);
  let regenerations = 0;
  for (;;) {
    await generate(iam, deadline);
    const read = await readReport(iam, deadline);
    if ('report' in read) {
      const { report } = read;
      options.logger.debug(
        { users: report.users.size, ageSeconds: Math.round((deadline.now() - report.generatedAt) / 1000) },
        'credential report read',
      );
      return report;
    }
    regenerations += 1;
    if (regenerations > MAX_REGENERATIONS) {
      throw new CredentialReportError(
        `credential report kept disappearing (${read.gone}) after ${MAX_REGENERATIONS} regenerations`,
        GET,
      );
    }
    options.logger.info({ reason: read.gone }, 'credential report missing or expired: regenerating');
  }
}

async function generate(iam: IAMClient, deadline: ReportDeadline): Promise<void> {
  const action = 'iam:GenerateCredentialReport';
  for (;;) {
    try {
      // STARTED / INPROGRESS / COMPLETE: in every case the next step is GetCredentialReport, which says
      // ReportInProgress until the report is ready.
      await deadline.send(action, (abortSignal) =>
        iam.send(withSignal(new GenerateCredentialReportCommand({}), abortSignal)),
      );
      return;
    } catch (err) {
      if (credentialReportState(err) === 'limit_exceeded') {
        await deadline.wait('LimitExceeded on GenerateCredentialReport', action);
        continue;
      }
      throw namedFailure(err, action);
    }
  }
}

/** The report once it is ready; `gone` (with the error code) when it vanished or expired meanwhile. */
async function readReport(
  iam: IAMClient,
  deadline: ReportDeadline,
): Promise<{ report: CredentialReport } | { gone: string | undefined }> {
  for (;;) {
    try {
      const get = credentialReportCall();
      const out = await deadline.send(GET, (abortSignal) => get.send(iam, abortSignal));
      const content = get.content(out);
      if (content === undefined)
        throw new CredentialReportError('GetCredentialReport returned no content', GET);
      const generatedAt = out.GeneratedTime?.getTime();
      if (generatedAt === undefined) {
        throw new CredentialReportError('GetCredentialReport returned no GeneratedTime', GET);
      }
      const csv = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
      return { report: { generatedAt, users: parseCredentialReportCsv(csv) } };
    } catch (err) {
      const state = credentialReportState(err);
      if (state === 'in_progress') {
        await deadline.wait('ReportInProgress', GET);
        continue;
      }
      if (state === 'not_present' || state === 'expired') return { gone: awsErrorCode(err) };
      throw namedFailure(err, GET);
    }
  }
}

/** A failure of `action` as a CredentialReportError naming it (one the deadline or the parser named stays). */
function namedFailure(err: unknown, action: string): unknown {
  if (err instanceof CredentialReportError || isAbort(err)) return err;
  return new CredentialReportError(describeAwsError(err), action, err);
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
