// One cheap call per permission, on real entities of the account when there are any. AWS authorizes a call
// before it looks the entity up, so "the entity does not exist" (NoSuchEntity, ResourceNotFound, no report
// yet) proves the permission as well as a success does; AccessDenied proves it missing.
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
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand as ListStoreGroupsCommand,
  ListUsersCommand as ListStoreUsersCommand,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListInstancesCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { classifyAwsError, credentialReportState, isAccessDenied, isNotFound } from '../collector/index.js';
import type { Config } from '../config/config.js';

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  /** "iam:ListUsers", "sts:AssumeRole", "sink" ... */
  check: string;
  /** Account id, "caller", a sink name. */
  target: string;
  status: CheckStatus;
  /** What was found (ok), why it was skipped, or the error message (failed). */
  detail?: string;
  /** The AWS error code of a failure. */
  errorCode?: string;
  /** The permission a denial shows missing. */
  missingPermission?: string;
}

/** A name no real entity has: a call on it answers NoSuchEntity when authorized. */
const PROBE_NAME = 'iam-inventory-permission-probe';
const PROBE_UUID = '00000000-0000-4000-8000-000000000000';
const FALLBACK_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
/** Users scanned for an access key when the first user has none. */
const KEY_SEARCH_USERS = 20;

/** True when the error proves the call was authorized: the entity or the report just is not there. */
function provesAuthorized(error: unknown): boolean {
  return isNotFound(error) || credentialReportState(error) !== undefined;
}

export function errorCodeOf(error: unknown): string {
  return classifyAwsError(error).code ?? 'Error';
}

function messageOf(error: unknown): string {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string }).message
    : String(error);
}

/** A failed call as a check result. */
export function failure(check: string, target: string, error: unknown): CheckResult {
  const code = errorCodeOf(error);
  const result: CheckResult = { check, target, status: 'failed', errorCode: code, detail: messageOf(error) };
  if (isAccessDenied(error)) result.missingPermission = check;
  return result;
}

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

type ProbeOutcome = string | { skipped: string };
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

/** Resolves to undefined when the error proves the call was authorized; rethrows anything else. */
async function authorized<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (provesAuthorized(error)) return undefined;
    throw error;
  }
}

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

async function runProbe(
  check: string,
  target: string,
  fn: () => Promise<ProbeOutcome>,
): Promise<CheckResult> {
  try {
    const outcome = await fn();
    return typeof outcome === 'string'
      ? { check, target, status: 'ok', detail: outcome }
      : { check, target, status: 'skipped', detail: outcome.skipped };
  } catch (error) {
    return failure(check, target, error);
  }
}

export interface CallerClients {
  organizations?: OrganizationsClient;
  sso?: SSOAdminClient;
  identitystore?: IdentitystoreClient;
}

/** Probes of the caller's own account: Organizations and Identity Center. */
export async function probeCallerPermissions(
  config: Config,
  clients: CallerClients,
  accountId: string,
  permissions: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const want = (a: string): boolean => permissions.has(a);
  const { organizations, sso, identitystore } = clients;
  if (organizations !== undefined) {
    if (want('organizations:ListAccounts')) {
      results.push(
        await runProbe('organizations:ListAccounts', accountId, async () => {
          const r = await organizations.send(new ListAccountsCommand({ MaxResults: 1 }));
          return r.Accounts?.[0]?.Id !== undefined ? `account ${r.Accounts[0].Id}` : 'no account';
        }),
      );
    }
    const org = config.aws.organization;
    const parent = [...(org?.include ?? []), ...(org?.exclude ?? [])].find((id) => !/^\d{12}$/.test(id));
    for (const action of [
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
    ]) {
      if (!want(action) || parent === undefined) continue;
      results.push(
        await runProbe(action, accountId, async () => {
          if (action === 'organizations:ListAccountsForParent') {
            await authorized(
              organizations.send(new ListAccountsForParentCommand({ ParentId: parent, MaxResults: 1 })),
            );
          } else {
            await authorized(
              organizations.send(
                new ListOrganizationalUnitsForParentCommand({ ParentId: parent, MaxResults: 1 }),
              ),
            );
          }
          return `parent ${parent}`;
        }),
      );
    }
  }
  let storeId = config.identity_center.identity_store_id;
  if (sso !== undefined && want('sso:ListInstances')) {
    results.push(
      await runProbe('sso:ListInstances', accountId, async () => {
        const r = await sso.send(new ListInstancesCommand({ MaxResults: 1 }));
        storeId = r.Instances?.[0]?.IdentityStoreId;
        return storeId !== undefined ? `identity store ${storeId}` : 'no Identity Center instance';
      }),
    );
  }
  if (identitystore !== undefined) {
    const d: { userId?: string; groupId?: string } = {};
    const storeProbes: [string, (id: string) => Promise<string>][] = [
      [
        'identitystore:ListUsers',
        async (IdentityStoreId) => {
          const r = await identitystore.send(new ListStoreUsersCommand({ IdentityStoreId, MaxResults: 1 }));
          d.userId = r.Users?.[0]?.UserId;
          return `identity store ${IdentityStoreId}`;
        },
      ],
      [
        'identitystore:ListGroups',
        async (IdentityStoreId) => {
          const r = await identitystore.send(new ListStoreGroupsCommand({ IdentityStoreId, MaxResults: 1 }));
          d.groupId = r.Groups?.[0]?.GroupId;
          return `identity store ${IdentityStoreId}`;
        },
      ],
      [
        'identitystore:ListGroupMemberships',
        async (IdentityStoreId) => {
          await authorized(
            identitystore.send(
              new ListGroupMembershipsCommand({
                IdentityStoreId,
                GroupId: d.groupId ?? PROBE_UUID,
                MaxResults: 1,
              }),
            ),
          );
          return `identity store ${IdentityStoreId}`;
        },
      ],
      [
        'identitystore:ListGroupMembershipsForMember',
        async (IdentityStoreId) => {
          await authorized(
            identitystore.send(
              new ListGroupMembershipsForMemberCommand({
                IdentityStoreId,
                MemberId: { UserId: d.userId ?? PROBE_UUID },
                MaxResults: 1,
              }),
            ),
          );
          return `identity store ${IdentityStoreId}`;
        },
      ],
    ];
    for (const [action, probe] of storeProbes) {
      if (!want(action)) continue;
      const id = storeId;
      results.push(
        await runProbe(action, accountId, async () =>
          id === undefined
            ? { skipped: 'no identity store id (set identity_center.identity_store_id)' }
            : probe(id),
        ),
      );
    }
  }
  return results;
}

/** Every action some probe covers (the test checks requiredPermissions against it). */
export function probedActions(): string[] {
  return [
    ...Object.keys(IAM_PROBES),
    'organizations:ListAccounts',
    'organizations:ListAccountsForParent',
    'organizations:ListOrganizationalUnitsForParent',
    'sso:ListInstances',
    'identitystore:ListUsers',
    'identitystore:ListGroups',
    'identitystore:ListGroupMemberships',
    'identitystore:ListGroupMembershipsForMember',
  ];
}
