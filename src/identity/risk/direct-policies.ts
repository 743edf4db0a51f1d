import { listed, outcome, type UserRiskRule } from './risk-rule.js';

export const directPolicies: UserRiskRule = {
  kind: 'iam_user',
  code: 'direct_policies',
  level: 'Low',
  cis: '1.15',
  summary: 'policies attached to or inline on the user, not through groups',
  evaluate(user) {
    const names = [
      ...user.attachedPolicies.map((policy) => policy.name).sort(),
      ...user.inlinePolicies.map((policy) => `inline:${policy.name}`).sort(),
    ];
    if (names.length === 0) return outcome([]);
    return outcome([`policies on the user, not through a group: ${listed(names, 5)}`]);
  },
};
