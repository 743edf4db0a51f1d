import type { IamUser } from '../identity.js';
import { activeKeys, sortedById } from './credential-facts.js';
import { DAY_MS, day, type RiskInput, type UserRiskRule } from './risk-rule.js';

// CIS 1.12: credentials unused for 45 days or more. A credential never used counts from its creation. The
// detail names the last use or creation day, never "N days ago", which would change the event every day.

function unusedSince(
  what: string,
  lastUsed: number | undefined,
  created: number | undefined,
  { now, thresholds }: RiskInput,
): string | undefined | 'unknown' {
  const since = lastUsed ?? created;
  if (since === undefined) return 'unknown';
  if (now - since < thresholds.unusedDays * DAY_MS) return undefined;
  return lastUsed === undefined
    ? `${what}: never used, created ${day(since)}, unused for ${thresholds.unusedDays} days or more`
    : `${what}: last used ${day(since)}, unused for ${thresholds.unusedDays} days or more`;
}

function findings(user: IamUser, input: RiskInput): { details: string[]; incomplete: boolean } {
  const details: string[] = [];
  let incomplete = user.loginProfile === undefined;
  const checks: Array<ReturnType<typeof unusedSince>> = [];
  if (user.loginProfile) {
    checks.push(unusedSince('console password', user.passwordLastUsed, user.loginProfile.createDate, input));
  }
  const keys = activeKeys(user);
  if (keys === undefined) incomplete = true;
  for (const key of sortedById(keys ?? [])) {
    checks.push(unusedSince(`access key ${key.id}`, key.lastUsedTime, key.createDate, input));
  }
  for (const check of checks) {
    if (check === 'unknown') incomplete = true;
    else if (check !== undefined) details.push(check);
  }
  return { details, incomplete };
}

export const credentialUnused: UserRiskRule = {
  kind: 'iam_user',
  code: 'credential_unused',
  level: 'Medium',
  cis: '1.12',
  summary: 'an active access key or a console password not used for risk.unused_days (default 45)',
  evaluate: findings,
};
