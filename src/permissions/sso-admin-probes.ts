// The probes of Identity Center access (sso-admin in the caller's account): the permission set reads on
// the first permission set of the instance, and the assignment listings on the caller's own account.
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { CheckResult } from './check-result.js';
import { authorized, PROBE_UUID, runProbe, type ProbeOutcome } from './probe.js';

interface Found {
  permissionSetArn?: string;
}

interface ProbeInput {
  sso: SSOAdminClient;
  InstanceArn: string;
  accountId: string;
  found: Found;
}

type SsoProbe = (p: ProbeInput) => Promise<ProbeOutcome>;

/** A probe on the first permission set, skipped when the instance has none. */
function onPermissionSet(call: (p: ProbeInput, PermissionSetArn: string) => Promise<unknown>): SsoProbe {
  return async (p) => {
    const arn = p.found.permissionSetArn;
    if (arn === undefined) return { skipped: 'no permission set to probe on' };
    await authorized(call(p, arn));
    return `permission set ${arn}`;
  };
}

const SSO_ADMIN_PROBES: Readonly<Record<string, SsoProbe>> = {
  'sso:ListPermissionSets': async (p) => {
    const r = await p.sso.send(new ListPermissionSetsCommand({ InstanceArn: p.InstanceArn, MaxResults: 1 }));
    const arn = r.PermissionSets?.[0];
    if (arn !== undefined) p.found.permissionSetArn = arn;
    return arn !== undefined ? `permission set ${arn}` : 'no permission set';
  },
  'sso:DescribePermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(new DescribePermissionSetCommand({ InstanceArn: p.InstanceArn, PermissionSetArn })),
  ),
  'sso:ListManagedPoliciesInPermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(
      new ListManagedPoliciesInPermissionSetCommand({ InstanceArn: p.InstanceArn, PermissionSetArn }),
    ),
  ),
  'sso:GetInlinePolicyForPermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn: p.InstanceArn, PermissionSetArn })),
  ),
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(
      new ListCustomerManagedPolicyReferencesInPermissionSetCommand({
        InstanceArn: p.InstanceArn,
        PermissionSetArn,
      }),
    ),
  ),
  'sso:GetPermissionsBoundaryForPermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(
      new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn: p.InstanceArn, PermissionSetArn }),
    ),
  ),
  'sso:ListAccountsForProvisionedPermissionSet': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(
      new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: p.InstanceArn, PermissionSetArn }),
    ),
  ),
  'sso:ListAccountAssignments': onPermissionSet((p, PermissionSetArn) =>
    p.sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: p.InstanceArn,
        PermissionSetArn,
        AccountId: p.accountId,
      }),
    ),
  ),
  'sso:ListAccountAssignmentsForPrincipal': async (p) => {
    await authorized(
      p.sso.send(
        new ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: p.InstanceArn,
          PrincipalType: 'USER',
          PrincipalId: PROBE_UUID,
          MaxResults: 1,
        }),
      ),
    );
    return `instance ${p.InstanceArn}`;
  },
};

export async function probeSsoAdmin(
  sso: SSOAdminClient,
  instanceArn: string | undefined,
  accountId: string,
  permissions: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const found: Found = {};
  for (const [action, probe] of Object.entries(SSO_ADMIN_PROBES)) {
    if (!permissions.has(action)) continue;
    results.push(
      await runProbe(action, accountId, async () =>
        instanceArn === undefined
          ? { skipped: 'no Identity Center instance (set identity_center.instance_arn)' }
          : probe({ sso, InstanceArn: instanceArn, accountId, found }),
      ),
    );
  }
  return results;
}

export function ssoAdminProbedActions(): string[] {
  return Object.keys(SSO_ADMIN_PROBES);
}
