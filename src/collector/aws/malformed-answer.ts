// A 200 answer whose body cannot be parsed (truncated, cut by a proxy or a reset) says nothing about the
// identity: for a read, another attempt may well succeed, so it is retried as transient within
// aws.max_attempts like a 5xx. What is left after the retries is reported in words an operator can act on,
// naming the action and the account, without the SDK's internals ("inspect the hidden field ...").
import { classifyAwsError, describeAwsError } from './aws-error.js';
import type { MiddlewareStackLike } from './middleware-stack.js';

/** An answer of `action` that could not be parsed; `$retryable` is the SDK's own retry trait. */
export class MalformedAnswerError extends Error {
  readonly $metadata: unknown;
  readonly $retryable?: { throttling: boolean };

  constructor(action: string, accountId: string, cause: unknown, retryable: boolean) {
    super(`malformed response from ${action} (account ${accountId}): ${describeAwsError(cause)}`);
    this.name = 'MalformedResponse';
    this.$metadata = (cause as { $metadata?: unknown }).$metadata;
    if (retryable) this.$retryable = { throttling: false };
  }
}

/** Calls that only read: safe to send again after an answer that was lost on the way. */
export function isIdempotentRead(action: string): boolean {
  return /^(List|Get|Describe)[A-Z]/.test(action);
}

const MALFORMED_MIDDLEWARE = 'iamInventoryMalformedAnswer';

/**
 * Turns each attempt's unparseable answer into a MalformedAnswerError. It sits in the finalizeRequest step
 * below the retry middleware (which then sees a retryable error) and above deserialization (which fails).
 */
export function addMalformedAnswerMiddleware(
  stack: MiddlewareStackLike,
  accountId: string,
  service: string,
): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown): Promise<unknown> => {
      try {
        return await next(args);
      } catch (error) {
        if (classifyAwsError(error).kind !== 'malformed' || error instanceof MalformedAnswerError)
          throw error;
        const action = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        throw new MalformedAnswerError(`${service}:${action}`, accountId, error, isIdempotentRead(action));
      }
    };
  stack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: MALFORMED_MIDDLEWARE,
    override: true,
  });
}
