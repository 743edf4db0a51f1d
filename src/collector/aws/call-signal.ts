// A call's abort signal travels with the command's input instead of send()'s options. The SDK reuses a
// client's resolved middleware per command class (cacheMiddleware) only for send() without options, and
// resolving it again costs about 100 µs a call: a tenth of the collector's CPU at the call floor. So the
// signal is looked up where the SDK would have used it:
// - above the retry middleware, the whole call (the rate limiter's wait, retry delays, every attempt)
//   rejects as soon as the signal aborts, with the SDK's own AbortError;
// - in the HTTP handler, the attempt in flight is torn down (its socket destroyed), as with abortSignal.
// A command whose own middleware is per instance (its closure holds that call's state) must not share a
// cached handler: send it with options (`{ abortSignal }`), which bypasses the cache.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

const inputSignals = new WeakMap<object, AbortSignal>();
const requestSignals = new WeakMap<object, AbortSignal>();

/** The command, its calls aborted by `signal` (none: the command as it is). */
export function withSignal<C extends { input: object }>(command: C, signal: AbortSignal | undefined): C {
  if (signal !== undefined) inputSignals.set(command.input, signal);
  return command;
}

/** The error the SDK rejects an aborted call with (name AbortError, the reason as cause). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const error = new Error(
    reason === undefined || reason instanceof Error ? 'Request aborted' : String(reason),
  );
  error.name = 'AbortError';
  if (reason instanceof Error) error.cause = reason;
  return error;
}

function untilAborted<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([call(), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}
interface CallArgs {
  input?: object;
  request?: object;
}
type Next = (args: CallArgs) => Promise<unknown>;

/** The two middlewares that give a call its signal (see the top of this file). */
export function addCallSignalMiddleware(stack: MiddlewareStackLike): void {
  stack.add(
    (next: Next) => (args: CallArgs) => {
      const signal = args.input !== undefined ? inputSignals.get(args.input) : undefined;
      return signal === undefined ? next(args) : untilAborted(() => next(args), signal);
    },
    { step: 'initialize', priority: 'high', name: 'iamInventoryCallSignal', override: true },
  );
  // Each attempt's request is built anew (signing copies it): it is tagged just before it is sent.
  stack.add(
    (next: Next) => (args: CallArgs) => {
      const signal = args.input !== undefined ? inputSignals.get(args.input) : undefined;
      if (signal !== undefined && args.request !== undefined) requestSignals.set(args.request, signal);
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'iamInventoryRequestSignal', override: true },
  );
}

/** The SDK's Node HTTP handler, with the abort signal of the request's call when send() gave none. */
export class SignalledHttpHandler extends NodeHttpHandler {
  override handle(
    request: Parameters<NodeHttpHandler['handle']>[0],
    options: HttpHandlerOptions = {},
  ): ReturnType<NodeHttpHandler['handle']> {
    const signal = options.abortSignal === undefined ? requestSignals.get(request) : undefined;
    return super.handle(request, signal === undefined ? options : { ...options, abortSignal: signal });
  }
}
