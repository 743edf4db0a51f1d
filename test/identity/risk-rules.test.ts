// Each risk rule on plain identities: when it fires, when it does not, when it cannot say (skipped), and the
// exact 45/90/7-day boundaries.
import { describe, expect, it } from '@jest/globals';
import type { AccessKey, IamRole, IamUser, PolicyDocument } from '../../src/identity/identity.js';
import { assessRisk, riskScore, type RiskAssessment } from '../../src/identity/risk/index.js';
import { day } from '../../src/identity/risk/risk-rule.js';
import { plainRole, plainUser } from './plain-identities.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const thresholds = { unusedDays: 45, rotationDays: 90 };
const ADMIN = { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' };

const user = (overrides: Partial<IamUser> = {}): IamUser =>
  plainUser({ createDate: NOW - 1000 * DAY, accessKeys: [], loginProfile: null, ...overrides });

const key = (id: string, overrides: Partial<AccessKey> = {}): AccessKey => ({
  id,
  status: 'Active',
  createDate: NOW - 10 * DAY,
  lastUsedTime: NOW - DAY,
  ...overrides,
});

const mfa = { mfaDevices: [{ serial: 'arn:aws:iam::123456789012:mfa/u', type: 'virtual' as const }] };

function assess(identity: IamUser | IamRole, now = NOW): RiskAssessment {
  const result = assessRisk(identity, { now, thresholds });
  if (result === undefined) throw new Error('no assessment');
  return result;
}

const codes = (identity: IamUser | IamRole, now = NOW): string[] =>
  assess(identity, now).reasons.map((reason) => reason.code);

describe('admin_without_mfa (Critical)', () => {
  it('fires for an Admin without MFA, naming how it is Admin', () => {
    const r = assess(user({ attachedPolicies: [ADMIN] }));
    expect(r.reasons).toContainEqual({
      code: 'admin_without_mfa',
      level: 'Critical',
      detail: 'Admin (user/AdministratorAccess) without MFA',
    });
    expect(r.level).toBe('Critical');
    expect(r.levelId).toBe(4);
  });
  it('does not fire with MFA, from devices or from the credential report', () => {
    expect(codes(user({ attachedPolicies: [ADMIN], ...mfa }))).not.toContain('admin_without_mfa');
    const fromReport = user({
      attachedPolicies: [ADMIN],
      mfaActive: true,
      mfaProvenance: { source: 'credential_report' },
    });
    expect(codes(fromReport)).not.toContain('admin_without_mfa');
  });
  it('does not fire for a non-Admin without MFA', () => {
    expect(codes(user())).not.toContain('admin_without_mfa');
  });
});

describe('console_without_mfa (High, CIS 1.10)', () => {
  const console = { loginProfile: { createDate: NOW - 10 * DAY }, passwordLastUsed: NOW - DAY };
  it('fires for a console password without MFA', () => {
    expect(assess(user(console)).reasons).toEqual([
      { code: 'console_without_mfa', level: 'High', detail: 'console password without MFA' },
    ]);
  });
  it('does not fire with MFA or without a password', () => {
    expect(codes(user({ ...console, ...mfa }))).toEqual([]);
    expect(codes(user({ loginProfile: null }))).toEqual([]);
  });
  it('is skipped when the login profile was not collected', () => {
    const r = assess(user({ loginProfile: undefined }));
    expect(r.reasons).toEqual([]);
    expect(r.skipped).toEqual(['console_without_mfa', 'credential_unused']);
  });
});

describe('credential_unused (Medium, CIS 1.12)', () => {
  const password = (lastUsed: number | undefined, created = NOW - 400 * DAY): Partial<IamUser> => ({
    loginProfile: { createDate: created },
    passwordLastUsed: lastUsed,
    ...mfa,
  });
  it('fires at exactly 45 days without use, not one millisecond before', () => {
    expect(codes(user(password(NOW - 45 * DAY)))).toEqual(['credential_unused']);
    expect(codes(user(password(NOW - 45 * DAY + 1)))).toEqual([]);
    expect(codes(user({ accessKeys: [key('AKIA1', { lastUsedTime: NOW - 45 * DAY })] }))).toEqual([
      'credential_unused',
    ]);
    expect(codes(user({ accessKeys: [key('AKIA1', { lastUsedTime: NOW - 45 * DAY + 1 })] }))).toEqual([]);
  });
  it('counts a credential never used from its creation', () => {
    expect(codes(user(password(undefined, NOW - 45 * DAY)))).toEqual(['credential_unused']);
    expect(codes(user(password(undefined, NOW - 44 * DAY)))).toEqual([]);
  });
  it('names the credential and a day, never a count of days since', () => {
    const r = assess(
      user({
        ...password(Date.UTC(2026, 0, 2, 8)),
        accessKeys: [key('AKIAB', { lastUsedTime: undefined, createDate: Date.UTC(2025, 11, 1) })],
      }),
    );
    expect(r.reasons.filter((x) => x.code === 'credential_unused').map((x) => x.detail)).toEqual([
      'access key AKIAB: never used, created 2025-12-01, unused for 45 days or more',
      'console password: last used 2026-01-02, unused for 45 days or more',
    ]);
    // A day later the event says the same.
    expect(assess(user({ ...password(Date.UTC(2026, 0, 2, 8)) }), NOW + DAY).reasons).toEqual(
      assess(user({ ...password(Date.UTC(2026, 0, 2, 8)) })).reasons,
    );
  });
  it('ignores inactive keys', () => {
    const old = key('AKIA1', { status: 'Inactive', lastUsedTime: NOW - 400 * DAY });
    expect(codes(user({ accessKeys: [old] }))).toEqual([]);
  });
  it('is skipped when neither keys nor login profile were collected, reported when either part fires', () => {
    expect(assess(user({ accessKeys: undefined, loginProfile: undefined })).skipped).toContain(
      'credential_unused',
    );
    const keysOnly = assess(
      user({ loginProfile: undefined, accessKeys: [key('AKIA1', { lastUsedTime: NOW - 100 * DAY })] }),
    );
    expect(keysOnly.reasons.map((x) => x.code)).toContain('credential_unused');
    expect(keysOnly.skipped).not.toContain('credential_unused');
  });
  it('is skipped when a never-used password has no known creation date', () => {
    expect(assess(user({ loginProfile: {}, ...mfa })).skipped).toEqual(['credential_unused']);
  });
  it('follows risk.unused_days', () => {
    const u = user(password(NOW - 10 * DAY));
    expect(
      assessRisk(u, { now: NOW, thresholds: { unusedDays: 10, rotationDays: 90 } })?.reasons,
    ).toHaveLength(1);
  });
});

describe('key_not_rotated (Medium, CIS 1.14)', () => {
  const aged = (ageMs: number): IamUser => user({ accessKeys: [key('AKIA1', { createDate: NOW - ageMs })] });
  it('fires for an active key older than 90 days: exactly 90 days is within the rule', () => {
    expect(codes(aged(90 * DAY))).toEqual([]);
    expect(assess(aged(90 * DAY + 1)).reasons).toEqual([
      {
        code: 'key_not_rotated',
        level: 'Medium',
        detail: 'access key AKIA1: created 2026-03-03, not rotated within 90 days',
      },
    ]);
  });
  it('ignores inactive keys and follows risk.rotation_days', () => {
    const inactive = user({
      accessKeys: [key('AKIA1', { status: 'Inactive', createDate: NOW - 900 * DAY })],
    });
    expect(codes(inactive)).toEqual([]);
    const r = assessRisk(aged(31 * DAY), { now: NOW, thresholds: { unusedDays: 45, rotationDays: 30 } });
    expect(r?.reasons.map((x) => x.code)).toEqual(['key_not_rotated']);
  });
  it('is skipped when keys were not collected, or a key has no creation date', () => {
    expect(assess(user({ accessKeys: undefined })).skipped).toEqual([
      'credential_unused',
      'key_never_used',
      'key_not_rotated',
      'multiple_active_keys',
    ]);
    const noDate = user({ accessKeys: [key('AKIA1', { createDate: undefined })] });
    expect(assess(noDate).skipped).toEqual(['key_not_rotated']);
  });
});

describe('multiple_active_keys (Low, CIS 1.13)', () => {
  it('fires for two active keys, not for one active and one inactive', () => {
    expect(assess(user({ accessKeys: [key('AKIA2'), key('AKIA1')] })).reasons).toEqual([
      { code: 'multiple_active_keys', level: 'Low', detail: '2 active access keys: AKIA1, AKIA2' },
    ]);
    expect(codes(user({ accessKeys: [key('AKIA1'), key('AKIA2', { status: 'Inactive' })] }))).toEqual([]);
  });
});

describe('key_never_used (Low, CIS 1.11)', () => {
  const fresh = (ageMs: number): IamUser =>
    user({ accessKeys: [key('AKIA1', { lastUsedTime: undefined, createDate: NOW - ageMs })] });
  it('fires for an active key never used and older than 7 days: exactly 7 days is a grace day', () => {
    expect(codes(fresh(7 * DAY))).toEqual([]);
    expect(assess(fresh(7 * DAY + 1)).reasons).toEqual([
      { code: 'key_never_used', level: 'Low', detail: 'access key AKIA1: never used, created 2026-05-25' },
    ]);
  });
  it('is skipped for a never-used key without a creation date', () => {
    const r = assess(
      user({ accessKeys: [key('AKIA1', { lastUsedTime: undefined, createDate: undefined })] }),
    );
    expect(r.skipped).toEqual(['credential_unused', 'key_never_used', 'key_not_rotated']);
  });
});

describe('direct_policies (Low, CIS 1.15)', () => {
  it('fires for attached and inline user policies, not for group policies', () => {
    const r = assess(
      user({
        attachedPolicies: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        inlinePolicies: [{ name: 'extra' }],
      }),
    );
    expect(r.reasons).toEqual([
      {
        code: 'direct_policies',
        level: 'Low',
        detail: 'policies on the user, not through a group: ReadOnlyAccess, inline:extra',
      },
    ]);
    const viaGroup = user({
      groups: [
        {
          name: 'g',
          arn: 'arn:aws:iam::123456789012:group/g',
          attachedPolicies: [ADMIN],
          inlinePolicies: [],
        },
      ],
      ...mfa,
    });
    expect(codes(viaGroup)).toEqual([]);
  });
});

describe('role_trusts_anyone (Critical)', () => {
  const role = (trustPolicy: PolicyDocument | undefined): IamRole =>
    plainRole({ createDate: NOW - 100 * DAY, trustPolicy });
  const allow = (Principal: unknown, extra: Record<string, unknown> = {}): PolicyDocument => ({
    Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...extra }],
  });
  it('fires for Principal * and {"AWS": "*"} without a Condition', () => {
    expect(assess(role(allow('*'))).reasons).toEqual([
      {
        code: 'role_trusts_anyone',
        level: 'Critical',
        detail: 'trust policy statement #1 allows any principal (Principal *) without a Condition',
      },
    ]);
    expect(codes(role(allow({ AWS: ['arn:aws:iam::210987654321:root', '*'] }, { Sid: 'open' })))).toEqual([
      'role_trusts_anyone',
    ]);
  });
  it('does not fire with a Condition, a Deny, or named principals', () => {
    const condition = { Condition: { StringEquals: { 'sts:ExternalId': 'x' } } };
    expect(codes(role(allow('*', condition)))).toEqual([]);
    expect(
      codes(role({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }] })),
    ).toEqual([]);
    expect(codes(role(allow({ Service: 'ec2.amazonaws.com' })))).toEqual([]);
    expect(assess(role(allow({ Service: 'ec2.amazonaws.com' }))).level).toBe('Info');
  });
  it('is skipped when the trust policy was not collected', () => {
    expect(assess(role(undefined))).toEqual({
      level: 'Info',
      levelId: 0,
      score: 0,
      reasons: [],
      skipped: ['role_trusts_anyone'],
    });
  });
});

describe('the assessment', () => {
  it('sorts reasons by level, then code, and takes the highest level', () => {
    const r = assess(
      user({
        attachedPolicies: [ADMIN],
        loginProfile: { createDate: NOW - 400 * DAY },
        accessKeys: [key('AKIA2', { createDate: NOW - 100 * DAY }), key('AKIA1')],
      }),
    );
    expect(r.reasons.map((x) => `${x.level} ${x.code}`)).toEqual([
      'Critical admin_without_mfa',
      'High console_without_mfa',
      'Medium credential_unused',
      'Medium key_not_rotated',
      'Low direct_policies',
      'Low multiple_active_keys',
    ]);
    expect(r.level).toBe('Critical');
    expect(r.score).toBe(80 + 6 + 4 + 4 + 2 + 2);
  });
  it('is Info with score 0 when nothing is found, and absent for Identity Center users', () => {
    expect(assess(user(mfa))).toEqual({ level: 'Info', levelId: 0, score: 0, reasons: [], skipped: [] });
    const idc = {
      kind: 'identity_center_user' as const,
      accountId: '1',
      identityStoreId: 'd',
      userId: 'x',
      userName: 'x',
      groups: [],
    };
    expect(assessRisk(idc, { now: NOW, thresholds })).toBeUndefined();
  });
});

describe('day', () => {
  it('formats UTC days as toISOString does, across leap years and centuries', () => {
    for (let ms = Date.UTC(1899, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 13 * 3_600_000 + 17) {
      if (day(ms) !== new Date(ms).toISOString().slice(0, 10)) expect([ms, day(ms)]).toBe('equal');
    }
    expect(day(Date.UTC(2000, 1, 29, 23, 59, 59, 999))).toBe('2000-02-29');
    expect(day(-1)).toBe('1969-12-31');
  });
});

describe('risk_score', () => {
  it('stays inside the band of the highest level', () => {
    expect(riskScore([])).toBe(0);
    expect(riskScore(['Low'])).toBe(20);
    expect(riskScore(['Medium', 'Low'])).toBe(42);
    expect(riskScore(Array<'Low'>(30).fill('Low'))).toBe(39);
    expect(riskScore(['High', ...Array<'High'>(10).fill('High')])).toBe(79);
    expect(riskScore(['Critical', 'Critical', 'Critical', 'Critical'])).toBe(100);
  });
});
