// Risk rules about identities (CIS AWS Foundations Benchmark v3.0, IAM section, and a few more). Pure.
export { assessRisk, type AssessRiskInput, type RiskAssessment, type RiskReason } from './assess-risk.js';
export { riskScore } from './risk-score.js';
export { KEY_NEVER_USED_GRACE_DAYS } from './key-never-used.js';
export { RISK_RULES, ROLE_RISK_RULES, USER_RISK_RULES } from './rules.js';
export { hasMfa } from './credential-facts.js';
export {
  RISK_LEVEL_ID,
  RISK_LEVELS_DESCENDING,
  type RiskCode,
  type RiskLevel,
  type RiskRule,
  type RiskThresholds,
} from './risk-rule.js';
