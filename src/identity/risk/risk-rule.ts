// What a risk rule is. A rule looks at the collected facts of one identity at one instant ("now", the
// collection time, so that a rule gives the same answer however often it is asked) and returns findings.
import type { AdminAnalysis } from '../admin-analysis.js';
import type { IamRole, IamUser } from '../identity.js';

/** OCSF risk levels (user.risk_level_id captions). */
export type RiskLevel = 'Info' | 'Low' | 'Medium' | 'High' | 'Critical';

export const RISK_LEVEL_ID: Readonly<Record<RiskLevel, number>> = {
  Info: 0,
  Low: 1,
  Medium: 2,
  High: 3,
  Critical: 4,
};

/** Highest first: the order reasons, reports and totals use. */
export const RISK_LEVELS_DESCENDING: readonly RiskLevel[] = ['Critical', 'High', 'Medium', 'Low', 'Info'];

export type RiskCode =
  | 'admin_without_mfa'
  | 'console_without_mfa'
  | 'credential_unused'
  | 'key_not_rotated'
  | 'multiple_active_keys'
  | 'key_never_used'
  | 'direct_policies'
  | 'role_trusts_anyone';

/** Thresholds from the config's `risk:` section. */
export interface RiskThresholds {
  /** A password or active key whose last use (or creation, if never used) is this many days old or more. */
  unusedDays: number;
  /** An active key created more than this many days ago. */
  rotationDays: number;
}

export interface RiskInput {
  /** Evaluation time, epoch ms: the collection time of the event. */
  now: number;
  thresholds: RiskThresholds;
  /** The identity's admin verdict (computed once by the caller). */
  admin: AdminAnalysis;
}

/**
 * `details`: one line per finding (empty = the rule found nothing). `incomplete`: a fact the rule needs was
 * not collected, so an empty result does not mean "no risk".
 */
export interface RuleOutcome {
  details: string[];
  incomplete: boolean;
}

interface RuleInfo {
  code: RiskCode;
  level: RiskLevel;
  /** CIS AWS Foundations Benchmark v3.0 recommendation, where one exists. */
  cis?: string;
  /** One line for docs and reports. */
  summary: string;
}

export interface UserRiskRule extends RuleInfo {
  kind: 'iam_user';
  evaluate(user: IamUser, input: RiskInput): RuleOutcome;
}

export interface RoleRiskRule extends RuleInfo {
  kind: 'iam_role';
  evaluate(role: IamRole, input: RiskInput): RuleOutcome;
}

export type RiskRule = UserRiskRule | RoleRiskRule;

export const DAY_MS = 86_400_000;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A calendar day (UTC, YYYY-MM-DD): precise enough for people, and it does not move while nothing changes.
 * Integer arithmetic (H. Hinnant's civil_from_days): Date#toISOString was most of the cost of a risk
 * assessment, which runs for every identity of every run.
 */
export function day(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function outcome(details: string[], incomplete = false): RuleOutcome {
  return { details, incomplete };
}

/** The first `shown` items, then "and N more": details stay short whatever the identity holds. */
export function listed(items: readonly string[], shown: number): string {
  const more = items.length > shown ? ` and ${items.length - shown} more` : '';
  return `${items.slice(0, shown).join(', ')}${more}`;
}
