// IAM Identity Center admin API over AWS JSON 1.1 (X-Amz-Target SWBExternalService.<Action>, signing
// name "sso"): the instance (how a collector discovers its identity store id), its permission sets with
// their policies, and the account assignments of users and groups. An instance answers only in its region
// and to the account that owns it.
import type { EmuAccountAssignment, EmuIdentityStore, EmuPermissionSet } from '../model.js';
import { EmuError, type EmuRequestContext, type JsonServiceModule } from '../service.js';
import { paginate, type PageLimits } from './json-paging.js';

const validation = (message: string): EmuError => new EmuError('ValidationException', message, 400);

function limits(scope: string): PageLimits {
  return { scope, defaultMaxResults: 100, maxMaxResults: 100, invalid: validation };
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '')
    throw validation(`1 validation error detected: '${field}' is required`);
  return v;
}

function instance(body: Record<string, unknown>, ctx: EmuRequestContext): EmuIdentityStore {
  const arn = requiredString(body, 'InstanceArn');
  if (!/^arn:aws:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/.test(arn)) {
    throw validation(
      `1 validation error detected: Value '${arn}' at 'instanceArn' failed to satisfy constraint`,
    );
  }
  const s = [...ctx.world.identityStores.values()].find((x) => x.instanceArn === arn);
  if (!s || s.region !== ctx.region || s.accountId !== ctx.accountId) {
    throw new EmuError('AccessDeniedException', 'User is not authorized to perform this action', 400);
  }
  return s;
}

function permissionSet(s: EmuIdentityStore, body: Record<string, unknown>): EmuPermissionSet {
  const arn = requiredString(body, 'PermissionSetArn');
  const ps = s.permissionSets.get(arn);
  if (!ps)
    throw new EmuError('ResourceNotFoundException', `Could not find PermissionSet with ARN ${arn}`, 400);
  return ps;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

function pageOf<T>(
  items: readonly T[],
  body: Record<string, unknown>,
  scope: string,
  field: string,
  shape: (item: T) => unknown,
): Record<string, unknown> {
  const page = paginate(items, body, limits(scope));
  return { [field]: page.items.map(shape), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

const assignmentShape = (a: EmuAccountAssignment): Record<string, string> => ({
  AccountId: a.accountId,
  PermissionSetArn: a.permissionSetArn,
  PrincipalType: a.principalType,
  PrincipalId: a.principalId,
});

function principalType(body: Record<string, unknown>): 'USER' | 'GROUP' {
  const t = requiredString(body, 'PrincipalType');
  if (t !== 'USER' && t !== 'GROUP') throw validation(`PrincipalType must be USER or GROUP, not ${t}`);
  return t;
}

function accountFilter(body: Record<string, unknown>): string | undefined {
  const filter = body.Filter as { AccountId?: unknown } | undefined;
  return typeof filter?.AccountId === 'string' ? filter.AccountId : undefined;
}

const policyActions: JsonServiceModule['actions'] = {
  ListPermissionSets: (body, ctx) => {
    const s = instance(body, ctx);
    return pageOf(
      [...s.permissionSets.keys()],
      body,
      `ListPermissionSets:${s.instanceArn}`,
      'PermissionSets',
      (a) => a,
    );
  },
  DescribePermissionSet: (body, ctx) => {
    const ps = permissionSet(instance(body, ctx), body);
    return {
      PermissionSet: {
        Name: ps.name,
        PermissionSetArn: ps.arn,
        ...(ps.description !== undefined ? { Description: ps.description } : {}),
        CreatedDate: seconds(ps.createdDate),
        SessionDuration: ps.sessionDuration,
      },
    };
  },
  ListManagedPoliciesInPermissionSet: (body, ctx) => {
    const ps = permissionSet(instance(body, ctx), body);
    return pageOf(
      ps.managedPolicyArns,
      body,
      `ListManagedPolicies:${ps.arn}`,
      'AttachedManagedPolicies',
      (arn) => ({
        Arn: arn,
        Name: arn.slice(arn.lastIndexOf('/') + 1),
      }),
    );
  },
  GetInlinePolicyForPermissionSet: (body, ctx) => {
    const ps = permissionSet(instance(body, ctx), body);
    return ps.inlinePolicy !== undefined ? { InlinePolicy: ps.inlinePolicy } : {};
  },
  ListCustomerManagedPolicyReferencesInPermissionSet: (body, ctx) => {
    const ps = permissionSet(instance(body, ctx), body);
    return pageOf(
      ps.customerManagedPolicies,
      body,
      `ListCustomerManagedPolicyReferences:${ps.arn}`,
      'CustomerManagedPolicyReferences',
      (r) => ({ Name: r.name, Path: r.path }),
    );
  },
  GetPermissionsBoundaryForPermissionSet: (body, ctx) => {
    const ps = permissionSet(instance(body, ctx), body);
    const b = ps.permissionsBoundary;
    if (!b) {
      throw new EmuError('ResourceNotFoundException', `Permissions boundary not found for ${ps.arn}`, 400);
    }
    return {
      PermissionsBoundary:
        'managedPolicyArn' in b
          ? { ManagedPolicyArn: b.managedPolicyArn }
          : {
              CustomerManagedPolicyReference: {
                Name: b.customerManagedPolicyReference.name,
                Path: b.customerManagedPolicyReference.path,
              },
            },
    };
  },
};

const assignmentActions: JsonServiceModule['actions'] = {
  ListAccountAssignmentsForPrincipal: (body, ctx) => {
    const s = instance(body, ctx);
    const type = principalType(body);
    const id = requiredString(body, 'PrincipalId');
    const account = accountFilter(body);
    const rows = s.accountAssignments.filter(
      (a) =>
        a.principalType === type &&
        a.principalId === id &&
        (account === undefined || a.accountId === account),
    );
    return pageOf(
      rows,
      body,
      `ListAccountAssignmentsForPrincipal:${type}:${id}:${account ?? ''}`,
      'AccountAssignments',
      assignmentShape,
    );
  },
  ListAccountAssignments: (body, ctx) => {
    const s = instance(body, ctx);
    const account = requiredString(body, 'AccountId');
    const ps = permissionSet(s, body);
    const rows = s.accountAssignments.filter((a) => a.accountId === account && a.permissionSetArn === ps.arn);
    return pageOf(
      rows,
      body,
      `ListAccountAssignments:${account}:${ps.arn}`,
      'AccountAssignments',
      assignmentShape,
    );
  },
  ListAccountsForProvisionedPermissionSet: (body, ctx) => {
    const s = instance(body, ctx);
    const ps = permissionSet(s, body);
    const accounts = [
      ...new Set(s.accountAssignments.filter((a) => a.permissionSetArn === ps.arn).map((a) => a.accountId)),
    ].sort();
    return pageOf(
      accounts,
      body,
      `ListAccountsForProvisionedPermissionSet:${ps.arn}`,
      'AccountIds',
      (a) => a,
    );
  },
};

export const ssoAdminService: JsonServiceModule = {
  protocol: 'json',
  signingName: 'sso',
  targetPrefix: 'SWBExternalService',
  actions: {
    ListInstances: (body, ctx) => {
      // An instance is visible from the account that owns it, in its region only.
      const instances = [...ctx.world.identityStores.values()].filter(
        (s) => s.accountId === ctx.accountId && s.region === ctx.region,
      );
      return pageOf(instances, body, `ListInstances:${ctx.accountId}:${ctx.region}`, 'Instances', (s) => ({
        InstanceArn: s.instanceArn,
        IdentityStoreId: s.identityStoreId,
        OwnerAccountId: s.accountId,
        Status: 'ACTIVE',
      }));
    },
    ...policyActions,
    ...assignmentActions,
  },
};
