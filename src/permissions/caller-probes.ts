// The probes of the caller's own account: Organizations (account discovery) and Identity Center (the
// store's discovery and its reads).
import {
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListInstancesCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Config } from '../config/config.js';
import type { CheckResult } from './check-result.js';
import { authorized, PROBE_UUID, runProbe } from './probe.js';
import { organizationParents } from './required-permissions.js';
import { probeSsoAdmin, ssoAdminProbedActions } from './sso-admin-probes.js';

export interface CallerClients {
  organizations?: OrganizationsClient;
  sso?: SSOAdminClient;
  identitystore?: IdentitystoreClient;
}

interface OrganizationProbe {
  /** Probed on an OU or root of include/exclude, and only when there is one. */
  onParent: boolean;
  probe: (org: OrganizationsClient, parent: string) => Promise<string>;
}

const ORGANIZATION_PROBES: Readonly<Record<string, OrganizationProbe>> = {
  'organizations:ListAccounts': {
    onParent: false,
    probe: async (org) => {
      const r = await org.send(new ListAccountsCommand({ MaxResults: 1 }));
      return r.Accounts?.[0]?.Id !== undefined ? `account ${r.Accounts[0].Id}` : 'no account';
    },
  },
  'organizations:ListAccountsForParent': {
    onParent: true,
    probe: async (org, parent) => {
      await authorized(org.send(new ListAccountsForParentCommand({ ParentId: parent, MaxResults: 1 })));
      return `parent ${parent}`;
    },
  },
  'organizations:ListOrganizationalUnitsForParent': {
    onParent: true,
    probe: async (org, parent) => {
      await authorized(
        org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, MaxResults: 1 })),
      );
      return `parent ${parent}`;
    },
  },
};

const LIST_INSTANCES = 'sso:ListInstances';

/** What the store probes found, for the probes after them. */
interface StoreFound {
  userId?: string;
  groupId?: string;
}

type StoreProbe = (store: IdentitystoreClient, IdentityStoreId: string, d: StoreFound) => Promise<string>;

/** In dependency order: the listings find a user and a group for the membership probes. */
const IDENTITY_STORE_PROBES: Readonly<Record<string, StoreProbe>> = {
  'identitystore:ListUsers': async (store, IdentityStoreId, d) => {
    const r = await store.send(new ListUsersCommand({ IdentityStoreId, MaxResults: 1 }));
    d.userId = r.Users?.[0]?.UserId;
    return `identity store ${IdentityStoreId}`;
  },
  'identitystore:ListGroups': async (store, IdentityStoreId, d) => {
    const r = await store.send(new ListGroupsCommand({ IdentityStoreId, MaxResults: 1 }));
    d.groupId = r.Groups?.[0]?.GroupId;
    return `identity store ${IdentityStoreId}`;
  },
  'identitystore:ListGroupMemberships': async (store, IdentityStoreId, d) => {
    await authorized(
      store.send(
        new ListGroupMembershipsCommand({ IdentityStoreId, GroupId: d.groupId ?? PROBE_UUID, MaxResults: 1 }),
      ),
    );
    return `identity store ${IdentityStoreId}`;
  },
  'identitystore:ListGroupMembershipsForMember': async (store, IdentityStoreId, d) => {
    await authorized(
      store.send(
        new ListGroupMembershipsForMemberCommand({
          IdentityStoreId,
          MemberId: { UserId: d.userId ?? PROBE_UUID },
          MaxResults: 1,
        }),
      ),
    );
    return `identity store ${IdentityStoreId}`;
  },
};

async function probeOrganization(
  config: Config,
  org: OrganizationsClient,
  accountId: string,
  permissions: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const parent = organizationParents(config)[0];
  for (const [action, { onParent, probe }] of Object.entries(ORGANIZATION_PROBES)) {
    if (!permissions.has(action)) continue;
    if (onParent && parent === undefined) continue;
    results.push(await runProbe(action, accountId, () => probe(org, parent ?? '')));
  }
  return results;
}

async function probeIdentityStore(
  store: IdentitystoreClient,
  storeId: string | undefined,
  accountId: string,
  permissions: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const d: StoreFound = {};
  for (const [action, probe] of Object.entries(IDENTITY_STORE_PROBES)) {
    if (!permissions.has(action)) continue;
    results.push(
      await runProbe(action, accountId, async () =>
        storeId === undefined
          ? { skipped: 'no identity store id (set identity_center.identity_store_id)' }
          : probe(store, storeId, d),
      ),
    );
  }
  return results;
}

/** Probes of the caller's own account: Organizations and Identity Center. */
export async function probeCallerPermissions(
  config: Config,
  clients: CallerClients,
  accountId: string,
  permissions: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const { organizations, sso, identitystore } = clients;
  const results: CheckResult[] = [];
  if (organizations !== undefined) {
    results.push(...(await probeOrganization(config, organizations, accountId, permissions)));
  }
  let storeId = config.identity_center.identity_store_id;
  let instanceArn = config.identity_center.instance_arn;
  if (sso !== undefined && permissions.has(LIST_INSTANCES)) {
    results.push(
      await runProbe(LIST_INSTANCES, accountId, async () => {
        const r = await sso.send(new ListInstancesCommand({ MaxResults: 1 }));
        storeId = r.Instances?.[0]?.IdentityStoreId;
        instanceArn ??= r.Instances?.[0]?.InstanceArn;
        return storeId !== undefined ? `identity store ${storeId}` : 'no Identity Center instance';
      }),
    );
  }
  if (identitystore !== undefined) {
    results.push(...(await probeIdentityStore(identitystore, storeId, accountId, permissions)));
  }
  if (sso !== undefined) results.push(...(await probeSsoAdmin(sso, instanceArn, accountId, permissions)));
  return results;
}

/** The actions the caller probes cover. */
export function callerProbedActions(): string[] {
  return [
    ...Object.keys(ORGANIZATION_PROBES),
    LIST_INSTANCES,
    ...Object.keys(IDENTITY_STORE_PROBES),
    ...ssoAdminProbedActions(),
  ];
}
