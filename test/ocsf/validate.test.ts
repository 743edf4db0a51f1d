import { describe, expect, it } from '@jest/globals';
import type { OcsfVersion } from '../../src/config/config.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { createEventValidator, measureValidation } from '../../src/ocsf/validate.js';
import { adminViaGroup, mappingContext, twoKeys } from './identity-fixtures.js';

type Mutable = Record<string, any>;

function validEvent(version: OcsfVersion): Mutable {
  const prepared = prepareEvent(adminViaGroup, mappingContext, version);
  if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
  return structuredClone(prepared.event) as Mutable;
}

function errorsOf(version: OcsfVersion, mutate: (event: Mutable) => void): string[] {
  const event = validEvent(version);
  mutate(event);
  const result = createEventValidator(version).validate(event);
  return result.valid ? [] : result.errors;
}

describe.each(['1.8.0', '1.6.0', '1.3.0', '1.1.0'] as const)('OCSF %s validation', (version) => {
  it('accepts the mapped event', () => {
    expect(createEventValidator(version).validate(validEvent(version))).toEqual({ valid: true });
  });

  it('rejects time as a string', () => {
    expect(errorsOf(version, (event) => (event.time = '2025-06-01T12:00:00Z'))).toContain(
      '/time: must be integer',
    );
  });

  it('rejects time as float seconds', () => {
    expect(errorsOf(version, (event) => (event.time = 1748779200.5))).toContain('/time: must be integer');
  });

  it('rejects a missing metadata.version', () => {
    expect(errorsOf(version, (event) => delete event.metadata.version)).toContain(
      "/metadata: must have required property 'version'",
    );
  });

  it('rejects user.account.uid_alt', () => {
    expect(
      errorsOf(version, (event) => (event.user.account.uid_alt = 'arn:aws:iam::123456789012:user/alice')),
    ).toContain('/user/account: must not have property "uid_alt"');
  });

  it('rejects user.type_id 7', () => {
    const errors = errorsOf(version, (event) => (event.user.type_id = 7));
    expect(
      errors.some((error) => error.startsWith('/user/type_id: must be equal to one of the allowed values')),
    ).toBe(true);
  });

  it('rejects a missing severity_id', () => {
    expect(errorsOf(version, (event) => delete event.severity_id)).toContain(
      "/: must have required property 'severity_id'",
    );
  });

  it('requires cloud when metadata.profiles names the cloud profile', () => {
    expect(errorsOf(version, (event) => delete event.cloud)).toContain(
      "/: must have required property 'cloud'",
    );
    expect(
      errorsOf(version, (event) => {
        delete event.cloud;
        event.metadata.profiles = [];
      }),
    ).toEqual([]);
  });

  it('rejects attributes OCSF does not define, but not inside unmapped', () => {
    expect(errorsOf(version, (event) => (event.user.arn = 'x'))).toContain(
      '/user: must not have property "arn"',
    );
    expect(errorsOf(version, (event) => (event.unmapped.aws.anything = { nested: [1, null] }))).toEqual([]);
  });

  it('rejects an event declaring another OCSF version', () => {
    const other = version === '1.8.0' ? '1.6.0' : '1.8.0';
    expect(errorsOf(version, (event) => (event.metadata.version = other))).toEqual([
      `/metadata/version: "${other}" is not the validated version "${version}"`,
    ]);
  });

  it('rejects type_uid 500301 with activity_id 2', () => {
    expect(
      errorsOf(version, (event) => {
        event.type_uid = 500301;
        event.type_name = 'User Inventory Info: Log';
      }),
    ).toEqual(['/type_uid: 500301 is not class_uid * 100 + activity_id (500302)']);
  });

  it.each([
    [
      'class_name',
      'User Inventory',
      '/class_name: "User Inventory" is not the caption of class_uid 5003 ("User Inventory Info")',
    ],
    ['activity_name', 'Update', '/activity_name: "Update" is not the caption of activity_id 2 ("Collect")'],
    ['severity', 'Low', '/severity: "Low" is not the caption of severity_id 1 ("Informational")'],
    [
      'category_name',
      'Identity',
      '/category_name: "Identity" is not the caption of category_uid 5 ("Discovery")',
    ],
    [
      'type_name',
      'User Inventory Info: Log',
      '/type_name: "User Inventory Info: Log" is not the caption of type_uid 500302 ("User Inventory Info: Collect")',
    ],
  ])('rejects a %s that is not the caption of its id', (field, value, message) => {
    expect(errorsOf(version, (event) => (event[field] = value))).toEqual([message]);
  });

  it('checks nested captions: user.type and account.type', () => {
    expect(errorsOf(version, (event) => (event.user.type = 'User'))).toEqual([
      '/user/type: "User" is not the caption of type_id 2 ("Admin")',
    ]);
    expect(errorsOf(version, (event) => (event.user.account.type = 'AWS IAM User'))).toEqual([
      '/user/account/type: "AWS IAM User" is not the caption of type_id 10 ("AWS Account")',
    ]);
  });

  it('accepts a source-specific label for 99 Other, as OCSF defines', () => {
    expect(
      errorsOf(version, (event) => {
        event.activity_id = 99;
        event.activity_name = 'Delete';
        event.type_uid = 500399;
        event.type_name = 'User Inventory Info: Other';
      }),
    ).toEqual([]);
  });

  // The time itself is the benchmark's (validation_us_per_event); under jest's module sandbox it is
  // several times slower, so a figure printed here would mislead.
  it('measures a time per event for the benchmark', () => {
    const events = [validEvent(version), prepareEvent(twoKeys, mappingContext, version).event];
    const micros = measureValidation(createEventValidator(version), events, 20);
    expect(Number.isFinite(micros)).toBe(true);
    expect(micros).toBeGreaterThan(0);
  });
});
