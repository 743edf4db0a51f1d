// sso-admin permission sets and account assignments driven by the unmodified SDK client over real HTTP:
// every listing pages, answers equal the seeded world, verdict labels cover every case the issue names,
// mutations show in the next answer, and an injected AccessDenied reaches the client.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  SSOAdminClient,
  paginateListAccountAssignmentsForPrincipal,
  paginateListPermissionSets,
} from '@aws-sdk/client-sso-admin';
import {
  createAccountAssignment,
  deleteAccountAssignment,
  type EmuIdentityStore,
  type Emulator,
  generateWorld,
  permissionSetVerdict,
  startEmulator,
} from '../../src/emulator/index.js';
import { DEFAULT_KEYS, failure } from './sdk-clients.js';

const dataset = generateWorld({
  seed: 1616,
  accounts: 4,
  usersPerAccount: 2,
  groupsPerAccount: 2,
  rolesPerAccount: 1,
  identityCenter: { users: 30, groups: 5, permissionSets: 14 },
});
const store = [...dataset.world.identityStores.values()][0] as EmuIdentityStore;
const InstanceArn = store.instanceArn;
let emu: Emulator;
let sso: SSOAdminClient;

beforeAll(async () => {
  emu = await startEmulator({ world: dataset.world, truth: dataset.truth });
  sso = new SSOAdminClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: DEFAULT_KEYS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  sso?.destroy();
  await emu?.stop();
});

describe('sso-admin permission sets and assignments', () => {
  it('lists permission sets over pages and describes each with its policies', async () => {
    const arns: string[] = [];
    for await (const page of paginateListPermissionSets({ client: sso, pageSize: 4 }, { InstanceArn }))
      arns.push(...(page.PermissionSets ?? []));
    expect(arns).toEqual([...store.permissionSets.keys()]);
    for (const PermissionSetArn of arns) {
      const ps = store.permissionSets.get(PermissionSetArn)!;
      const d = await sso.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn }));
      expect(d.PermissionSet?.Name).toBe(ps.name);
      expect(d.PermissionSet?.CreatedDate?.getTime()).toBe(ps.createdDate);
      const managed = await sso.send(
        new ListManagedPoliciesInPermissionSetCommand({ InstanceArn, PermissionSetArn }),
      );
      expect(managed.AttachedManagedPolicies?.map((p) => p.Arn)).toEqual(ps.managedPolicyArns);
      const inline = await sso.send(
        new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn }),
      );
      expect(inline.InlinePolicy).toBe(ps.inlinePolicy);
      const refs = await sso.send(
        new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ InstanceArn, PermissionSetArn }),
      );
      expect(refs.CustomerManagedPolicyReferences?.map((r) => ({ name: r.Name, path: r.Path }))).toEqual(
        ps.customerManagedPolicies,
      );
      if (ps.permissionsBoundary === undefined) {
        const f = await failure(
          sso.send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn })),
        );
        expect(f.name).toBe('ResourceNotFoundException');
      } else {
        const b = await sso.send(
          new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn }),
        );
        expect(b.PermissionsBoundary).toBeDefined();
      }
    }
  });

  it('labels admin, decoys, customer managed references and cancelling boundaries', () => {
    const verdicts = Object.fromEntries(
      [...store.permissionSets.values()].map((ps) => [ps.name, permissionSetVerdict(ps)]),
    );
    expect(verdicts.AdministratorAccess).toEqual({ admin: true, needsAccount: false });
    expect(verdicts.BreakGlass).toEqual({ admin: true, needsAccount: false });
    expect(verdicts.PowerUser).toEqual({ admin: false, needsAccount: false });
    expect(verdicts.IamManager).toEqual({ admin: false, needsAccount: false });
    expect(verdicts.PlatformAdmin).toEqual({ admin: true, needsAccount: true });
    expect(verdicts.Developer).toEqual({ admin: false, needsAccount: true });
    expect(verdicts.BoundedAdmin).toEqual({ admin: false, needsAccount: false });
    expect(verdicts.DeveloperBoundedAdmin).toEqual({ admin: false, needsAccount: true });
    expect(verdicts.AllowAllBoundedAdmin).toEqual({ admin: true, needsAccount: true });
  });

  it('lists assignments per principal and per account and permission set, the same ones', async () => {
    const group = [...store.groups.keys()][0]!;
    const rows = [];
    for await (const page of paginateListAccountAssignmentsForPrincipal(
      { client: sso, pageSize: 1 },
      { InstanceArn, PrincipalType: 'GROUP', PrincipalId: group },
    ))
      rows.push(...(page.AccountAssignments ?? []));
    const expected = store.accountAssignments.filter((a) => a.principalId === group);
    expect(rows.map((r) => r.AccountId)).toEqual(expected.map((a) => a.accountId));
    expect(expected.length).toBeGreaterThanOrEqual(2);

    let pairs = 0;
    for (const PermissionSetArn of store.permissionSets.keys()) {
      const accounts = await sso.send(
        new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn, PermissionSetArn }),
      );
      for (const AccountId of accounts.AccountIds ?? []) {
        const out = await sso.send(
          new ListAccountAssignmentsCommand({ InstanceArn, AccountId, PermissionSetArn }),
        );
        pairs += out.AccountAssignments?.length ?? 0;
      }
    }
    expect(pairs).toBe(store.accountAssignments.length);
  });

  it('shows a created and a deleted assignment in the next answer', async () => {
    const user = [...store.users.keys()][0]!;
    const a = {
      accountId: [...dataset.world.accounts.keys()][1]!,
      permissionSetArn: [...store.permissionSets.keys()][2]!,
      principalType: 'USER' as const,
      principalId: user,
    };
    const count = async (): Promise<number> =>
      (
        await sso.send(
          new ListAccountAssignmentsForPrincipalCommand({
            InstanceArn,
            PrincipalType: 'USER',
            PrincipalId: user,
          }),
        )
      ).AccountAssignments?.length ?? 0;
    const before = await count();
    createAccountAssignment(dataset.world, store.identityStoreId, a);
    expect(await count()).toBe(before + 1);
    deleteAccountAssignment(dataset.world, store.identityStoreId, a);
    expect(await count()).toBe(before);
  });

  it('answers AccessDenied from another account and from an injected fault', async () => {
    const id = emu.faults.add({
      kind: 'error',
      service: 'sso',
      action: 'ListPermissionSets',
      status: 400,
      code: 'AccessDeniedException',
      times: 1,
    });
    const f = await failure(paginateListPermissionSets({ client: sso }, { InstanceArn }).next());
    expect(f.name).toBe('AccessDeniedException');
    emu.faults.remove(id);
    const other = await failure(
      sso.send(
        new ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
          PrincipalType: 'USER',
          PrincipalId: 'x',
        }),
      ),
    );
    expect(other.name).toBe('AccessDeniedException');
  });
});
