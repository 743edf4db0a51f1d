// The changes: section: its defaults, and a clear error for each out-of-range key.
import { describe, expect, it } from '@jest/globals';
import { configFromYaml } from '../../src/config/index.js';
import { testValidator } from './sinks-schema.js';

const validator = testValidator();
const load = (changes: string) =>
  configFromYaml(`sinks: [{type: stdout}]\n${changes}`, { validator, baseDir: '/tmp' });

describe('changes config', () => {
  it('is off with its defaults when absent', () => {
    expect(load('').changes).toEqual({
      wait_seconds: 20,
      max_messages: 10,
      visibility_timeout_seconds: 120,
      coalesce_ms: 1000,
    });
  });

  it('takes a queue URL and bounded values', () => {
    const c = load(
      'changes: {queue_url: "https://sqs.us-east-1.amazonaws.com/123456789012/iam-changes", wait_seconds: 1}\n',
    );
    expect(c.changes.queue_url).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/iam-changes');
    expect(c.changes.wait_seconds).toBe(1);
  });

  it.each([
    ['wait_seconds: 21', 'changes.wait_seconds'],
    ['max_messages: 0', 'changes.max_messages'],
    ['queue_url: "not a url"', 'changes.queue_url'],
    ['colaesce_ms: 5', 'colaesce_ms'],
  ])('rejects %s naming the key', (entry, key) => {
    expect(() => load(`changes: {${entry}}\n`)).toThrow(key);
  });
});
