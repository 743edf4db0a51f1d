// The risk assessment of an identity in the event: the level and score on `user` (OCSF 1.3.0+), the
// reasons and the rules that could not be evaluated under `unmapped.aws`.
import type { RiskAssessment } from '../identity/risk/index.js';
import type { OcsfUser } from './event.js';

export type OcsfRiskFields = Pick<OcsfUser, 'risk_level_id' | 'risk_level' | 'risk_score'>;

export interface RiskEventFields {
  user: OcsfRiskFields;
  aws: { risk_reasons: RiskAssessment['reasons']; risk_rules_skipped: RiskAssessment['skipped'] };
}

export function riskEventFields(assessment: RiskAssessment): RiskEventFields {
  return {
    user: { risk_level_id: assessment.levelId, risk_level: assessment.level, risk_score: assessment.score },
    aws: {
      risk_reasons: assessment.reasons.map(({ code, level, detail }) => ({ code, level, detail })),
      risk_rules_skipped: [...assessment.skipped],
    },
  };
}
