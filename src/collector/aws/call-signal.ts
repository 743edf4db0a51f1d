// A call's abort signal travels with the command's input instead of send()'s options. The SDK reuses a
// client's resolved middleware per command class (cacheMiddleware) only for send() without options, and
// resolving it again costs about 100 µs a call: a tenth of the collector's CPU at the call floor. So the
// signal is looked up where the SDK would have used it:
// - above the retry middleware, the whole call (the rate limiter's wait, retry delays, every attempt)
//   rejects as soon as the signal aborts, with the SDK's own AbortError;
// - in the client's HTTP handler, the attempt in flight is torn down (its socket destroyed), as with
//   abortSignal.
// A command whose own middleware is per instance (its closure holds that call's state) must not share a
// cached handler: send it with options (`{ abortSignal }`), which bypasses the cache and also drops the
// client's cached handlers, so that every command resolves its middleware once more: keep such sends rare
// (one per credential report).
import { setMaxListeners } from 'node:events';
import type { HttpHandlerOptions } from '@smithy/types';
import type { MiddlewareStackLike } from './middleware-stack.js';

const inputSignals = new WeakMap<object, AbortSignal>();
const requestSignals = new WeakMap<object, AbortSignal>();
const signalsInUse = new WeakSet<AbortSignal>();

/** The command, its calls aborted by `signal` (none: the command as it is). */
export function withSignal<C extends { input: object }>(command: C, signal: AbortSignal | undefined): C {
  if (signal === undefined) return command;
  inputSignals.set(command.input, signal);
  if (!signalsInUse.has(signal)) {
    // Every call in flight listens on it twice (the call, and its HTTP attempt), each listener removed as
    // the call ends: far more than Node's 10 at once, and no leak.
    setMaxListeners(0, signal);
    signalsInUse.add(signal);
  }
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

/** An SDK request handler, as far as the wrapper below needs to know it. */
interface RequestHandlerLike {
  metadata?: unknown;
  handle(request: object, options?: HttpHandlerOptions): Promise<unknown>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
}

/**
 * The client's own HTTP handler (as the SDK built it, with its defaults mode), given the abort signal of the
 * request's call when send() gave none. Set right after the client is built, before its first call.
 */
export function handleCallSignals(client: { config: { requestHandler: unknown } }): void {
  const inner = client.config.requestHandler as RequestHandlerLike;
  const signalled: RequestHandlerLike = {
    metadata: inner.metadata,
    handle: (request, options = {}) => {
      const signal = options.abortSignal === undefined ? requestSignals.get(request) : undefined;
      return inner.handle(request, signal === undefined ? options : { ...options, abortSignal: signal });
    },
    destroy: () => inner.destroy?.(),
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
  };
  client.config.requestHandler = signalled;
}
