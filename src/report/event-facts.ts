// What the report reads from one stored event. Events may be of any supported OCSF version: an attribute
// that version's `user` lacks was moved under `unmapped.ocsf.user` by the projection, so both places are read.

export type IdentityKind = 'iam_user' | 'iam_role' | 'identity_center' | 'other';
export type ReportRiskLevel = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info';

export interface ReasonFact {
  code: string;
  level: string;
  detail: string;
}

export interface KeyFact {
  id: string;
  createdTime?: number;
}

export interface AssignmentFact {
  accountId: string;
  accountName?: string;
  permissionSet: string;
  via: string;
  admin: boolean;
  adminUnverified: boolean;
}

export interface EventFacts {
  kind: IdentityKind;
  name: string;
  uid: string;
  accountId: string;
  accountName: string;
  isAdmin: boolean;
  adminVia: string[];
  /** undefined when the event does not say (Identity Center users, older events). */
  hasMfa?: boolean;
  consolePassword?: boolean;
  /** undefined: the identity's risk was not evaluated. */
  riskLevel?: ReportRiskLevel;
  riskScore?: number;
  reasons: ReasonFact[];
  skipped: string[];
  activeKeys: KeyFact[];
  /** Identity Center: accounts where the user is admin, and the assignments (issue 16 fields). */
  adminAccounts: string[];
  assignments: AssignmentFact[];
}

type Json = Record<string, unknown>;

const LEVELS: readonly ReportRiskLevel[] = ['Info', 'Low', 'Medium', 'High', 'Critical'];
const KINDS: Record<string, IdentityKind> = {
  iam_user: 'iam_user',
  iam_role: 'iam_role',
  identity_center: 'identity_center',
};

const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function levelOf(user: Json, moved: Json, aws: Json, reasons: ReasonFact[]): ReportRiskLevel | undefined {
  const id = num(user.risk_level_id) ?? num(moved.risk_level_id);
  if (id !== undefined) return LEVELS[id];
  // Without the level attribute anywhere, the reasons (always under unmapped.aws) still give it.
  if (!Array.isArray(aws.risk_reasons)) return undefined;
  const top = Math.max(0, ...reasons.map((reason) => LEVELS.indexOf(reason.level as ReportRiskLevel)));
  return LEVELS[top];
}

function reasonsOf(aws: Json): ReasonFact[] {
  return list(aws.risk_reasons).map((item) => {
    const reason = obj(item);
    return { code: str(reason.code) ?? '', level: str(reason.level) ?? '', detail: str(reason.detail) ?? '' };
  });
}

function assignmentsOf(aws: Json): AssignmentFact[] {
  return list(aws.account_assignments).map((item) => {
    const a = obj(item);
    return {
      accountId: str(a.account_id) ?? '',
      accountName: str(a.account_name),
      permissionSet: str(a.permission_set_name) ?? str(a.permission_set_arn) ?? '',
      via: str(a.via) ?? '',
      admin: a.admin === true,
      adminUnverified: a.admin_unverified === true,
    };
  });
}

export function eventFacts(stored: unknown): EventFacts {
  const event = obj(stored);
  const user = obj(event.user);
  const unmapped = obj(event.unmapped);
  const aws = obj(unmapped.aws);
  const moved = obj(obj(unmapped.ocsf).user);
  const account = obj(user.account);
  const reasons = reasonsOf(aws);
  const login = obj(aws.login_profile);
  const score = num(user.risk_score) ?? num(moved.risk_score);
  return {
    kind: KINDS[str(aws.source) ?? ''] ?? 'other',
    name: str(user.name) ?? str(user.uid) ?? '',
    uid: str(user.uid) ?? '',
    accountId: str(account.uid) ?? '',
    accountName: str(account.name) ?? str(account.uid) ?? '',
    isAdmin: user.type_id === 2 || aws.is_admin === true,
    adminVia: list(aws.admin_via).filter((v): v is string => typeof v === 'string'),
    hasMfa: bool(user.has_mfa) ?? bool(moved.has_mfa),
    consolePassword: bool(login.present),
    riskLevel: levelOf(user, moved, aws, reasons),
    riskScore: score,
    reasons,
    skipped: list(aws.risk_rules_skipped).filter((v): v is string => typeof v === 'string'),
    activeKeys: list(aws.access_keys)
      .map(obj)
      .filter((key) => key.status === 'Active')
      .map((key) => ({ id: str(key.id) ?? '', createdTime: num(key.created_time) })),
    adminAccounts: list(aws.admin_accounts).filter((v): v is string => typeof v === 'string'),
    assignments: assignmentsOf(aws),
  };
}
