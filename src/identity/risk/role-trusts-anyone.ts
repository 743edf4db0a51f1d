import { hasCondition } from '../admin-analysis.js';
import type { PolicyStatement } from '../identity.js';
import { outcome, type RoleRiskRule } from './risk-rule.js';

/** Principal "*", or "*" among the values of {"AWS": ...} and the other principal kinds. */
function allowsAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return Object.values(principal as Record<string, unknown>).some((value) => [value].flat().includes('*'));
}

export const roleTrustsAnyone: RoleRiskRule = {
  kind: 'iam_role',
  code: 'role_trusts_anyone',
  level: 'Critical',
  summary: 'a role whose trust policy allows Principal * without a Condition',
  evaluate(role) {
    if (role.trustPolicy === undefined) return outcome([], true);
    const statements: PolicyStatement[] =
      role.trustPolicy.Statement === undefined ? [] : [role.trustPolicy.Statement].flat();
    const details: string[] = [];
    statements.forEach((statement, index) => {
      if (statement.Effect !== 'Allow' || hasCondition(statement) || !allowsAnyone(statement.Principal))
        return;
      const name =
        typeof statement.Sid === 'string' && statement.Sid !== '' ? `"${statement.Sid}"` : `#${index + 1}`;
      details.push(`trust policy statement ${name} allows any principal (Principal *) without a Condition`);
    });
    return outcome(details);
  },
};
