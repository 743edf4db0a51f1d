import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { canonicalJson, changeFingerprint, VOLATILE_EVENT_PATHS } from '../../src/ocsf/change-fingerprint.js';

// The first release's algorithm (deep copy, delete the ignored paths, canonical JSON), kept verbatim as the
// reference: digests stored by that release must still match, or every identity would read as modified.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function referenceRemove(target: unknown, segments: { key: string; each: boolean }[]): void {
  const [head, ...rest] = segments;
  if (head === undefined || !isPlainObject(target) || !(head.key in target)) return;
  if (rest.length === 0 && !head.each) {
    delete target[head.key];
    return;
  }
  const child = target[head.key];
  if (head.each) {
    if (!Array.isArray(child)) return;
    if (rest.length === 0) delete target[head.key];
    else for (const element of child) referenceRemove(element, rest);
  } else {
    referenceRemove(child, rest);
  }
}
function referenceCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).sort().join(',')}]`;
  if (isPlainObject(value)) {
    const parts = Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${referenceCanonical(value[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
function referenceFingerprint(event: Record<string, unknown>, ignorePaths: readonly string[] = []): string {
  const unmapped = isPlainObject(event.unmapped) ? event.unmapped : {};
  const subject = JSON.parse(
    JSON.stringify({ user: event.user ?? null, unmapped: { aws: unmapped.aws ?? null } }),
  ) as Record<string, unknown>;
  for (const path of [...VOLATILE_EVENT_PATHS, ...ignorePaths]) {
    const segments = path
      .split('.')
      .filter((s) => s.length > 0)
      .map((s) => (s.endsWith('[]') ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
    referenceRemove(subject, segments);
  }
  return createHash('sha256').update(referenceCanonical(subject)).digest('hex');
}

/** The golden events as the first release wrote them: it moved nothing under unmapped.ocsf. */
function goldenEvents(): Record<string, unknown>[] {
  const root = join(process.cwd(), 'test/fixtures/ocsf');
  return readdirSync(root).flatMap((version) =>
    readdirSync(join(root, version))
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const e = JSON.parse(readFileSync(join(root, version, f), 'utf8')) as Record<string, unknown>;
        delete (e.unmapped as Record<string, unknown> | undefined)?.ocsf;
        return e;
      }),
  );
}

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

describe('changeFingerprint', () => {
  const base = changeFingerprint(event());

  it('is a sha256 hex digest, stable across key and array order', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = withUser((u) => {
      u.groups = [
        { privileges: [], name: 'devs' },
        { privileges: ['ReadOnly', 'AdministratorAccess'], name: 'admins' },
      ];
    });
    expect(changeFingerprint(reordered)).toBe(base);
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
    expect(changeFingerprint(e)).toBe(base);
  });

  it('changes when something about the identity changes', () => {
    expect(changeFingerprint(withUser((u) => (u.has_mfa = false)))).not.toBe(base);
    expect(changeFingerprint(withUser((u) => (u.groups = [])))).not.toBe(base);
    expect(
      changeFingerprint(
        withUser(
          (u) => ((u.programmatic_credentials as object[])[0] = { uid: 'AKIA2', type: 'AWS Access Key' }),
        ),
      ),
    ).not.toBe(base);
    const e = event();
    (e.unmapped as { aws: Record<string, unknown> }).aws.path = '/ops/';
    expect(changeFingerprint(e)).not.toBe(base);
  });

  it('hashes what an older OCSF version moved under unmapped.ocsf, with the user ignore paths below it', () => {
    const older = (user: Record<string, unknown>) =>
      event({ user: { name: 'alice' }, unmapped: { aws: { path: '/' }, ocsf: { user } } });
    const credential = (last: number) => [{ uid: 'AKIA1', type: 'AWS Access Key', last_used_time: last }];
    const digest = changeFingerprint(older({ has_mfa: true, programmatic_credentials: credential(5) }));
    expect(changeFingerprint(older({ has_mfa: false, programmatic_credentials: credential(5) }))).not.toBe(
      digest,
    );
    expect(changeFingerprint(older({ has_mfa: true, programmatic_credentials: credential(99) }))).toBe(
      digest,
    );
    expect(changeFingerprint(older({ has_mfa: true, programmatic_credentials: [] }))).not.toBe(digest);
  });

  it('honours configured ignore paths, including inside arrays', () => {
    const changedPath = event();
    (changedPath.unmapped as { aws: Record<string, unknown> }).aws.path = '/ops/';
    expect(changeFingerprint(changedPath, ['unmapped.aws.path'])).toBe(
      changeFingerprint(event(), ['unmapped.aws.path']),
    );
    const changedPrivileges = withUser(
      (u) => ((u.groups as { privileges: string[] }[])[1]!.privileges = ['X']),
    );
    expect(changeFingerprint(changedPrivileges, ['user.groups[].privileges'])).toBe(
      changeFingerprint(event(), ['user.groups[].privileges']),
    );
    expect(changeFingerprint(changedPrivileges)).not.toBe(base);
    // Paths that do not exist are harmless.
    expect(changeFingerprint(event(), ['user.nope.deeper', 'user.name[].x', 'nothing[]'])).toBe(base);
  });

  it('does not modify the event', () => {
    const e = event();
    const before = JSON.stringify(e);
    changeFingerprint(e, ['user.name']);
    expect(JSON.stringify(e)).toBe(before);
  });

  it('treats undefined like an absent key', () => {
    expect(changeFingerprint(withUser((u) => (u.email_addr = undefined)))).toBe(base);
    expect(canonicalJson({ b: 1, a: [2, 1], c: undefined })).toBe('{"a":[1,2],"b":1}');
  });

  it('gives the same digest as the first release for every golden event and ignore list', () => {
    const events = goldenEvents();
    expect(events.length).toBeGreaterThan(10);
    const ignoreLists: string[][] = [
      [],
      ['user.groups[].privileges'],
      ['user.groups[]', 'unmapped.aws.path', 'user.ldap_person'],
      ['user.groups.privileges', 'user.name[].x', 'unmapped', 'user.groups[].name[]'],
    ];
    for (const e of events) {
      for (const ignore of ignoreLists)
        expect(changeFingerprint(e, ignore)).toBe(referenceFingerprint(e, ignore));
    }
  });

  it('matches the first release on odd shapes: nested arrays, holes, values that are not JSON', () => {
    const odd: Record<string, unknown> = {
      user: {
        name: 'x',
        nested: [[{ last_used_time: 1, a: 1 }], [undefined, null, Number.NaN]],
        groups: { privileges: ['a'] },
        programmatic_credentials: { last_used_time: 3 },
        fn: () => 1,
        when: new Date(0),
        list: [() => 1, -0, 'z', { b: undefined, a: [3, 1, 2] }],
      },
      unmapped: { aws: { access_keys: [{ last_used_time: 1, id: 'k' }, 'loose', [{ last_used_time: 2 }]] } },
    };
    for (const ignore of [[], ['user.nested[].last_used_time', 'user.groups[]', 'user.groups.privileges']]) {
      expect(changeFingerprint(odd, ignore)).toBe(referenceFingerprint(odd, ignore));
    }
  });

  it('matches the first release on strings that need escaping and on numbers JSON spells differently', () => {
    const strings = [
      'say "hi"',
      'back\\slash',
      'tab\there',
      '\u0000\u001f',
      'é ü 漢',
      '\ud83d\ude00',
      '\ud800 lone',
    ];
    const e = event({
      user: { name: 'x', tags: strings, n: [-0, 1e21, 0.1, Number.POSITIVE_INFINITY], flag: false },
      unmapped: { aws: Object.fromEntries(strings.map((k, i) => [k, i])) },
    });
    expect(changeFingerprint(e)).toBe(referenceFingerprint(e));
  });
});
