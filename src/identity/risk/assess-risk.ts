// Runs the rules that apply to an identity and sums them up as OCSF wants: the highest level, a score, the
// reasons sorted by level then code, and the rules that could not be evaluated.
import { analyzeAdmin, type AdminAnalysis } from '../admin-analysis.js';
import type { IamRole, IamUser, Identity } from '../identity.js';
import { riskScore } from './risk-score.js';
import {
  RISK_LEVEL_ID,
  type RiskCode,
  type RiskLevel,
  type RiskRule,
  type RiskThresholds,
  type RuleOutcome,
} from './risk-rule.js';
import { ROLE_RISK_RULES, USER_RISK_RULES } from './rules.js';

export interface RiskReason {
  code: RiskCode;
  level: RiskLevel;
  detail: string;
}

export interface RiskAssessment {
  level: RiskLevel;
  levelId: number;
  score: number;
  /** Sorted by level (highest first), then code, then detail. */
  reasons: RiskReason[];
  /**
   * Rules that apply to this identity but could not be evaluated (a fact they need was not collected) and
   * found nothing in what was: their silence is not "no risk". Sorted.
   */
  skipped: RiskCode[];
}

export interface AssessRiskInput {
  now: number;
  thresholds: RiskThresholds;
  /** The admin verdict when the caller has it already. */
  admin?: AdminAnalysis;
}

function compareReasons(a: RiskReason, b: RiskReason): number {
  const byLevel = RISK_LEVEL_ID[b.level] - RISK_LEVEL_ID[a.level];
  if (byLevel !== 0) return byLevel;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0;
}

type Collect = (rule: RiskRule, result: RuleOutcome) => void;

/** Runs the rules of the identity's kind; false when no rule applies to that kind. */
function runRules(identity: Identity, input: AssessRiskInput, collect: Collect): boolean {
  if (identity.kind === 'identity_center_user') return false;
  const ruleInput = { ...input, admin: input.admin ?? analyzeAdmin(identity) };
  if (identity.kind === 'iam_user') {
    for (const rule of USER_RISK_RULES) collect(rule, rule.evaluate(identity, ruleInput));
  } else {
    for (const rule of ROLE_RISK_RULES) collect(rule, rule.evaluate(identity, ruleInput));
  }
  return true;
}

/**
 * The risk of an IAM user or role at `now`; undefined for identities no rule applies to (Identity Center
 * users: their MFA and sign-in are managed by Identity Center, which the Identity Store API does not show).
 */
export function assessRisk(identity: IamUser | IamRole, input: AssessRiskInput): RiskAssessment;
export function assessRisk(identity: Identity, input: AssessRiskInput): RiskAssessment | undefined;
export function assessRisk(identity: Identity, input: AssessRiskInput): RiskAssessment | undefined {
  const reasons: RiskReason[] = [];
  const skipped: RiskCode[] = [];
  const applies = runRules(identity, input, (rule, result) => {
    for (const detail of result.details) reasons.push({ code: rule.code, level: rule.level, detail });
    if (result.details.length === 0 && result.incomplete) skipped.push(rule.code);
  });
  if (!applies) return undefined;
  reasons.sort(compareReasons);
  const level = reasons[0]?.level ?? 'Info';
  return {
    level,
    levelId: RISK_LEVEL_ID[level],
    score: riskScore(reasons.map((reason) => reason.level)),
    reasons,
    skipped: skipped.sort(),
  };
}
