// The one method of an SDK v3 client's middleware stack that the collector's own middlewares use (call
// signal, malformed answers, the call observer): a structural type, so that each client's own stack type
// fits without naming the SDK's generics.

export interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}
