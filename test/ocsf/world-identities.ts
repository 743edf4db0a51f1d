// The identities of a generated emulator world as a perfect collector reads them (every feature on, MFA
// from the API): the OCSF tests map the whole seeded world without starting a server.
import type { EmuAccount, EmuTag, EmuWorld } from '../../src/emulator/index.js';
import type {
  IamGroup,
  IamRole,
  IamUser,
  Identity,
  IdentityCenterUser,
  InlinePolicy,
  ManagedPolicyRef,
  MfaDeviceType,
  PermissionsBoundary,
  PolicyDocument,
  Tag,
} from '../../src/identity/identity.js';

const MFA_TYPE: Record<string, MfaDeviceType> = {
  virtual: 'virtual',
  hardware: 'hardware',
  u2f: 'security_key',
};

function managedPolicies(world: EmuWorld, account: EmuAccount, arns: string[]): ManagedPolicyRef[] {
  return arns.map((arn) => {
    const policy = world.awsManagedPolicies.get(arn) ?? account.policies.get(arn);
    if (!policy) throw new Error(`world: policy ${arn} is attached in ${account.id} but does not exist`);
    const version = policy.versions.find((v) => v.isDefault);
    const document = version ? (JSON.parse(version.document) as PolicyDocument) : undefined;
    return { name: policy.name, arn, document };
  });
}

const inlinePolicies = (policies: Record<string, string>): InlinePolicy[] =>
  Object.entries(policies).map(([name, text]) => ({ name, document: JSON.parse(text) as PolicyDocument }));

const tagsOf = (tags: EmuTag[]): Tag[] => tags.map((t) => ({ key: t.Key, value: t.Value }));

function boundaryOf(world: EmuWorld, account: EmuAccount, arn?: string): PermissionsBoundary | undefined {
  if (arn === undefined) return undefined;
  const [policy] = managedPolicies(world, account, [arn]);
  return { arn, type: 'PermissionsBoundaryPolicy', document: policy?.document };
}

function groupOf(world: EmuWorld, account: EmuAccount, name: string): IamGroup {
  const group = account.groups.get(name);
  if (!group) throw new Error(`world: ${account.id} has no group ${name}`);
  return {
    name,
    arn: group.arn,
    groupId: group.groupId,
    path: group.path,
    attachedPolicies: managedPolicies(world, account, group.attachedPolicyArns),
    inlinePolicies: inlinePolicies(group.inlinePolicies),
  };
}

function usersOf(world: EmuWorld, account: EmuAccount): IamUser[] {
  return [...account.users.values()].map((u) => ({
    kind: 'iam_user',
    accountId: account.id,
    accountAlias: account.alias,
    userName: u.userName,
    userId: u.userId,
    arn: u.arn,
    path: u.path,
    createDate: u.createDate,
    passwordLastUsed: u.passwordLastUsed,
    groups: u.groups.map((name) => groupOf(world, account, name)),
    attachedPolicies: managedPolicies(world, account, u.attachedPolicyArns),
    inlinePolicies: inlinePolicies(u.inlinePolicies),
    mfaDevices: u.mfaDevices.map((d) => ({
      serial: d.serial,
      type: MFA_TYPE[d.kind] ?? 'virtual',
      enableDate: d.enableDate,
    })),
    mfaProvenance: { source: 'api' },
    accessKeys: u.accessKeys.map((k) => ({
      id: k.accessKeyId,
      status: k.status,
      createDate: k.createDate,
      lastUsedTime: k.lastUsed?.date,
      lastUsedService: k.lastUsed?.serviceName,
      lastUsedRegion: k.lastUsed?.region,
    })),
    loginProfile: u.loginProfile ?? null,
    tags: tagsOf(u.tags),
    permissionsBoundary: boundaryOf(world, account, u.permissionsBoundaryArn),
  }));
}

function rolesOf(world: EmuWorld, account: EmuAccount): IamRole[] {
  return [...account.roles.values()].map((r) => ({
    kind: 'iam_role',
    accountId: account.id,
    accountAlias: account.alias,
    roleName: r.roleName,
    roleId: r.roleId,
    arn: r.arn,
    path: r.path,
    createDate: r.createDate,
    description: r.description,
    lastUsedTime: r.lastUsed?.date,
    trustPolicy: JSON.parse(r.assumeRolePolicyDocument) as PolicyDocument,
    attachedPolicies: managedPolicies(world, account, r.attachedPolicyArns),
    inlinePolicies: inlinePolicies(r.inlinePolicies),
    tags: tagsOf(r.tags),
    permissionsBoundary: boundaryOf(world, account, r.permissionsBoundaryArn),
  }));
}

function identityCenterUsersOf(world: EmuWorld): IdentityCenterUser[] {
  return [...world.identityStores.values()].flatMap((store) =>
    [...store.users.values()].map((u) => {
      const groupIds = [...store.memberships.values()].filter((m) => m.userId === u.userId);
      return {
        kind: 'identity_center_user',
        accountId: store.accountId,
        accountAlias: world.accounts.get(store.accountId)?.alias,
        identityStoreId: store.identityStoreId,
        userId: u.userId,
        userName: u.userName,
        displayName: u.displayName,
        givenName: u.name?.givenName,
        familyName: u.name?.familyName,
        formattedName: u.name?.formatted,
        primaryEmail: u.emails.find((e) => e.primary)?.value,
        groups: groupIds.map((m) => ({
          groupId: m.groupId,
          displayName: store.groups.get(m.groupId)?.displayName ?? m.groupId,
        })),
      } satisfies IdentityCenterUser;
    }),
  );
}

/** Every IAM user and role of every account, then every Identity Center user. */
export function worldIdentities(world: EmuWorld): Identity[] {
  const accounts = [...world.accounts.values()];
  return [
    ...accounts.flatMap((account) => [...usersOf(world, account), ...rolesOf(world, account)]),
    ...identityCenterUsersOf(world),
  ];
}
