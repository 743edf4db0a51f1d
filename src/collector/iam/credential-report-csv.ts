// The IAM credential report's content: one CSV per account with password, MFA and access-key facts for
// every user, parsed into entries by user ARN. A value the parser cannot read fails the report: an
// unreadable date must never turn into "never used".

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

export class CredentialReportError extends Error {
  constructor(
    message: string,
    readonly action: string,
    /** The AWS error behind it (its code classifies this error: denied, throttled ...). */
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'CredentialReportError';
  }
}

const REQUIRED_COLUMNS = ['user', 'arn', 'password_enabled', 'mfa_active'] as const;

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
