// The risk assessment in the event: valid under every supported OCSF version (moved under unmapped, never
// dropped, where a version lacks the user attributes), and a fingerprint that moves when the risk changes,
// not when a day passes.
import { describe, expect, it } from '@jest/globals';
import { changeFingerprint as fingerprint } from '../../src/ocsf/change-fingerprint.js';
import type { IamUser } from '../../src/identity/identity.js';
import { OCSF_VERSIONS } from '../../src/config/ocsf-versions.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { identityCenterUser, mappingContext, role, twoKeys } from './identity-fixtures.js';

const DAY = 86_400_000;

/** Every value stored under `key` anywhere in the event (the user object, or where a projection moved it). */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key ? [v] : valuesOf(v, key)));
}

describe.each(OCSF_VERSIONS)('risk fields under OCSF %s', (version) => {
  it('keep every risk fact in a valid event', () => {
    const prepared = prepareEvent(twoKeys, mappingContext, version);
    expect(prepared.ok ? [] : prepared.errors).toEqual([]);
    expect(valuesOf(prepared.event, 'risk_level_id')).toEqual([4]);
    expect(valuesOf(prepared.event, 'risk_level')).toEqual(['Critical']);
    expect(valuesOf(prepared.event, 'risk_score')).toEqual([90]);
    const aws = prepared.event.unmapped?.aws as Record<string, unknown>;
    expect((aws.risk_reasons as Array<{ code: string }>).map((reason) => reason.code)).toEqual([
      'admin_without_mfa',
      'credential_unused',
      'key_not_rotated',
      'direct_policies',
    ]);
    expect(aws.risk_rules_skipped).toEqual([]);
  });
});

describe('risk mapping', () => {
  it('lists the rules that could not be evaluated', () => {
    const unknownCredentials: IamUser = { ...twoKeys, accessKeys: undefined, loginProfile: undefined };
    const event = mapIdentity(unknownCredentials, mappingContext);
    expect(event.unmapped?.aws.risk_rules_skipped).toEqual([
      'console_without_mfa',
      'credential_unused',
      'key_never_used',
      'key_not_rotated',
      'multiple_active_keys',
    ]);
  });

  it('puts risk on roles, and none on Identity Center users', () => {
    expect(mapIdentity(role, mappingContext).user).toMatchObject({ risk_level_id: 0, risk_level: 'Info' });
    const idc = mapIdentity(identityCenterUser, mappingContext);
    expect(valuesOf(idc, 'risk_level_id')).toEqual([]);
    expect(idc.unmapped?.aws.risk_reasons).toBeUndefined();
  });

  it('gives the same fingerprint a day later, and a new one when a key crosses rotation_days', () => {
    const keyCreated = twoKeys.accessKeys?.find((key) => key.status === 'Active')?.createDate ?? 0;
    const at = (collectedAt: number) =>
      fingerprint(mapIdentity(twoKeys, { ...mappingContext, collectedAt }) as never);
    const before = keyCreated + 80 * DAY;
    expect(at(before)).toBe(at(before + DAY));
    expect(at(keyCreated + 90 * DAY)).toBe(at(before));
    expect(at(keyCreated + 90 * DAY + 1)).not.toBe(at(before));
  });
});
