import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { createConfigValidator } from '../../src/config/index.js';
import { configValidatorModule } from '../../src/config/schema-validator.js';
import { prebuiltRoot } from '../support/prebuilt-root.js';

const built = prebuiltRoot();
afterAll(() => built.remove());

const configs = [
  'sinks: [{type: stdout}]',
  'aws: {region: eu-west-1, max_attempts: 0}\nsinks: [{type: stdout}]',
  'collector: {strategy: fastest}\nsinks: [{type: file}]',
  'sinks: [{type: http, url: "https://x.example", retyr: 1}]',
  'sinks: [{type: splunk_hec, url: "https://h.example", token: t, index: 3}]',
  'sinks: [{type: kafka}]',
  'ocsf: {version: "1.8.0"}\nstate: {max_delete_fraction: 2}\nsinks: []',
];

describe('the precompiled config validator', () => {
  it('fills the same defaults and reports the same problems as the schemas compiled at run time', () => {
    const module = configValidatorModule();
    built.write(module.name, module.code);
    const precompiled = createConfigValidator({}, built.root);
    const compiled = createConfigValidator({}, built.root + '-absent');
    expect([precompiled.precompiled, compiled.precompiled]).toEqual([true, false]);
    for (const yaml of configs) {
      const [a, b] = [parse(yaml) as unknown, parse(yaml) as unknown];
      const problems = precompiled.validate(a);
      expect({ yaml, problems }).toEqual({ yaml, problems: compiled.validate(b) });
      expect(a).toEqual(b);
      expect({ yaml, invalid: problems.length > 0 }).toEqual({ yaml, invalid: yaml !== configs[0] });
    }
    const entry = () => ({ type: 'syslog', host: 'siem.example', port: 'x' });
    expect(precompiled.validateSink(entry())).toEqual(compiled.validateSink(entry()));
    expect(precompiled.validate(parse(configs[0]!))).toEqual([]);
  });
});
