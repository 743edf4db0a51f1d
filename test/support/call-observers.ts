// Observers of the collector's AWS calls for tests: one that counts calls and throttled attempts, one that
// changes the world at an exact point of the call sequence.
import type { AwsCallObserver } from '../../src/collector/source.js';

/** Counts calls and throttled attempts by "account/service:Action". */
export class CountingObserver implements AwsCallObserver {
  readonly calls = new Map<string, number>();
  readonly throttled = new Map<string, number>();
  onCall(accountId: string, service: string, action: string): void {
    const key = `${accountId}/${service}:${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }
  onThrottled(accountId: string, service: string, action: string): void {
    const key = `${accountId}/${service}:${action}`;
    this.throttled.set(key, (this.throttled.get(key) ?? 0) + 1);
  }
  total(map: Map<string, number>): number {
    let n = 0;
    for (const v of map.values()) n += v;
    return n;
  }
}

/** Counts calls by "service:Action" and runs a hook synchronously before a given action's request is sent. */
export class HookObserver implements AwsCallObserver {
  readonly calls = new Map<string, number>();
  private readonly hooks = new Map<string, () => void>();

  /** Runs `fn` once, just before the next `action` call goes out. */
  before(action: string, fn: () => void): void {
    this.hooks.set(action, fn);
  }

  onCall(_accountId: string, service: string, action: string): void {
    const key = `${service}:${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const hook = this.hooks.get(action);
    if (hook !== undefined) {
      this.hooks.delete(action);
      hook();
    }
  }

  onThrottled(): void {}
}
