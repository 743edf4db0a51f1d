// The options several commands share: one flag, help and parser each, and a fresh Option per command
// (commander ties an Option to the command it is added to).
import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { UsageError } from '../../src/cli/errors.js';
import { configOption, logFormatOption, parseLogFormat, shardOption } from '../../src/cli/shared-options.js';

function parsed(args: string[]): Record<string, unknown> {
  const cmd = new Command('x').exitOverride();
  cmd.addOption(configOption()).addOption(logFormatOption()).addOption(shardOption());
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('shared options', () => {
  it('takes json or pretty for --log-format, and rejects anything else naming the flag', () => {
    expect(parseLogFormat('json')).toBe('json');
    expect(parseLogFormat('pretty')).toBe('pretty');
    expect(() => parseLogFormat('JSON')).toThrow(UsageError);
    expect(() => parseLogFormat('text')).toThrow('--log-format: expected json or pretty, got "text"');
  });

  it('defaults --config to ./config.yaml and parses --log-format and --shard', () => {
    expect(parsed([])).toEqual({ config: './config.yaml' });
    expect(parsed(['-c', 'a.yaml', '--log-format', 'json', '--shard', '1/3'])).toEqual({
      config: 'a.yaml',
      logFormat: 'json',
      shard: { index: 1, count: 3 },
    });
  });

  it('gives each command its own Option', () => {
    expect(configOption()).not.toBe(configOption());
    expect(parsed(['--config', 'b.yaml'])).toEqual({ config: 'b.yaml' });
    expect(parsed([])).toEqual({ config: './config.yaml' });
  });
});
