// The permission model: which AWS actions the configured features need (what `policy` prints), and the
// probes that show each one granted or missing (what `check` runs).
export {
  assumeRoleResources,
  leastPrivilegePolicy,
  requiredIamPermissions,
  requiredPermissions,
  type IamPolicyDocument,
  type IamPolicyStatement,
} from './required-permissions.js';
export { sinkRolePolicies } from './sink-permissions.js';
export { checkPermissions, probedActions } from './permission-check.js';
export type { CheckResult, CheckStatus } from './check-result.js';
