// The fixture the collector tests share: a seeded world served by the emulator over loopback, and the
// caller's own account opened in it the way a run opens it (targets resolved, credentials checked, one IAM
// client per account). Keys limited to a few actions are added the same way in every test.
import { openAccount, type AccountDeps } from '../../src/collector/aws/accounts.js';
import { baseCredentials } from '../../src/collector/aws/credentials.js';
import { resolveAccountTargets } from '../../src/collector/aws/targets.js';
import type { AccountHandle, AwsCallObserver } from '../../src/collector/source.js';
import type { Config } from '../../src/config/config.js';
import {
  addCredential,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type GeneratorOptions,
} from '../../src/emulator/index.js';
import { silentLogger, type Logger } from '../../src/log.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Credentials = NonNullable<Config['aws']['credentials']>;

/**
 * Opens the caller's own account of `config` as a run would; fails unless the configuration resolves to
 * exactly one account without failures.
 */
export async function openOwnAccount(
  config: Config,
  logger: Logger = silentLogger(),
  observer?: AwsCallObserver,
): Promise<AccountHandle> {
  const deps: AccountDeps = {
    logger,
    baseCredentials: baseCredentials(config.aws.credentials),
    ...(observer !== undefined ? { observer } : {}),
  };
  const resolved = await resolveAccountTargets(config.aws, deps);
  const [target, ...others] = resolved.targets;
  if (resolved.failures.length > 0 || target === undefined || others.length > 0) {
    throw new Error(
      `could not resolve one account: ${JSON.stringify({ targets: resolved.targets, failures: resolved.failures })}`,
    );
  }
  return openAccount(target, { aws: config.aws, durationSeconds: 3600, caller: resolved.caller }, deps);
}

export interface LimitedKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** The IAM user the key belongs to (its ARN is what GetCallerIdentity reports). */
  userName: string;
  /** "iam:ListUsers" ...: every other action answers AccessDenied. */
  allowedActions: readonly string[];
  /** The account it acts in; default: the world's default account. */
  accountId?: string;
}

/** Adds a key limited to `allowedActions` to the emulator's world; returns the credentials that use it. */
export function addLimitedKey(emu: Emulator, key: LimitedKey): Credentials {
  const accountId = key.accountId ?? emu.world.defaultAccountId;
  addCredential(emu.world, {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    accountId,
    arn: `arn:aws:iam::${accountId}:user/${key.userName}`,
    userId: `AIDA${key.accessKeyId.replace(/^AKIA/, '')}`,
    allowedActions: new Set(key.allowedActions),
  });
  return { access_key_id: key.accessKeyId, secret_access_key: key.secretAccessKey };
}

export interface EmulatorAccountOptions {
  /** The seeded world to serve. */
  world: GeneratorOptions;
  /** Everything else the emulator takes: services, throttling, faults. */
  emulator?: Omit<EmulatorOptions, 'world' | 'truth' | 'generator'>;
  /** The configuration of the account's clients, for the emulator's URL. */
  config: (endpoint: string) => Config;
  observer?: AwsCallObserver;
  logger?: Logger;
}

export interface EmulatorAccount {
  emu: Emulator;
  config: Config;
  /** The caller's own account, opened with `config`. */
  handle: AccountHandle;
  accountId: string;
  /** Opens the account again (other credentials, another observer); stop() closes it too. */
  open(config: Config, observer?: AwsCallObserver): Promise<AccountHandle>;
  /** Closes every account opened here and stops the emulator. */
  stop(): Promise<void>;
}

export async function startEmulatorAccount(options: EmulatorAccountOptions): Promise<EmulatorAccount> {
  const emu = await startEmulator({ ...options.emulator, generator: options.world });
  const logger = options.logger ?? silentLogger();
  const handles: AccountHandle[] = [];
  const open = async (config: Config, observer?: AwsCallObserver): Promise<AccountHandle> => {
    const handle = await openOwnAccount(config, logger, observer);
    handles.push(handle);
    return handle;
  };
  try {
    const config = options.config(emu.url);
    const handle = await open(config, options.observer);
    return {
      emu,
      config,
      handle,
      accountId: handle.accountId,
      open,
      stop: async () => {
        for (const h of handles) h.iam.destroy();
        await emu.stop();
      },
    };
  } catch (error) {
    await emu.stop();
    throw error;
  }
}
