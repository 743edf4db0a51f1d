import { RISK_LEVEL_ID, type RiskLevel } from './risk-rule.js';

// risk_score, 0..100: the highest level sets the band (Info 0, Low 20-39, Medium 40-59, High 60-79,
// Critical 80-100), and every further reason adds its weight (Low 2, Medium 4, High 6, Critical 8) up to the
// top of the band. So a score never ranks an identity above one of a higher level, and among identities of
// one level more reasons score higher. It depends on the reasons only, so it moves only when they do.

const BAND_FLOOR = [0, 20, 40, 60, 80] as const;
const WEIGHT = [0, 2, 4, 6, 8] as const;

export function riskScore(levels: readonly RiskLevel[]): number {
  if (levels.length === 0) return 0;
  const ids = levels.map((level) => RISK_LEVEL_ID[level]).sort((a, b) => b - a);
  const top = ids[0] ?? 0;
  if (top === 0) return 0;
  const extra = ids.slice(1).reduce((sum, id) => sum + (WEIGHT[id] ?? 0), 0);
  const ceiling = top === 4 ? 100 : (BAND_FLOOR[top] ?? 0) + 19;
  return Math.min(ceiling, (BAND_FLOOR[top] ?? 0) + extra);
}
