import { hasMfa } from './credential-facts.js';
import { outcome, type UserRiskRule } from './risk-rule.js';

export const consoleWithoutMfa: UserRiskRule = {
  kind: 'iam_user',
  code: 'console_without_mfa',
  level: 'High',
  cis: '1.10',
  summary: 'a console password without MFA',
  evaluate(user) {
    if (user.loginProfile === undefined) return outcome([], true);
    if (user.loginProfile === null || hasMfa(user)) return outcome([]);
    return outcome(['console password without MFA']);
  },
};
