// The posture model: every figure of the report computed once from the state's last events, then rendered as
// HTML, Markdown or JSON, so that the three carry the same numbers.
import {
  eventFacts,
  type EventFacts,
  type IdentityKind,
  type ReasonFact,
  type ReportRiskLevel,
} from './event-facts.js';
import { keyAgeBuckets, type KeyAgeBucket } from './key-ages.js';

export type PostureLevel = ReportRiskLevel | 'Not evaluated';
export const POSTURE_LEVELS: readonly PostureLevel[] = [
  'Critical',
  'High',
  'Medium',
  'Low',
  'Info',
  'Not evaluated',
];

export interface PostureOptions {
  /** Report time, epoch ms: key ages are counted to it. */
  now: number;
  stateFile: string;
  /** risk.rotation_days: an active key older than this is stale. */
  rotationDays: number;
}

export interface Totals {
  identities: number;
  accounts: number;
  iamUsers: number;
  iamRoles: number;
  identityCenterUsers: number;
  admins: number;
  adminsWithoutMfa: number;
  consoleUsers: number;
  consoleWithoutMfa: number;
  identitiesAtRisk: number;
  activeKeys: number;
  staleKeys: number;
}

export type LevelCounts = Record<PostureLevel, number>;

export interface AccountPosture {
  accountId: string;
  accountName: string;
  identities: number;
  iamUsers: number;
  iamRoles: number;
  identityCenterUsers: number;
  admins: number;
  byLevel: LevelCounts;
}

export interface IdentityRef {
  name: string;
  uid: string;
  kind: IdentityKind;
  accountId: string;
  accountName: string;
}

export interface AdminEntry extends IdentityRef {
  /** How the identity is Admin: admin_via forms, or Identity Center permission sets per account. */
  via: string[];
  /** null where MFA does not apply or is not known (roles, Identity Center users). */
  mfa: boolean | null;
}

export interface RiskEntry extends IdentityRef {
  level: ReportRiskLevel;
  score: number;
  reasons: ReasonFact[];
}

export interface IdentityCenterAccountAdmins {
  accountId: string;
  accountName: string;
  admins: Array<{ name: string; uid: string; permissionSets: string[]; unverified: boolean }>;
}

export interface RuleCount {
  code: string;
  identities: number;
}

export interface Posture {
  generatedAt: string;
  stateFile: string;
  rotationDays: number;
  totals: Totals;
  byLevel: LevelCounts;
  accounts: AccountPosture[];
  admins: AdminEntry[];
  adminsWithoutMfa: IdentityRef[];
  consoleWithoutMfa: IdentityRef[];
  /** Identities with at least one reason, highest score first. */
  atRisk: RiskEntry[];
  /** Identities per reason code, and per rule that could not be evaluated. */
  reasonCounts: RuleCount[];
  skippedRules: RuleCount[];
  keyAges: KeyAgeBucket[];
  identityCenterAdmins: IdentityCenterAccountAdmins[];
}

const emptyLevels = (): LevelCounts =>
  Object.fromEntries(POSTURE_LEVELS.map((level) => [level, 0])) as LevelCounts;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byAccountThenName = (a: IdentityRef, b: IdentityRef): number =>
  compareText(a.accountId, b.accountId) || compareText(a.name, b.name) || compareText(a.uid, b.uid);

function refOf(f: EventFacts): IdentityRef {
  return { name: f.name, uid: f.uid, kind: f.kind, accountId: f.accountId, accountName: f.accountName };
}

function countBy(values: Iterable<string>): RuleCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([code, identities]) => ({ code, identities }))
    .sort((a, b) => compareText(a.code, b.code));
}

function adminVia(f: EventFacts): string[] {
  if (f.kind !== 'identity_center') return f.adminVia;
  const via = f.assignments
    .filter((a) => a.admin || a.adminUnverified)
    .map((a) => `${a.permissionSet} on ${a.accountId} (${a.via}${a.admin ? '' : ', unverified'})`);
  return via.length > 0 ? via.sort() : f.adminAccounts.map((account) => `admin on ${account}`);
}

function accountPosture(facts: readonly EventFacts[]): AccountPosture[] {
  const accounts = new Map<string, AccountPosture>();
  for (const f of facts) {
    let a = accounts.get(f.accountId);
    if (a === undefined) {
      a = {
        accountId: f.accountId,
        accountName: f.accountName,
        identities: 0,
        iamUsers: 0,
        iamRoles: 0,
        identityCenterUsers: 0,
        admins: 0,
        byLevel: emptyLevels(),
      };
      accounts.set(f.accountId, a);
    }
    a.identities++;
    if (f.kind === 'iam_user') a.iamUsers++;
    if (f.kind === 'iam_role') a.iamRoles++;
    if (f.kind === 'identity_center') a.identityCenterUsers++;
    if (f.isAdmin) a.admins++;
    a.byLevel[f.riskLevel ?? 'Not evaluated']++;
  }
  return [...accounts.values()].sort((x, y) => compareText(x.accountId, y.accountId));
}

function identityCenterAdmins(facts: readonly EventFacts[]): IdentityCenterAccountAdmins[] {
  const byAccount = new Map<string, IdentityCenterAccountAdmins>();
  for (const f of facts) {
    if (f.kind !== 'identity_center') continue;
    const sets = new Map<string, { names: Set<string>; name?: string; verified: boolean }>();
    for (const a of f.assignments.filter((x) => x.admin || x.adminUnverified)) {
      const entry = sets.get(a.accountId) ?? {
        names: new Set<string>(),
        name: a.accountName,
        verified: false,
      };
      entry.names.add(a.permissionSet);
      entry.verified ||= a.admin;
      sets.set(a.accountId, entry);
    }
    for (const account of f.adminAccounts)
      if (!sets.has(account)) sets.set(account, { names: new Set(), verified: true });
    for (const [accountId, entry] of sets) {
      const group = byAccount.get(accountId) ?? {
        accountId,
        accountName: entry.name ?? accountId,
        admins: [],
      };
      group.admins.push({
        name: f.name,
        uid: f.uid,
        permissionSets: [...entry.names].sort(),
        unverified: !entry.verified,
      });
      byAccount.set(accountId, group);
    }
  }
  const groups = [...byAccount.values()].sort((a, b) => compareText(a.accountId, b.accountId));
  for (const group of groups)
    group.admins.sort((a, b) => compareText(a.name, b.name) || compareText(a.uid, b.uid));
  return groups;
}

function totalsOf(facts: readonly EventFacts[], accounts: number, staleKeys: number): Totals {
  const count = (test: (f: EventFacts) => boolean): number =>
    facts.reduce((n, f) => n + (test(f) ? 1 : 0), 0);
  return {
    identities: facts.length,
    accounts,
    iamUsers: count((f) => f.kind === 'iam_user'),
    iamRoles: count((f) => f.kind === 'iam_role'),
    identityCenterUsers: count((f) => f.kind === 'identity_center'),
    admins: count((f) => f.isAdmin),
    adminsWithoutMfa: count(isAdminWithoutMfa),
    consoleUsers: count((f) => f.kind === 'iam_user' && f.consolePassword === true),
    consoleWithoutMfa: count(isConsoleWithoutMfa),
    identitiesAtRisk: count((f) => f.reasons.length > 0),
    activeKeys: facts.reduce((n, f) => n + f.activeKeys.length, 0),
    staleKeys,
  };
}

const isAdminWithoutMfa = (f: EventFacts): boolean =>
  f.kind === 'iam_user' && f.isAdmin && f.hasMfa === false;
const isConsoleWithoutMfa = (f: EventFacts): boolean =>
  f.kind === 'iam_user' && f.consolePassword === true && f.hasMfa === false;

function atRiskOf(facts: readonly EventFacts[]): RiskEntry[] {
  return facts
    .filter((f) => f.reasons.length > 0)
    .map((f) => ({ ...refOf(f), level: f.riskLevel ?? 'Info', score: f.riskScore ?? 0, reasons: f.reasons }))
    .sort((a, b) => b.score - a.score || byAccountThenName(a, b));
}

/** `events`: the stored last events, of any supported OCSF version (anything else counts as an identity of kind other). */
export function computePosture(events: Iterable<unknown>, options: PostureOptions): Posture {
  const facts: EventFacts[] = [];
  for (const event of events) facts.push(eventFacts(event));
  const accounts = accountPosture(facts);
  const byLevel = emptyLevels();
  for (const f of facts) byLevel[f.riskLevel ?? 'Not evaluated']++;
  const keyAges = keyAgeBuckets(
    facts.flatMap((f) => f.activeKeys),
    options.now,
    options.rotationDays,
  );
  const staleKeys = keyAges.filter((bucket) => bucket.stale).reduce((n, bucket) => n + bucket.count, 0);
  return {
    generatedAt: new Date(options.now).toISOString(),
    stateFile: options.stateFile,
    rotationDays: options.rotationDays,
    totals: totalsOf(facts, accounts.length, staleKeys),
    byLevel,
    accounts,
    admins: facts
      .filter((f) => f.isAdmin)
      .map((f) => ({ ...refOf(f), via: adminVia(f), mfa: f.kind === 'iam_user' ? (f.hasMfa ?? null) : null }))
      .sort(byAccountThenName),
    adminsWithoutMfa: facts.filter(isAdminWithoutMfa).map(refOf).sort(byAccountThenName),
    consoleWithoutMfa: facts.filter(isConsoleWithoutMfa).map(refOf).sort(byAccountThenName),
    atRisk: atRiskOf(facts),
    reasonCounts: countBy(facts.flatMap((f) => [...new Set(f.reasons.map((reason) => reason.code))])),
    skippedRules: countBy(facts.flatMap((f) => f.skipped)),
    keyAges,
    identityCenterAdmins: identityCenterAdmins(facts),
  };
}
