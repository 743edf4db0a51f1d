import { activeKeys, sortedById } from './credential-facts.js';
import { DAY_MS, day, outcome, type UserRiskRule } from './risk-rule.js';

/** CIS 1.11: no access key at user setup; a fresh key may not have been used yet, hence the grace period. */
export const KEY_NEVER_USED_GRACE_DAYS = 7;

export const keyNeverUsed: UserRiskRule = {
  kind: 'iam_user',
  code: 'key_never_used',
  level: 'Low',
  cis: '1.11',
  summary: `an active access key never used and older than ${KEY_NEVER_USED_GRACE_DAYS} days`,
  evaluate(user, { now }) {
    const keys = activeKeys(user);
    if (keys === undefined) return outcome([], true);
    const details: string[] = [];
    let incomplete = false;
    for (const key of sortedById(keys)) {
      if (key.lastUsedTime !== undefined) continue;
      if (key.createDate === undefined) incomplete = true;
      else if (now - key.createDate > KEY_NEVER_USED_GRACE_DAYS * DAY_MS) {
        details.push(`access key ${key.id}: never used, created ${day(key.createDate)}`);
      }
    }
    return outcome(details, incomplete);
  },
};
