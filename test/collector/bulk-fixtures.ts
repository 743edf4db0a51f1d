// Shared by the bulk, auto and strategies-equal tests: an emulator account opened the way a run opens it,
// with an observer hook that can change the world at an exact point of the call sequence.
import { openAccount, type AccountDeps } from '../../src/collector/aws/accounts.js';
import { resolveAccountTargets } from '../../src/collector/aws/targets.js';
import { baseCredentials } from '../../src/collector/aws/credentials.js';
import type { AccountHandle, AwsCallObserver } from '../../src/collector/source.js';
import type { Config } from '../../src/config/config.js';
import type { Logger } from '../../src/log.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Counts calls and runs a hook synchronously before a given action's request is sent. */
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

/** Opens the caller's own account of `config` as a run would. */
export async function openOwnAccount(
  config: Config,
  logger: Logger,
  observer?: AwsCallObserver,
): Promise<AccountHandle> {
  const deps: AccountDeps = {
    logger,
    baseCredentials: baseCredentials(config.aws.credentials),
    ...(observer !== undefined ? { observer } : {}),
  };
  const resolved = await resolveAccountTargets(config.aws, deps);
  const target = resolved.targets[0];
  if (resolved.failures.length > 0 || target === undefined) {
    throw new Error(`could not resolve the account: ${JSON.stringify(resolved.failures)}`);
  }
  return openAccount(target, { aws: config.aws, durationSeconds: 3600, caller: resolved.caller }, deps);
}
