// The IAM permission probes of one account, one cheap call each, in an order where a probe that finds a
// real entity (a user, a group, a policy) runs before the probes that use it.
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListEntitiesForPolicyCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { isAccessDenied } from '../collector/index.js';
import { messageOf, type CheckResult } from './check-result.js';
import { authorized, PROBE_NAME, runProbe, type ProbeOutcome } from './probe.js';

const FALLBACK_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
/** Users scanned for an access key when the first user has none. */
const KEY_SEARCH_USERS = 20;

/** What a probe learned, for the probes after it. */
interface Discovered {
  userName?: string;
  groupName?: string;
  groupInline?: string;
  userInline?: string;
  policyArn?: string;
  policyVersion?: string;
  roleName?: string;
  roleInline?: string;
  accessKeyId?: string;
  /** The caller's own access key id, when it acts in this account. */
  callerAccessKeyId?: string;
}

type IamProbe = (iam: IAMClient, d: Discovered) => Promise<ProbeOutcome>;

const user = (d: Discovered): string => d.userName ?? PROBE_NAME;
const group = (d: Discovered): string => d.groupName ?? PROBE_NAME;
const role = (d: Discovered): string => d.roleName ?? PROBE_NAME;
const on = (kind: string, name: string | undefined): string =>
  name === undefined ? `(no ${kind} found)` : `${kind} ${name}`;

/** Probes in dependency order: a probe that discovers an entity runs before those that use it. */
export const IAM_PROBES: Readonly<Record<string, IamProbe>> = {
  'iam:ListAccountAliases': async (iam) => {
    const r = await iam.send(new ListAccountAliasesCommand({ MaxItems: 1 }));
    return r.AccountAliases?.[0] !== undefined ? `alias ${r.AccountAliases[0]}` : 'no alias';
  },
  'iam:GetAccountSummary': async (iam) => {
    const r = await iam.send(new GetAccountSummaryCommand({}));
    return `${r.SummaryMap?.Users ?? '?'} users`;
  },
  'iam:ListUsers': async (iam, d) => {
    const r = await iam.send(new ListUsersCommand({ MaxItems: 1 }));
    const name = r.Users?.[0]?.UserName;
    if (name !== undefined) d.userName = name;
    return on('user', name);
  },
  'iam:GetAccountAuthorizationDetails': async (iam) => {
    await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], MaxItems: 1 }));
    return 'bulk read';
  },
  'iam:ListGroupsForUser': async (iam, d) => {
    const r = await iam.send(new ListGroupsForUserCommand({ UserName: user(d), MaxItems: 1 }));
    const name = r.Groups?.[0]?.GroupName;
    if (name !== undefined) d.groupName = name;
    return on('user', d.userName);
  },
  'iam:ListGroups': async (iam, d) => {
    const r = await iam.send(new ListGroupsCommand({ MaxItems: 1 }));
    d.groupName ??= r.Groups?.[0]?.GroupName;
    return on('group', r.Groups?.[0]?.GroupName);
  },
  'iam:GetGroup': async (iam, d) => {
    await discoverGroup(iam, d);
    await authorized(iam.send(new GetGroupCommand({ GroupName: group(d), MaxItems: 1 })));
    return on('group', d.groupName);
  },
  'iam:ListAttachedUserPolicies': async (iam, d) => {
    const r = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user(d), MaxItems: 1 }));
    d.policyArn ??= r.AttachedPolicies?.[0]?.PolicyArn;
    return on('user', d.userName);
  },
  'iam:ListUserPolicies': async (iam, d) => {
    const r = await iam.send(new ListUserPoliciesCommand({ UserName: user(d), MaxItems: 1 }));
    d.userInline = r.PolicyNames?.[0];
    return on('user', d.userName);
  },
  'iam:ListMFADevices': async (iam, d) => {
    await iam.send(new ListMFADevicesCommand({ UserName: user(d), MaxItems: 1 }));
    return on('user', d.userName);
  },
  'iam:ListVirtualMFADevices': async (iam) => {
    const r = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', MaxItems: 1 }));
    return `${r.VirtualMFADevices?.length ?? 0} device(s) on the first page`;
  },
  'iam:ListAttachedGroupPolicies': async (iam, d) => {
    await discoverGroup(iam, d);
    const r = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group(d), MaxItems: 1 }));
    d.policyArn ??= r.AttachedPolicies?.[0]?.PolicyArn;
    return on('group', d.groupName);
  },
  'iam:ListGroupPolicies': async (iam, d) => {
    await discoverGroup(iam, d);
    const r = await iam.send(new ListGroupPoliciesCommand({ GroupName: group(d), MaxItems: 1 }));
    d.groupInline = r.PolicyNames?.[0];
    return on('group', d.groupName);
  },
  'iam:GetUserPolicy': async (iam, d) => {
    await authorized(
      iam.send(new GetUserPolicyCommand({ UserName: user(d), PolicyName: d.userInline ?? PROBE_NAME })),
    );
    return on('user', d.userName);
  },
  'iam:GetGroupPolicy': async (iam, d) => {
    await discoverGroup(iam, d);
    await authorized(
      iam.send(new GetGroupPolicyCommand({ GroupName: group(d), PolicyName: d.groupInline ?? PROBE_NAME })),
    );
    return on('group', d.groupName);
  },
  'iam:GetPolicy': async (iam, d) => {
    const PolicyArn = d.policyArn ?? FALLBACK_POLICY_ARN;
    const r = await authorized(iam.send(new GetPolicyCommand({ PolicyArn })));
    d.policyVersion = r?.Policy?.DefaultVersionId;
    return `policy ${PolicyArn}`;
  },
  'iam:ListEntitiesForPolicy': async (iam, d) => {
    const PolicyArn = d.policyArn ?? FALLBACK_POLICY_ARN;
    await authorized(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn, MaxItems: 1 })));
    return `policy ${PolicyArn}`;
  },
  'iam:GetPolicyVersion': async (iam, d) => {
    const PolicyArn = d.policyArn ?? FALLBACK_POLICY_ARN;
    await authorized(
      iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: d.policyVersion ?? 'v1' })),
    );
    return `policy ${PolicyArn}`;
  },
  'iam:ListAccessKeys': async (iam, d) => {
    const r = await iam.send(new ListAccessKeysCommand({ UserName: user(d), MaxItems: 1 }));
    d.accessKeyId = r.AccessKeyMetadata?.[0]?.AccessKeyId;
    return on('user', d.userName);
  },
  'iam:GetAccessKeyLastUsed': async (iam, d) => {
    // Unlike other calls, a key id of another account answers AccessDenied too: a key of the account is
    // needed. Without one found, the caller's own key is tried, and only a denial that names the missing
    // permission counts as a failure.
    const found = d.accessKeyId ?? (await findAccessKey(iam));
    const keyId = found ?? d.callerAccessKeyId;
    if (keyId === undefined)
      return { skipped: `no access key among the first ${KEY_SEARCH_USERS} users to test with` };
    try {
      await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
    } catch (error) {
      if (
        found === undefined &&
        isAccessDenied(error) &&
        !/not authorized to perform/.test(messageOf(error))
      ) {
        return { skipped: 'no access key of this account to test with' };
      }
      throw error;
    }
    return found !== undefined ? 'access key of the account' : "the caller's access key";
  },
  'iam:GetLoginProfile': async (iam, d) => {
    await authorized(iam.send(new GetLoginProfileCommand({ UserName: user(d) })));
    return on('user', d.userName);
  },
  'iam:GetUser': async (iam, d) => {
    await authorized(iam.send(new GetUserCommand({ UserName: user(d) })));
    return on('user', d.userName);
  },
  'iam:GenerateCredentialReport': async (iam) => {
    const r = await authorized(iam.send(new GenerateCredentialReportCommand({})));
    return r?.State !== undefined ? `report ${r.State}` : 'report requested';
  },
  'iam:GetCredentialReport': async (iam) => {
    const r = await authorized(iam.send(new GetCredentialReportCommand({})));
    return r === undefined ? 'no report ready yet (permission present)' : 'report readable';
  },
  'iam:ListRoles': async (iam, d) => {
    const r = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    d.roleName = r.Roles?.[0]?.RoleName;
    return on('role', d.roleName);
  },
  'iam:ListAttachedRolePolicies': async (iam, d) => {
    await authorized(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role(d), MaxItems: 1 })));
    return on('role', d.roleName);
  },
  'iam:ListRolePolicies': async (iam, d) => {
    const r = await authorized(iam.send(new ListRolePoliciesCommand({ RoleName: role(d), MaxItems: 1 })));
    d.roleInline = r?.PolicyNames?.[0];
    return on('role', d.roleName);
  },
  'iam:GetRolePolicy': async (iam, d) => {
    await authorized(
      iam.send(new GetRolePolicyCommand({ RoleName: role(d), PolicyName: d.roleInline ?? PROBE_NAME })),
    );
    return on('role', d.roleName);
  },
  'iam:GetRole': async (iam, d) => {
    await authorized(iam.send(new GetRoleCommand({ RoleName: role(d) })));
    return on('role', d.roleName);
  },
};

/** A group to probe on when the user has none: ListGroups is only discovery, its failure is ignored. */
async function discoverGroup(iam: IAMClient, d: Discovered): Promise<void> {
  if (d.groupName !== undefined) return;
  try {
    const r = await iam.send(new ListGroupsCommand({ MaxItems: 1 }));
    d.groupName = r.Groups?.[0]?.GroupName;
  } catch {
    // Probing on a name that does not exist still tells whether the permission is there.
  }
}

async function findAccessKey(iam: IAMClient): Promise<string | undefined> {
  try {
    const users = await iam.send(new ListUsersCommand({ MaxItems: KEY_SEARCH_USERS }));
    for (const u of users.Users ?? []) {
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: u.UserName, MaxItems: 1 }));
      const id = keys.AccessKeyMetadata?.[0]?.AccessKeyId;
      if (id !== undefined) return id;
    }
  } catch {
    // Without ListUsers/ListAccessKeys no key can be found: those checks report their own failure.
  }
  return undefined;
}

/** Runs the IAM probes for the given permissions (in probe order) against one account. */
export async function probeIamPermissions(
  iam: IAMClient,
  accountId: string,
  permissions: ReadonlySet<string>,
  callerAccessKeyId?: string,
): Promise<CheckResult[]> {
  const d: Discovered = callerAccessKeyId !== undefined ? { callerAccessKeyId } : {};
  const results: CheckResult[] = [];
  for (const [action, probe] of Object.entries(IAM_PROBES)) {
    if (!permissions.has(action)) continue;
    results.push(await runProbe(action, accountId, () => probe(iam, d)));
  }
  return results;
}
