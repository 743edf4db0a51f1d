// IAM Identity Center's Identity Store over AWS JSON 1.1 (X-Amz-Target AWSIdentityStore.<Action>).
// A store answers only in its region and to the account that hosts it.
import type { EmuIdentityStore, EmuIdentityStoreUser } from '../model.js';
import { EmuError, type EmuRequestContext, type JsonServiceModule } from '../service.js';
import { paginate, type PageLimits } from './json-paging.js';

const validation = (message: string): EmuError => new EmuError('ValidationException', message, 400);

function limits(scope: string): PageLimits {
  return { scope, defaultMaxResults: 100, maxMaxResults: 100, invalid: validation };
}

function notFound(resourceType: string, id: string): EmuError {
  return new EmuError('ResourceNotFoundException', `${resourceType} with id ${id} not found`, 404);
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '')
    throw validation(`1 validation error detected: '${field}' is required`);
  return v;
}

function store(body: Record<string, unknown>, ctx: EmuRequestContext): EmuIdentityStore {
  const id = requiredString(body, 'IdentityStoreId');
  if (!/^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw validation(
      `1 validation error detected: Value '${id}' at 'identityStoreId' failed to satisfy constraint`,
    );
  }
  const s = ctx.world.identityStores.get(id);
  if (!s || s.region !== ctx.region) throw notFound('IDENTITY_STORE', id);
  if (s.accountId !== ctx.accountId) {
    throw new EmuError(
      'AccessDeniedException',
      'User is not authorized to perform this action on the identity store',
      403,
    );
  }
  return s;
}

function userShape(s: EmuIdentityStore, u: EmuIdentityStoreUser): Record<string, unknown> {
  const out: Record<string, unknown> = {
    IdentityStoreId: s.identityStoreId,
    UserId: u.userId,
    UserName: u.userName,
  };
  if (u.name) {
    const name: Record<string, string> = {};
    if (u.name.formatted !== undefined) name.Formatted = u.name.formatted;
    if (u.name.familyName !== undefined) name.FamilyName = u.name.familyName;
    if (u.name.givenName !== undefined) name.GivenName = u.name.givenName;
    out.Name = name;
  }
  if (u.displayName !== undefined) out.DisplayName = u.displayName;
  if (u.emails.length > 0) {
    out.Emails = u.emails.map((e) => ({
      Value: e.value,
      ...(e.type ? { Type: e.type } : {}),
      Primary: e.primary,
    }));
  }
  return out;
}

/** The deprecated but still served Filters: exact match on UserName (users) or DisplayName (groups). */
function filterValue(body: Record<string, unknown>, allowedPath: string): string | undefined {
  const filters = body.Filters;
  if (filters === undefined || filters === null) return undefined;
  if (!Array.isArray(filters) || filters.length > 1) throw validation('Filters must hold at most one filter');
  const f = filters[0] as { AttributePath?: unknown; AttributeValue?: unknown } | undefined;
  if (!f) return undefined;
  if (f.AttributePath !== allowedPath || typeof f.AttributeValue !== 'string') {
    throw validation(`Filtering is only supported on ${allowedPath}`);
  }
  return f.AttributeValue;
}

function membershipShape(s: EmuIdentityStore, membershipId: string, m: { groupId: string; userId: string }) {
  return {
    IdentityStoreId: s.identityStoreId,
    MembershipId: membershipId,
    GroupId: m.groupId,
    MemberId: { UserId: m.userId },
  };
}

export const identityStoreService: JsonServiceModule = {
  protocol: 'json',
  signingName: 'identitystore',
  targetPrefix: 'AWSIdentityStore',
  actions: {
    DescribeUser: (body, ctx) => {
      const s = store(body, ctx);
      const userId = requiredString(body, 'UserId');
      const u = s.users.get(userId);
      if (!u) throw notFound('USER', userId);
      return userShape(s, u);
    },
    ListUsers: (body, ctx) => {
      const s = store(body, ctx);
      const userName = filterValue(body, 'UserName');
      let users = [...s.users.values()];
      if (userName !== undefined) users = users.filter((u) => u.userName === userName);
      const page = paginate(users, body, limits(`ListUsers:${s.identityStoreId}:${userName ?? ''}`));
      return {
        Users: page.items.map((u) => userShape(s, u)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
    ListGroups: (body, ctx) => {
      const s = store(body, ctx);
      const displayName = filterValue(body, 'DisplayName');
      let groups = [...s.groups.values()];
      if (displayName !== undefined) groups = groups.filter((g) => g.displayName === displayName);
      const page = paginate(groups, body, limits(`ListGroups:${s.identityStoreId}:${displayName ?? ''}`));
      return {
        Groups: page.items.map((g) => ({
          GroupId: g.groupId,
          DisplayName: g.displayName,
          ...(g.description !== undefined ? { Description: g.description } : {}),
          IdentityStoreId: s.identityStoreId,
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
    ListGroupMemberships: (body, ctx) => {
      const s = store(body, ctx);
      const groupId = requiredString(body, 'GroupId');
      if (!s.groups.has(groupId)) throw notFound('GROUP', groupId);
      const rows = [...s.memberships].filter(([, m]) => m.groupId === groupId);
      const page = paginate(rows, body, limits(`ListGroupMemberships:${s.identityStoreId}:${groupId}`));
      return {
        GroupMemberships: page.items.map(([id, m]) => membershipShape(s, id, m)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
    ListGroupMembershipsForMember: (body, ctx) => {
      const s = store(body, ctx);
      const member = body.MemberId as { UserId?: unknown } | undefined;
      if (
        !member ||
        typeof member !== 'object' ||
        typeof member.UserId !== 'string' ||
        member.UserId === ''
      ) {
        throw validation("1 validation error detected: 'MemberId' is required");
      }
      const userId = member.UserId;
      if (!s.users.has(userId)) throw notFound('USER', userId);
      const rows = [...s.memberships].filter(([, m]) => m.userId === userId);
      const page = paginate(
        rows,
        body,
        limits(`ListGroupMembershipsForMember:${s.identityStoreId}:${userId}`),
      );
      return {
        GroupMemberships: page.items.map(([id, m]) => membershipShape(s, id, m)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
