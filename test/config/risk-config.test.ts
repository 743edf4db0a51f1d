// The `risk:` section: defaults (45 and 90 days), and values out of range rejected with the key named.
import { describe, expect, it } from '@jest/globals';
import { configFromYaml } from '../../src/config/index.js';
import { testValidator } from './sinks-schema.js';

const validator = testValidator();
const load = (text: string) =>
  configFromYaml(`${text}\nsinks: [{type: stdout}]\n`, {
    baseDir: '/tmp',
    displayName: 'risk.yaml',
    validator,
  });

describe('risk config', () => {
  it('defaults to 45 unused days and 90 rotation days', () => {
    expect(load('').risk).toEqual({ unused_days: 45, rotation_days: 90 });
    expect(load('risk: {unused_days: 30}').risk).toEqual({ unused_days: 30, rotation_days: 90 });
  });

  it.each([
    ['risk: {unused_days: 0}', 'risk.yaml:1: risk.unused_days must be between 1 and 3650 (got number 0)'],
    ['risk: {rotation_days: 1.5}', 'risk.rotation_days must be an integer'],
    ['risk: {rotation_days: 100000}', 'risk.rotation_days must be between 1 and 3650'],
    ['risk: {stale_days: 3}', 'stale_days'],
  ])('%s is rejected', (text, message) => {
    expect(() => load(text)).toThrow(message);
  });
});
