import { afterAll, describe, expect, it } from '@jest/globals';
import type { OcsfVersion } from '../../src/config/config.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { loadCompiledSchema } from '../../src/ocsf/schema-files.js';
import { compileEventValidator, eventValidatorModule } from '../../src/ocsf/validate.js';
import { prebuiltRoot } from '../support/prebuilt-root.js';
import { adminViaGroup, mappingContext } from './identity-fixtures.js';

type Mutable = Record<string, any>;

const broken: Record<string, (event: Mutable) => void> = {
  'time as a string': (e) => (e.time = '2025-06-01T12:00:00Z'),
  'no metadata.version': (e) => delete e.metadata.version,
  'an unknown user attribute': (e) => (e.user.account.uid_alt = 'x'),
  'type_id 7': (e) => (e.user.type_id = 7),
  'an email that is not one': (e) => (e.user.email_addr = 'not an address'),
  'a group without name or uid': (e) => (e.user.groups = [{}]),
};

const built = prebuiltRoot();
afterAll(() => built.remove());

describe.each(['1.8.0', '1.3.0'] as const)('the precompiled OCSF %s validator', (version: OcsfVersion) => {
  const schema = loadCompiledSchema(version);
  const module = eventValidatorModule(version, schema);
  built.write(module.name, module.code);
  const prepared = prepareEvent(adminViaGroup, mappingContext, version);
  if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
  const valid = prepared.event as Mutable;

  it('gives the same verdict and messages as the schema compiled at run time', () => {
    const precompiled = compileEventValidator(version, schema, built.root);
    const compiled = compileEventValidator(version, schema);
    expect([precompiled.precompiled, compiled.precompiled]).toEqual([true, false]);
    expect(precompiled.validate(valid)).toEqual({ valid: true });
    for (const [what, mutate] of Object.entries(broken)) {
      const event = structuredClone(valid);
      mutate(event);
      const result = precompiled.validate(event);
      expect({ what, valid: result.valid }).toEqual({ what, valid: false });
      expect(result).toEqual(compiled.validate(event));
    }
  });
});

describe('a precompiled validator from another schema', () => {
  it('is ignored: the schema is compiled at run time instead', () => {
    const stale = prebuiltRoot();
    try {
      stale.write(
        'ocsf-1.8.0',
        'module.exports.default = () => true;\nmodule.exports.fingerprint = "old";\n',
      );
      const validator = compileEventValidator('1.8.0', loadCompiledSchema('1.8.0'), stale.root);
      expect(validator.precompiled).toBe(false);
      expect(validator.validate({ time: 'yesterday' }).valid).toBe(false);
    } finally {
      stale.remove();
    }
  });
});
