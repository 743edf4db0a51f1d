// Events, a capturing logger and a sink context for the sink tests.
import type { OutboundEvent, SinkContext, SinkLogger } from '../../../src/sinks/sink.js';

export function makeEvent(i: number, extra: Record<string, unknown> = {}): OutboundEvent {
  const event = {
    class_uid: 5003,
    time: 1718000000123 + i,
    user: { name: `user-${i}`, uid: `arn:aws:iam::123456789012:user/user-${i}` },
    ...extra,
  };
  return { key: event.user.uid, event, json: JSON.stringify(event) };
}

export function makeEvents(n: number): OutboundEvent[] {
  return Array.from({ length: n }, (_v, i) => makeEvent(i));
}

export interface CapturedLog {
  level: string;
  obj: object;
  msg?: string;
}

export class CaptureLogger implements SinkLogger {
  readonly lines: CapturedLog[] = [];
  debug(obj: object, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
}

export function makeContext(
  baseDir = process.cwd(),
): SinkContext & { logger: CaptureLogger; retries: string[] } {
  const retries: string[] = [];
  return {
    logger: new CaptureLogger(),
    baseDir,
    retries,
    onRetry: (sink, reason) => retries.push(`${sink}:${reason}`),
  };
}

/** Retry settings that keep the tests fast. */
export const FAST_RETRY = { max_attempts: 5, initial_delay_ms: 1, max_delay_ms: 5 };

/** Resolves with the rejection error of a promise that must fail. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}
