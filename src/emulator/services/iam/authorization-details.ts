// GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with what is
// attached to or embedded in each. One listing is paged across its sections in AWS's order (users,
// groups, roles, then policies); the Filter parameter leaves sections out.
import type { EmuAccount, EmuGroup, EmuPolicy, EmuRole, EmuUser } from '../../model.js';
import { el, memberList, members, raw, xmlEscape } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryAction, type QueryParams } from '../../service.js';
import {
  attachedPolicyXml,
  boundaryXml,
  groupXml,
  inlineListXml,
  policyVersionXml,
  policyXml,
  roleLastUsedXml,
  roleXml,
  tagsXml,
  userXml,
} from './entity-xml.js';
import { accountOf, attachedPolicies, policyUsage, type PolicyUsage } from './lookups.js';
import {
  compareKeys,
  decodeMarker,
  encodeMarker,
  pageSize,
  readMaxItems,
  sortedKeysOf,
  upperBound,
  type Page,
} from './paging.js';

const GAAD_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type GaadFilter = (typeof GAAD_FILTERS)[number];

/** GAAD sections in AWS's order: users, groups, roles, then policies; one page spans their concatenation. */
type GaadEntry =
  | { kind: 'user'; item: EmuUser }
  | { kind: 'group'; item: EmuGroup }
  | { kind: 'role'; item: EmuRole }
  | { kind: 'policy'; item: EmuPolicy };

interface GaadSection {
  /** Sorted keys. */
  keys: string[];
  entry(key: string): GaadEntry | undefined;
}

function mapSection<T>(map: Map<string, T>, wrap: (item: T) => GaadEntry): GaadSection {
  return {
    keys: sortedKeysOf(map),
    entry: (k) => {
      const item = map.get(k);
      return item === undefined ? undefined : wrap(item);
    },
  };
}

const EMPTY_SECTION: GaadSection = { keys: [], entry: () => undefined };

/** One page across the sections; the marker names the section and the last key returned in it. */
function paginateSections(
  sections: GaadSection[],
  params: QueryParams,
  ctx: EmuRequestContext,
): Page<GaadEntry> {
  const action = 'GetAccountAuthorizationDetails';
  const size = pageSize(readMaxItems(params), ctx);
  let section = 0;
  let index = 0;
  if (params.Marker !== undefined && params.Marker !== '') {
    const decoded = decodeMarker(action, params.Marker);
    const sep = decoded.indexOf('\u0000');
    section = Number(decoded.slice(0, sep));
    if (sep < 0 || !Number.isInteger(section) || section < 0 || section >= sections.length) {
      throw new EmuError('ValidationError', 'Invalid Marker.', 400);
    }
    index = upperBound(sections[section]?.keys ?? [], (k) => k, decoded.slice(sep + 1));
  }
  const items: GaadEntry[] = [];
  let last: { section: number; key: string } | undefined;
  for (; section < sections.length; section++, index = 0) {
    const s = sections[section] ?? EMPTY_SECTION;
    for (; index < s.keys.length && items.length < size; index++) {
      const key = s.keys[index] as string;
      const entry = s.entry(key);
      if (entry === undefined) continue;
      items.push(entry);
      last = { section, key };
    }
    if (items.length >= size) break;
  }
  let more = false;
  for (let sec = section, i = index; sec < sections.length && !more; sec++, i = 0) {
    more = i < (sections[sec]?.keys.length ?? 0);
  }
  const xml =
    more && last !== undefined
      ? `<IsTruncated>true</IsTruncated>${el('Marker', encodeMarker(action, `${last.section}\u0000${last.key}`))}`
      : '<IsTruncated>false</IsTruncated>';
  return { items, xml };
}

function requestedFilters(params: QueryParams): Set<GaadFilter> {
  const requested = memberList(params, 'Filter');
  for (const f of requested) {
    if (!GAAD_FILTERS.includes(f as GaadFilter)) {
      throw new EmuError(
        'ValidationError',
        `1 validation error detected: Value '[${requested.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GAAD_FILTERS.join(', ')}]]`,
        400,
      );
    }
  }
  return new Set<GaadFilter>(requested.length > 0 ? (requested as GaadFilter[]) : GAAD_FILTERS);
}

/** Keyed by name then ARN, the order AWS lists policies in. */
function managedPolicies(
  ctx: EmuRequestContext,
  account: EmuAccount,
  filters: Set<GaadFilter>,
  usage: Map<string, PolicyUsage>,
): Map<string, EmuPolicy> {
  const policies = new Map<string, EmuPolicy>();
  if (filters.has('LocalManagedPolicy')) {
    for (const p of account.policies.values()) policies.set(`${p.name}\u0000${p.arn}`, p);
  }
  if (filters.has('AWSManagedPolicy')) {
    // AWS lists the managed policies the account uses, not the whole catalogue.
    for (const p of ctx.world.awsManagedPolicies.values()) {
      const u = usage.get(p.arn);
      if (u !== undefined && u.attachments + u.boundaries > 0) policies.set(`${p.name}\u0000${p.arn}`, p);
    }
  }
  return policies;
}

function sectionsFor(
  account: EmuAccount,
  filters: Set<GaadFilter>,
  policies: Map<string, EmuPolicy>,
): GaadSection[] {
  return [
    filters.has('User') ? mapSection(account.users, (item) => ({ kind: 'user', item })) : EMPTY_SECTION,
    filters.has('Group') ? mapSection(account.groups, (item) => ({ kind: 'group', item })) : EMPTY_SECTION,
    filters.has('Role') ? mapSection(account.roles, (item) => ({ kind: 'role', item })) : EMPTY_SECTION,
    mapSection(policies, (item) => ({ kind: 'policy', item })),
  ];
}

function userDetailXml(u: EmuUser, ctx: EmuRequestContext, account: EmuAccount): string {
  return (
    userXml(u) +
    inlineListXml('UserPolicyList', u.inlinePolicies) +
    members('GroupList', [...u.groups].sort(compareKeys), xmlEscape) +
    members(
      'AttachedManagedPolicies',
      attachedPolicies(ctx, account, u.attachedPolicyArns),
      attachedPolicyXml,
    ) +
    boundaryXml(u.permissionsBoundaryArn) +
    tagsXml(u.tags)
  );
}

function groupDetailXml(g: EmuGroup, ctx: EmuRequestContext, account: EmuAccount): string {
  return (
    groupXml(g) +
    inlineListXml('GroupPolicyList', g.inlinePolicies) +
    members(
      'AttachedManagedPolicies',
      attachedPolicies(ctx, account, g.attachedPolicyArns),
      attachedPolicyXml,
    )
  );
}

function roleDetailXml(r: EmuRole, ctx: EmuRequestContext, account: EmuAccount): string {
  return (
    roleXml(r, false) +
    '<InstanceProfileList/>' +
    inlineListXml('RolePolicyList', r.inlinePolicies) +
    members(
      'AttachedManagedPolicies',
      attachedPolicies(ctx, account, r.attachedPolicyArns),
      attachedPolicyXml,
    ) +
    boundaryXml(r.permissionsBoundaryArn) +
    tagsXml(r.tags) +
    roleLastUsedXml(r)
  );
}

function policyDetailXml(p: EmuPolicy, usage: Map<string, PolicyUsage>): string {
  return policyXml(p, usage.get(p.arn), true) + members('PolicyVersionList', p.versions, policyVersionXml);
}

function getAccountAuthorizationDetails(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const filters = requestedFilters(params);
  const usage = policyUsage(account);
  const sections = sectionsFor(account, filters, managedPolicies(ctx, account, filters, usage));
  const page = paginateSections(sections, params, ctx);
  let usersXml = '';
  let groupsXml = '';
  let rolesXml = '';
  let policiesXml = '';
  for (const e of page.items) {
    if (e.kind === 'user') usersXml += raw('member', userDetailXml(e.item, ctx, account));
    else if (e.kind === 'group') groupsXml += raw('member', groupDetailXml(e.item, ctx, account));
    else if (e.kind === 'role') rolesXml += raw('member', roleDetailXml(e.item, ctx, account));
    else policiesXml += raw('member', policyDetailXml(e.item, usage));
  }
  return (
    raw('UserDetailList', usersXml) +
    raw('GroupDetailList', groupsXml) +
    raw('RoleDetailList', rolesXml) +
    raw('Policies', policiesXml) +
    page.xml
  );
}

export const authorizationDetailsActions: Record<string, QueryAction> = {
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
};
