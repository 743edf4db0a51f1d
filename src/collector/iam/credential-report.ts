// The IAM credential report: one CSV per account with password, MFA and access-key facts for every user.
// It replaces per-user calls in the bulk strategy (mfa_source: credential_report), at the price of being up
// to 4 hours old (AWS serves a cached report while it is younger than that). The generation time is kept so
// events can say how stale their MFA/key facts are.
import { GenerateCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { Logger } from '../../log.js';
import { awsErrorCode, awsErrorCodes } from '../aws/aws-error.js';
import { credentialReportCommand } from './report-content.js';

/** One access-key slot of the report (a user has at most two keys). */
export interface CredentialReportKey {
  active: boolean;
  /** Key creation or last rotation time (ms). Absent = the slot holds no key. */
  lastRotated?: number;
  /** Absent = never used (or no key). */
  lastUsedDate?: number;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface CredentialReportEntry {
  user: string;
  arn: string;
  userCreationTime?: number;
  /** false also when the user has no login profile. */
  passwordEnabled: boolean;
  /** Absent when never used, unknown (no_information) or no password. */
  passwordLastUsed?: number;
  passwordLastChanged?: number;
  mfaActive: boolean;
  /** Slots 1 and 2, in the report's order. */
  accessKeys: [CredentialReportKey, CredentialReportKey];
}

export interface CredentialReport {
  /** When AWS generated the report (ms): its facts are as of this time. */
  generatedAt: number;
  /** IAM users by ARN (the root account row is left out). */
  users: Map<string, CredentialReportEntry>;
}

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

const REQUIRED_COLUMNS = ['user', 'arn', 'password_enabled', 'mfa_active'] as const;

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

export class CredentialReportError extends Error {
  constructor(
    message: string,
    readonly action: string,
  ) {
    super(message);
    this.name = 'CredentialReportError';
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
  const now = options.now ?? Date.now;
  const deadline = now() + options.maxWaitSeconds * 1000;
  const maxDelay = options.maxPollDelayMs ?? 5000;
  let delay = options.initialPollDelayMs ?? 200;
  const timedOut = (what: string, action: string): CredentialReportError =>
    new CredentialReportError(
      `credential report not available within ${options.maxWaitSeconds}s (${what})`,
      action,
    );
  const wait = async (what: string, action: string): Promise<void> => {
    if (now() + delay > deadline) throw timedOut(what, action);
    options.logger.debug({ delayMs: delay, reason: what }, 'waiting for the credential report');
    await sleep(delay, options.signal);
    delay = Math.min(maxDelay, delay * 2);
  };
  // The SDK retries some of these errors itself (LimitExceeded counts as throttling): the deadline also
  // bounds those retries, by aborting the call.
  const send = async <T>(action: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    options.signal?.throwIfAborted();
    const remaining = deadline - now();
    if (remaining <= 0) throw timedOut('deadline reached', action);
    const timeout = AbortSignal.timeout(remaining);
    const abortSignal = options.signal !== undefined ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await call(abortSignal);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (timeout.aborted) throw timedOut(`${action} retried until the deadline`, action);
      throw error;
    }
  };

  let regenerations = 0;
  for (;;) {
    await generate(iam, send, wait);
    for (;;) {
      try {
        const get = credentialReportCommand();
        const out = await send('iam:GetCredentialReport', (abortSignal) =>
          iam.send(get.command, { abortSignal }),
        );
        const content = get.content(out);
        if (content === undefined) {
          throw new CredentialReportError(
            'GetCredentialReport returned no content',
            'iam:GetCredentialReport',
          );
        }
        const generatedAt = out.GeneratedTime?.getTime();
        if (generatedAt === undefined) {
          throw new CredentialReportError(
            'GetCredentialReport returned no GeneratedTime',
            'iam:GetCredentialReport',
          );
        }
        const csv = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
        const report = { generatedAt, users: parseCredentialReportCsv(csv) };
        options.logger.debug(
          { users: report.users.size, ageSeconds: Math.round((now() - generatedAt) / 1000) },
          'credential report read',
        );
        return report;
      } catch (err) {
        const state = credentialReportState(err);
        const name = awsErrorCode(err);
        if (state === 'in_progress') {
          await wait('ReportInProgress', 'iam:GetCredentialReport');
          continue;
        }
        if (state === 'not_present' || state === 'expired') {
          regenerations += 1;
          if (regenerations > MAX_REGENERATIONS) {
            throw new CredentialReportError(
              `credential report kept disappearing (${name}) after ${MAX_REGENERATIONS} regenerations`,
              'iam:GetCredentialReport',
            );
          }
          options.logger.info({ reason: name }, 'credential report missing or expired: regenerating');
          break;
        }
        throw err;
      }
    }
  }
}

type Send = <T>(action: string, call: (abortSignal: AbortSignal) => Promise<T>) => Promise<T>;

async function generate(
  iam: IAMClient,
  send: Send,
  wait: (what: string, action: string) => Promise<void>,
): Promise<void> {
  const action = 'iam:GenerateCredentialReport';
  for (;;) {
    try {
      // STARTED / INPROGRESS / COMPLETE: in every case the next step is GetCredentialReport, which says
      // ReportInProgress until the report is ready.
      await send(action, (abortSignal) => iam.send(new GenerateCredentialReportCommand({}), { abortSignal }));
      return;
    } catch (err) {
      if (credentialReportState(err) === 'limit_exceeded') {
        await wait('LimitExceeded on GenerateCredentialReport', action);
        continue;
      }
      throw err;
    }
  }
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

/**
 * Parses the report's CSV into entries by user ARN. Accepts RFC 4180 quoting; unquoted rows whose user
 * name contains commas (IAM allows them) are recovered because every column after `arn` is comma-free.
 */
export function parseCredentialReportCsv(csv: string): Map<string, CredentialReportEntry> {
  const rows = splitCsv(csv).filter((r) => !(r.length === 1 && r[0] === ''));
  const header = rows.shift();
  if (header === undefined)
    throw new CredentialReportError('credential report is empty', 'iam:GetCredentialReport');
  const column = new Map(header.map((name, i) => [name.trim(), i]));
  for (const required of REQUIRED_COLUMNS) {
    if (!column.has(required)) {
      throw new CredentialReportError(
        `credential report has no "${required}" column`,
        'iam:GetCredentialReport',
      );
    }
  }
  const users = new Map<string, CredentialReportEntry>();
  for (const raw of rows) {
    const row = realign(raw, header.length, column.get('arn') ?? 1);
    if (row === undefined) {
      throw new CredentialReportError(
        `credential report row has ${raw.length} fields, header has ${header.length}`,
        'iam:GetCredentialReport',
      );
    }
    const get = (name: string): string | undefined => {
      const i = column.get(name);
      return i === undefined ? undefined : row[i];
    };
    const user = get('user') ?? '';
    const arn = get('arn') ?? '';
    if (user === '<root_account>' || !/^arn:[^:]+:iam::\d{12}:user\//.test(arn)) continue;
    const key = (n: 1 | 2): CredentialReportKey => ({
      active: bool(get(`access_key_${n}_active`)),
      lastRotated: date(get(`access_key_${n}_last_rotated`)),
      lastUsedDate: date(get(`access_key_${n}_last_used_date`)),
      lastUsedRegion: text(get(`access_key_${n}_last_used_region`)),
      lastUsedService: text(get(`access_key_${n}_last_used_service`)),
    });
    users.set(arn, {
      user,
      arn,
      userCreationTime: date(get('user_creation_time')),
      passwordEnabled: bool(get('password_enabled')),
      passwordLastUsed: date(get('password_last_used')),
      passwordLastChanged: date(get('password_last_changed')),
      mfaActive: bool(get('mfa_active')),
      accessKeys: [key(1), key(2)],
    });
  }
  return users;
}

/** Rejoins an unquoted user name / ARN that contained commas; undefined when the row cannot be aligned. */
function realign(row: string[], width: number, arnColumn: number): string[] | undefined {
  if (row.length === width) return row;
  if (row.length < width || arnColumn !== 1) return undefined;
  const tailWidth = width - 2;
  const head = row.slice(0, row.length - tailWidth);
  const arnStart = head.findIndex((f, i) => i > 0 && f.startsWith('arn:'));
  if (arnStart < 1) return undefined;
  return [
    head.slice(0, arnStart).join(','),
    head.slice(arnStart).join(','),
    ...row.slice(row.length - tailWidth),
  ];
}

function splitCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"') {
        if (csv[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Values AWS uses for "no value": N/A (not applicable), no_information, not_supported, empty. */
function isAbsent(v: string | undefined): v is undefined {
  return v === undefined || v === '' || v === 'N/A' || v === 'no_information' || v === 'not_supported';
}

function bool(v: string | undefined): boolean {
  return v === 'true' || v === 'TRUE';
}

function date(v: string | undefined): number | undefined {
  if (isAbsent(v)) return undefined;
  const ms = Date.parse(v);
  // An unreadable date must not turn into "never used".
  if (Number.isNaN(ms))
    throw new CredentialReportError(
      `credential report has an invalid date "${v}"`,
      'iam:GetCredentialReport',
    );
  return ms;
}

function text(v: string | undefined): string | undefined {
  return isAbsent(v) ? undefined : v;
}
