import { describe, expect, it } from '@jest/globals';
import { formatPosture, postureOf } from '../../src/cli/demo-posture.js';

const user = (
  uid: string,
  o: { admin?: boolean; mfa?: boolean; console?: boolean; keys?: string[] } = {},
) => ({
  activity_id: 2,
  user: { uid, type_id: o.admin ? 2 : 1, has_mfa: o.mfa ?? true },
  unmapped: {
    aws: {
      login_profile: { present: o.console ?? false },
      access_keys: (o.keys ?? []).map((status) => ({ status })),
    },
  },
});

describe('postureOf', () => {
  it('counts admins, missing MFA and active keys over the latest event of each identity', () => {
    const p = postureOf([
      user('a', { admin: true, mfa: false, keys: ['Active', 'Inactive'] }),
      user('b', { mfa: false, console: true, keys: ['Active', 'Active'] }),
      user('c', { admin: true }),
      user('c', { admin: false, mfa: false }), // modified later: not an admin any more, and no MFA
      user('d', { admin: true, mfa: false }),
      { activity_id: 99, user: { uid: 'd' } }, // deleted
      { activity_id: 2 }, // no user: not an identity
    ]);
    expect(p).toEqual({
      identities: 3,
      admins: 1,
      adminsWithoutMfa: 1,
      withoutMfa: 3,
      consoleWithoutMfa: 1,
      activeKeys: 3,
      usersWithActiveKeys: 2,
    });
    expect(formatPosture(p)).toEqual([
      '  posture (3 identities in the events file):',
      '    admins:             1 (1 without MFA)',
      '    without MFA:        3 (1 can sign in to the console)',
      '    active access keys: 3 (held by 2 users)',
    ]);
  });

  it('treats an absent has_mfa (not read) as unknown, never as "without MFA"', () => {
    const p = postureOf([{ activity_id: 2, user: { uid: 'x', type_id: 2 } }]);
    expect(p.withoutMfa).toBe(0);
    expect(p.adminsWithoutMfa).toBe(0);
  });
});
