import { activeKeys, sortedById } from './credential-facts.js';
import { outcome, type UserRiskRule } from './risk-rule.js';

export const multipleActiveKeys: UserRiskRule = {
  kind: 'iam_user',
  code: 'multiple_active_keys',
  level: 'Low',
  cis: '1.13',
  summary: 'more than one active access key',
  evaluate(user) {
    const keys = activeKeys(user);
    if (keys === undefined) return outcome([], true);
    if (keys.length < 2) return outcome([]);
    const ids = sortedById(keys).map((key) => key.id);
    return outcome([`${keys.length} active access keys: ${ids.join(', ')}`]);
  },
};
