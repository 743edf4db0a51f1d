// The posture model from plain events (mapped fixtures, and hand-written events of other versions and of
// Identity Center access), and its three renderings carrying the same figures.
import { describe, expect, it } from '@jest/globals';
import type { IamUser } from '../../src/identity/identity.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { computePosture, renderPosture, type Posture } from '../../src/report/index.js';
import {
  adminViaGroup,
  disabledUser,
  identityCenterUser,
  mappingContext,
  noGroups,
  role,
  twoKeys,
  withMfa,
} from '../ocsf/identity-fixtures.js';

const DAY = 86_400_000;
const NOW = mappingContext.collectedAt + 10 * DAY;
const mapped = (identity: Parameters<typeof mapIdentity>[0]) =>
  mapIdentity(identity, mappingContext) as unknown as Record<string, unknown>;

const consoleNoMfa: IamUser = { ...noGroups, userName: 'eve', arn: `${noGroups.arn}-eve`, loginProfile: {} };

/** An Identity Center user as issue 16 maps it: admin on one account through a group. */
function identityCenterAdmin(): Record<string, unknown> {
  const event = mapped(identityCenterUser);
  const aws = (event.unmapped as { aws: Record<string, unknown> }).aws;
  (event.user as Record<string, unknown>).type_id = 2;
  aws.admin_accounts = ['210987654321'];
  aws.account_assignments = [
    {
      account_id: '210987654321',
      account_name: 'prod',
      permission_set_arn: 'arn:ps/1',
      permission_set_name: 'AdministratorAccess',
      via: 'group:Security',
      admin: true,
    },
    {
      account_id: '210987654321',
      permission_set_arn: 'arn:ps/2',
      permission_set_name: 'ReadOnly',
      via: 'user',
      admin: false,
    },
    {
      account_id: '333333333333',
      permission_set_arn: 'arn:ps/3',
      permission_set_name: 'CustomAdmin',
      via: 'user',
      admin: false,
      admin_unverified: true,
    },
  ];
  return event;
}

/** The same user as OCSF 1.1.0 carries it: has_mfa and risk_* moved under unmapped.ocsf.user. */
function asOcsf110(identity: Parameters<typeof mapIdentity>[0]): Record<string, unknown> {
  const prepared = prepareEvent(identity, mappingContext, '1.1.0');
  if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
  const user = prepared.event.user as unknown as Record<string, unknown>;
  expect([user.has_mfa, user.risk_level_id]).toEqual([undefined, undefined]);
  return prepared.event as unknown as Record<string, unknown>;
}

function posture(): Posture {
  const events = [adminViaGroup, noGroups, withMfa, disabledUser, role, consoleNoMfa].map(mapped);
  events.push(asOcsf110(twoKeys), identityCenterAdmin());
  return computePosture(events, { now: NOW, stateFile: '/state.db', rotationDays: 90 });
}

describe('computePosture', () => {
  it('counts identities, admins, MFA and keys', () => {
    expect(posture().totals).toEqual({
      identities: 8,
      accounts: 1,
      iamUsers: 6,
      iamRoles: 1,
      identityCenterUsers: 1,
      admins: 4, // alice (group), deploy-bot (inline), the role, the Identity Center user; carol's boundary restricts
      adminsWithoutMfa: 1, // deploy-bot, read from unmapped.ocsf.user.has_mfa
      consoleUsers: 3,
      consoleWithoutMfa: 1,
      identitiesAtRisk: 5,
      activeKeys: 1,
      staleKeys: 1,
    });
  });

  it('counts per risk level, Identity Center users as not evaluated', () => {
    const p = posture();
    expect(p.byLevel).toEqual({ Critical: 1, High: 1, Medium: 2, Low: 1, Info: 2, 'Not evaluated': 1 });
    expect(p.accounts).toHaveLength(1);
    expect(p.accounts[0]?.byLevel).toEqual(p.byLevel);
    expect(p.atRisk.map((r) => `${r.level} ${r.score} ${r.name}`)).toEqual([
      'Critical 90 deploy-bot',
      'High 62 eve',
      'Medium 42 carol',
      'Medium 40 alice',
      'Low 20 bob',
    ]);
  });

  it('says how each admin is admin, and lists console users without MFA', () => {
    const p = posture();
    expect(p.admins.map((a) => [a.name, a.via, a.mfa])).toEqual([
      ['alice', ['group:admins/AdministratorAccess'], true],
      ['ci-deployer', ['role/AdministratorAccess'], null],
      ['deploy-bot', ['inline:user/breakglass'], false],
      [
        'jdoe',
        [
          'AdministratorAccess on 210987654321 (group:Security)',
          'CustomAdmin on 333333333333 (user, unverified)',
        ],
        null,
      ],
    ]);
    expect(p.consoleWithoutMfa.map((u) => u.name)).toEqual(['eve']);
  });

  it('groups Identity Center admins by account', () => {
    expect(posture().identityCenterAdmins).toEqual([
      {
        accountId: '210987654321',
        accountName: 'prod',
        admins: [
          {
            name: 'jdoe',
            uid: identityCenterUser.userId,
            permissionSets: ['AdministratorAccess'],
            unverified: false,
          },
        ],
      },
      {
        accountId: '333333333333',
        accountName: '333333333333',
        admins: [
          { name: 'jdoe', uid: identityCenterUser.userId, permissionSets: ['CustomAdmin'], unverified: true },
        ],
      },
    ]);
  });

  it('buckets active key ages at report time, the buckets past rotation_days adding up to the stale keys', () => {
    const p = posture();
    expect(p.keyAges.map((b) => [b.label, b.count, b.stale])).toEqual([
      ['up to 30 days', 0, false],
      ['31-90 days', 0, false],
      ['91-180 days', 0, true],
      ['181-365 days', 0, true],
      ['1-2 years', 1, true],
      ['2-5 years', 0, true],
      ['over 5 years', 0, true],
    ]);
    const keys = [
      { id: 'A', createdTime: NOW - 90 * DAY },
      { id: 'B', createdTime: NOW - 90 * DAY - 1 },
      { id: 'C' },
    ];
    const event = {
      user: { name: 'k', uid: 'k', account: { uid: '1' } },
      unmapped: {
        aws: {
          source: 'iam_user',
          access_keys: keys.map((k) => ({ id: k.id, status: 'Active', created_time: k.createdTime })),
        },
      },
    };
    const q = computePosture([event], { now: NOW, stateFile: '/s', rotationDays: 90 });
    expect(q.keyAges.filter((b) => b.count > 0).map((b) => [b.label, b.count])).toEqual([
      ['31-90 days', 1],
      ['91-180 days', 1],
      ['unknown age', 1],
    ]);
    expect(q.totals.staleKeys).toBe(1);
  });

  it('counts identities per reason and per rule not evaluated', () => {
    const unknownKeys = mapped({ ...noGroups, accessKeys: undefined });
    const p = computePosture([unknownKeys, mapped(twoKeys)], { now: NOW, stateFile: '/s', rotationDays: 90 });
    expect(p.skippedRules).toEqual([
      { code: 'credential_unused', identities: 1 },
      { code: 'key_never_used', identities: 1 },
      { code: 'key_not_rotated', identities: 1 },
      { code: 'multiple_active_keys', identities: 1 },
    ]);
    expect(p.reasonCounts.find((r) => r.code === 'credential_unused')).toEqual({
      code: 'credential_unused',
      identities: 1,
    });
  });
});

describe('renderings', () => {
  it('carry the same figures in HTML, Markdown and JSON', () => {
    const p = posture();
    const json = JSON.parse(renderPosture(p, 'json')) as Posture;
    expect(json).toEqual(p);
    const md = renderPosture(p, 'markdown');
    expect(md).toContain('| Admins without MFA | 1 |');
    expect(md).toContain('| Console users without MFA | 1 |');
    expect(md).toContain('| Stale access keys (over 90 days) | 1 |');
    expect(md).toContain('| Not evaluated | 1 |');
    expect(md).toContain('## Identity Center admins by account');
    const html = renderPosture(p, 'html');
    const figure = (name: string) =>
      new RegExp(`data-figure="${name.replace('.', '\\.')}">(\\d+)<`).exec(html)?.[1];
    expect(figure('totals.admins')).toBe('4');
    expect(figure('totals.adminsWithoutMfa')).toBe('1');
    expect(figure('totals.staleKeys')).toBe('1');
    expect(figure('byLevel.Critical')).toBe('1');
    expect(html).toContain('Identity Center admins by account');
  });

  it('escape names from the accounts, and fetch nothing', () => {
    const hostile = mapped({ ...consoleNoMfa, userName: '<img src=x onerror=alert(1)>|x' });
    const p = computePosture([hostile], { now: NOW, stateFile: '/s', rotationDays: 90 });
    const html = renderPosture(p, 'html');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;|x');
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=|<script|<link|url\((?!#)/);
    expect(renderPosture(p, 'markdown')).toContain('&lt;img src=x onerror=alert(1)&gt;\\|x');
    expect(html).not.toContain('Identity Center admins by account');
  });
});
