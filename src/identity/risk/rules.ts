// Every risk rule, in one table: the mapping runs them, the docs and the report list them.
import { adminWithoutMfa } from './admin-without-mfa.js';
import { consoleWithoutMfa } from './console-without-mfa.js';
import { credentialUnused } from './credential-unused.js';
import { directPolicies } from './direct-policies.js';
import { keyNeverUsed } from './key-never-used.js';
import { keyNotRotated } from './key-not-rotated.js';
import { multipleActiveKeys } from './multiple-active-keys.js';
import type { RiskRule, RoleRiskRule, UserRiskRule } from './risk-rule.js';
import { roleTrustsAnyone } from './role-trusts-anyone.js';

export const USER_RISK_RULES: readonly UserRiskRule[] = [
  adminWithoutMfa,
  consoleWithoutMfa,
  credentialUnused,
  keyNotRotated,
  multipleActiveKeys,
  keyNeverUsed,
  directPolicies,
];

export const ROLE_RISK_RULES: readonly RoleRiskRule[] = [roleTrustsAnyone];

export const RISK_RULES: readonly RiskRule[] = [...USER_RISK_RULES, ...ROLE_RISK_RULES];
