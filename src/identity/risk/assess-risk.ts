// Runs the rules that apply to an identity and sums them up as OCSF wants: the highest level, a score, the
// reasons sorted by level then code, and the rules that could not be evaluated.
import { analyzeAdmin, type AdminAnalysis } from '../admin-analysis.js';
import type { IamRole, IamUser, Identity } from '../identity.js';
import { riskScore } from './risk-score.js';
import {
  RISK_LEVEL_ID,
  type RiskCode,
  type RiskLevel,
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

interface RuleRun {
  code: RiskCode;
  level: RiskLevel;
  result: RuleOutcome;
}

function compareReasons(a: RiskReason, b: RiskReason): number {
  const byLevel = RISK_LEVEL_ID[b.level] - RISK_LEVEL_ID[a.level];
  if (byLevel !== 0) return byLevel;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0;
}

function runRules(identity: Identity, input: AssessRiskInput): RuleRun[] | undefined {
  if (identity.kind === 'identity_center_user') return undefined;
  const ruleInput = { ...input, admin: input.admin ?? analyzeAdmin(identity) };
  if (identity.kind === 'iam_user') {
    return USER_RISK_RULES.map((rule) => ({ ...rule, result: rule.evaluate(identity, ruleInput) }));
  }
  return ROLE_RISK_RULES.map((rule) => ({ ...rule, result: rule.evaluate(identity, ruleInput) }));
}

/**
 * The risk of an IAM user or role at `now`; undefined for identities no rule applies to (Identity Center
 * users: their MFA and sign-in are managed by Identity Center, which the Identity Store API does not show).
 */
export function assessRisk(identity: IamUser | IamRole, input: AssessRiskInput): RiskAssessment;
export function assessRisk(identity: Identity, input: AssessRiskInput): RiskAssessment | undefined;
export function assessRisk(identity: Identity, input: AssessRiskInput): RiskAssessment | undefined {
  const runs = runRules(identity, input);
  if (runs === undefined) return undefined;
  const reasons: RiskReason[] = [];
  const skipped: RiskCode[] = [];
  for (const { code, level, result } of runs) {
    for (const detail of result.details) reasons.push({ code, level, detail });
    if (result.details.length === 0 && result.incomplete) skipped.push(code);
  }
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
