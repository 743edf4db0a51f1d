import { activeKeys, sortedById } from './credential-facts.js';
import { DAY_MS, day, outcome, type UserRiskRule } from './risk-rule.js';

// CIS 1.14: keys rotated every 90 days or less, so a key exactly 90 days old is still within the rule.
export const keyNotRotated: UserRiskRule = {
  kind: 'iam_user',
  code: 'key_not_rotated',
  level: 'Medium',
  cis: '1.14',
  summary: 'an active access key older than risk.rotation_days (default 90)',
  evaluate(user, { now, thresholds }) {
    const keys = activeKeys(user);
    if (keys === undefined) return outcome([], true);
    const details: string[] = [];
    let incomplete = false;
    for (const key of sortedById(keys)) {
      if (key.createDate === undefined) incomplete = true;
      else if (now - key.createDate > thresholds.rotationDays * DAY_MS) {
        details.push(
          `access key ${key.id}: created ${day(key.createDate)}, not rotated within ${thresholds.rotationDays} days`,
        );
      }
    }
    return outcome(details, incomplete);
  },
};
