// One pino logger for the process. Redaction is by value as well as by key: a secret from the config can
// end up inside an error message or a URL, where key-based redaction would not see it.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'secret_access_key',
  'secretAccessKey',
  'session_token',
  'sessionToken',
  'token',
  'intake_key',
  'api_key',
  'password',
  'authorization',
  'Authorization',
  '*.secret_access_key',
  '*.secretAccessKey',
  '*.session_token',
  '*.sessionToken',
  '*.token',
  '*.intake_key',
  '*.api_key',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export interface LoggerOptions {
  level?: string;
  format?: 'json' | 'pretty';
  /** Literal secret values to mask wherever they appear in a log line. */
  secrets?: readonly string[];
  /** Destination stream (default stdout). */
  destination?: NodeJS.WritableStream;
}

/** Masks every occurrence of the given secrets (longest first, so one secret inside another is covered). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length >= 4) out = out.split(s).join('[REDACTED]');
  }
  return out;
}

class MaskingStream {
  constructor(
    private readonly inner: NodeJS.WritableStream,
    private readonly secrets: readonly string[],
  ) {}
  write(chunk: string): boolean {
    return this.inner.write(maskSecrets(chunk, this.secrets));
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const destination = options.destination ?? process.stdout;
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const pretty =
    options.format === 'pretty' || (options.format === undefined && process.stdout.isTTY === true);
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, base: { pid: process.pid } };
  if (pretty) {
    const transport = pino.transport({ target: 'pino-pretty', options: { destination: 1, colorize: true } });
    return pino(
      base,
      secrets.length > 0
        ? (new MaskingStream(transport as unknown as NodeJS.WritableStream, secrets) as never)
        : transport,
    );
  }
  const stream = secrets.length > 0 ? new MaskingStream(destination, secrets) : destination;
  return pino(base, stream as never);
}

/** A logger that discards everything (tests of pure parts, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
