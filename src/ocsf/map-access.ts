// Identity Center access in the event: each account assignment with its admin verdict, the accounts the
// user can administer, the permission sets of each group (as the group's privileges), and the permission
// set behind an IAM role Identity Center provisioned (AWSReservedSSO_<PermissionSetName>_<suffix>).
import type { IdentityCenterUser } from '../identity/identity.js';

export interface AccessFields {
  /** The user is Admin in at least one account. */
  isAdmin: boolean;
  /** unmapped.aws members; empty when access was not collected. */
  aws: Record<string, unknown>;
  /** Permission set names by group id (only when access was collected). */
  privilegesByGroup: ReadonlyMap<string, string[]>;
}

export function accessFields(user: IdentityCenterUser): AccessFields {
  const privilegesByGroup = new Map<string, string[]>();
  for (const g of user.groups)
    if (g.permissionSets !== undefined) privilegesByGroup.set(g.groupId, g.permissionSets);
  const assignments = user.assignments;
  if (assignments === undefined) return { isAdmin: false, aws: {}, privilegesByGroup };
  const adminAccounts = [...new Set(assignments.filter((a) => a.admin).map((a) => a.accountId))].sort();
  return {
    isAdmin: adminAccounts.length > 0,
    aws: {
      account_assignments: assignments.map((a) => ({
        account_id: a.accountId,
        ...(a.accountName !== undefined ? { account_name: a.accountName } : {}),
        permission_set_arn: a.permissionSetArn,
        permission_set_name: a.permissionSetName,
        via: a.via,
        admin: a.admin,
        ...(a.adminUnverified === true ? { admin_unverified: true } : {}),
      })),
      admin_accounts: adminAccounts,
    },
    privilegesByGroup,
  };
}

const RESERVED_SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

/** The permission set name of a role Identity Center provisioned, from its name; undefined otherwise. */
export function identityCenterPermissionSet(roleName: string): string | undefined {
  return RESERVED_SSO_ROLE.exec(roleName)?.[1];
}
