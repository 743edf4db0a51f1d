// The options several commands take, each written once: the same flag, help and parsing everywhere. A
// commander Option belongs to one command, hence a function per option.
import { Option } from 'commander';
import { UsageError } from './errors.js';
import { parseShard } from './shard-option.js';

export type LogFormat = 'json' | 'pretty';

export function parseLogFormat(value: string): LogFormat {
  if (value !== 'json' && value !== 'pretty')
    throw new UsageError(`--log-format: expected json or pretty, got "${value}"`);
  return value;
}

/** `-c, --config <file>`: every command that reads the configuration. */
export function configOption(): Option {
  return new Option('-c, --config <file>', 'config file').default('./config.yaml');
}

/** `--log-format`: the commands that log while they collect or consume. */
export function logFormatOption(): Option {
  return new Option('--log-format <format>', 'json | pretty (default: pretty on a TTY)').argParser(
    parseLogFormat,
  );
}

/** `--shard K/N`: run, backfill and daemon. */
export function shardOption(): Option {
  return new Option(
    '--shard <K/N>',
    'collect only the accounts of shard K of N (0-based, by a stable hash of the account id); "/N" takes K from $JOB_COMPLETION_INDEX',
  ).argParser((v: string) => parseShard(v));
}
