import { hasMfa } from './credential-facts.js';
import { listed, outcome, type UserRiskRule } from './risk-rule.js';

export const adminWithoutMfa: UserRiskRule = {
  kind: 'iam_user',
  code: 'admin_without_mfa',
  level: 'Critical',
  summary: 'an Admin IAM user without an MFA device',
  evaluate(user, { admin }) {
    if (!admin.isAdmin || hasMfa(user)) return outcome([]);
    return outcome([`Admin (${listed(admin.via, 3)}) without MFA`]);
  },
};
