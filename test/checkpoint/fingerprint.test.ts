import { describe, expect, it } from '@jest/globals';
import { canonicalJson, fingerprint } from '../../src/checkpoint/fingerprint.js';

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    time: 1_700_000_000_000,
    metadata: { uid: 'e1', correlation_uid: 'r1', version: '1.8.0' },
    user: {
      name: 'alice',
      uid: 'arn:aws:iam::111111111111:user/alice',
      groups: [
        { name: 'admins', privileges: ['AdministratorAccess', 'ReadOnly'] },
        { name: 'devs', privileges: [] },
      ],
      has_mfa: true,
      ldap_person: { created_time: 1_600_000_000_000, last_login_time: 1_700_000_000_000 },
      programmatic_credentials: [{ uid: 'AKIA1', type: 'AWS Access Key', last_used_time: 5 }],
    },
    unmapped: { aws: { path: '/', access_keys: [{ id: 'AKIA1', status: 'Active', last_used_time: 5 }] } },
    ...overrides,
  };
}

function withUser(patch: (user: Record<string, unknown>) => void): Record<string, unknown> {
  const e = event();
  patch(e.user as Record<string, unknown>);
  return e;
}

describe('fingerprint', () => {
  const base = fingerprint(event());

  it('is a sha256 hex digest, stable across key and array order', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = withUser((u) => {
      u.groups = [
        { privileges: [], name: 'devs' },
        { privileges: ['ReadOnly', 'AdministratorAccess'], name: 'admins' },
      ];
    });
    expect(fingerprint(reordered)).toBe(base);
  });

  it('ignores per-event and last-used fields by default', () => {
    const e = event({ time: 1, metadata: { uid: 'e2', correlation_uid: 'r2', version: '1.8.0' } });
    const u = e.user as {
      ldap_person: Record<string, unknown>;
      programmatic_credentials: Record<string, unknown>[];
    };
    u.ldap_person.last_login_time = 1_800_000_000_000;
    u.programmatic_credentials[0]!.last_used_time = 99;
    (e.unmapped as { aws: { access_keys: Record<string, unknown>[] } }).aws.access_keys[0]!.last_used_time =
      99;
    expect(fingerprint(e)).toBe(base);
  });

  it('changes when something about the identity changes', () => {
    expect(fingerprint(withUser((u) => (u.has_mfa = false)))).not.toBe(base);
    expect(fingerprint(withUser((u) => (u.groups = [])))).not.toBe(base);
    expect(
      fingerprint(
        withUser(
          (u) => ((u.programmatic_credentials as object[])[0] = { uid: 'AKIA2', type: 'AWS Access Key' }),
        ),
      ),
    ).not.toBe(base);
    const e = event();
    (e.unmapped as { aws: Record<string, unknown> }).aws.path = '/ops/';
    expect(fingerprint(e)).not.toBe(base);
  });

  it('honours configured ignore paths, including inside arrays', () => {
    const changedPath = event();
    (changedPath.unmapped as { aws: Record<string, unknown> }).aws.path = '/ops/';
    expect(fingerprint(changedPath, ['unmapped.aws.path'])).toBe(fingerprint(event(), ['unmapped.aws.path']));
    const changedPrivileges = withUser(
      (u) => ((u.groups as { privileges: string[] }[])[1]!.privileges = ['X']),
    );
    expect(fingerprint(changedPrivileges, ['user.groups[].privileges'])).toBe(
      fingerprint(event(), ['user.groups[].privileges']),
    );
    expect(fingerprint(changedPrivileges)).not.toBe(base);
    // Paths that do not exist are harmless.
    expect(fingerprint(event(), ['user.nope.deeper', 'user.name[].x', 'nothing[]'])).toBe(base);
  });

  it('does not modify the event', () => {
    const e = event();
    const before = JSON.stringify(e);
    fingerprint(e, ['user.name']);
    expect(JSON.stringify(e)).toBe(before);
  });

  it('treats undefined like an absent key', () => {
    expect(fingerprint(withUser((u) => (u.email_addr = undefined)))).toBe(base);
    expect(canonicalJson({ b: 1, a: [2, 1], c: undefined })).toBe('{"a":[1,2],"b":1}');
  });
});
