// `npm run bench -- [--accounts N] [--users N] [--groups N] [--strategy S] [--throttle-rps R]
//   [--throttle-burst B] [--mfa-source api|credential_report] [--features all|core] [--seed S]
// Without flags it measures what ships: the configuration's defaults (strategy, MFA source, every feature
// that is on by default); --features core turns access keys, login profiles and tags off.
//   [--concurrency N] [--accounts-concurrency N] [--throttle-error-rate P]
//   [--identity-center USERS,GROUPS,PERMISSION_SETS]`
// --identity-center also collects an Identity Center store of that size with its access (permission sets
// and assignments across the accounts) and prints identity_center.calls_per_user.
// With --throttle-error-rate P (a share of answers Throttling whatever the load, as when other tools share
// the account's rate), the same world is first collected without it: fault_free_users_per_s and
// wall_ratio_to_fault_free compare the two.
// Starts the emulator as a separate process (so it does not share this process's CPU), runs one full
// collection into a counting sink, and prints one JSON object. Not a test: numbers, not assertions.
// collector_cpu_ms and emulator_cpu_ms are the CPU time (user + system) each process spent during the
// collection: on a shared machine they compare runs better than wall time does.
// With --throttle-rps, bound_ms is the least time the throttle allows: a bucket (one account's calls to one
// service: IAM, STS, Organizations) needs (admitted calls - burst) / rps; an account needs its busiest
// bucket's time; and with at most aws.accounts_concurrency accounts at once (4 by default) the run needs at
// least the accounts' times shared out over that many. bound_ms_all_accounts_at_once is the busiest bucket
// alone, what the run could reach if every account ran at the same time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configFromObject } from '../src/config/load.js';
import { LATEST_OCSF_VERSION } from '../src/config/ocsf-versions.js';
import type { Identity } from '../src/identity/identity.js';
import type { Config, OcsfVersion } from '../src/config/config.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../src/emulator/index.js';
import { silentLogger } from '../src/log.js';
import { changeFingerprint } from '../src/ocsf/change-fingerprint.js';
import { createEventPreparer, type EventPreparer } from '../src/ocsf/event-preparer.js';
import { createEventValidator } from '../src/ocsf/validate.js';
import { limitHeapGrowth } from '../src/heap-growth.js';
import { runCollection } from '../src/run/run.js';
import type { OutboundEvent, Sink } from '../src/sinks/sink.js';
import { benchFlags, flagNumber, nodeMemoryFlags, runBench, usageError } from './bench-flags.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The same heap policy as the CLI (src/heap-growth.ts): the benchmark measures the collector as it ships.
const heapGrowthPercent = limitHeapGrowth();

const USAGE = `usage: npm run bench -- [--accounts N] [--users N] [--groups N] [--strategy auto|bulk|per-user]
  [--mfa-source api|credential_report] [--features all|core] [--seed S] [--concurrency N]
  [--accounts-concurrency N] [--throttle-rps R] [--throttle-burst B] [--throttle-error-rate P]
  [--identity-center USERS,GROUPS,PERMISSION_SETS]
Without flags it measures what ships (the configuration's defaults) on 1 account x 1,000 users x 100 groups.`;

const args = benchFlags(USAGE, {
  accounts: { type: 'string', default: '1' },
  users: { type: 'string', default: '1000' },
  groups: { type: 'string', default: '100' },
  strategy: { type: 'string' },
  'throttle-rps': { type: 'string', default: '0' },
  'throttle-burst': { type: 'string' },
  'mfa-source': { type: 'string' },
  features: { type: 'string', default: 'all' },
  concurrency: { type: 'string' },
  'accounts-concurrency': { type: 'string' },
  seed: { type: 'string', default: '42' },
  'identity-center': { type: 'string' },
  'throttle-error-rate': { type: 'string', default: '0' },
});
if (args.features !== 'all' && args.features !== 'core')
  usageError(`--features takes all or core, not "${args.features}"`, USAGE);

/** --identity-center USERS,GROUPS,PERMISSION_SETS: the Identity Center store to collect beside IAM. */
const identityCenter = ((): { users: number; groups: number; sets: number } | undefined => {
  const flag = args['identity-center'];
  if (flag === undefined) return undefined;
  const [users, groups, sets] = flag.split(',').map(Number);
  if (![users, groups, sets].every((n) => Number.isInteger(n) && n! >= 0)) {
    usageError(
      `--identity-center takes USERS,GROUPS,PERMISSION_SETS (e.g. 1000,50,20), not "${flag}"`,
      USAGE,
    );
  }
  return { users: users!, groups: groups!, sets: sets! };
})();

const count = { integer: true, min: 0 };
const accounts = flagNumber('accounts', args.accounts, USAGE, { integer: true, min: 1 });
const usersPerAccount = flagNumber('users', args.users, USAGE, count);
const groups = flagNumber('groups', args.groups, USAGE, count);
flagNumber('seed', args.seed, USAGE, { integer: true });
const throttleRps = flagNumber('throttle-rps', args['throttle-rps'], USAGE, { min: 0 });
const throttleBurst =
  args['throttle-burst'] === undefined
    ? Math.max(1, throttleRps)
    : flagNumber('throttle-burst', args['throttle-burst'], USAGE, { min: 1 });
const throttleErrorRate = flagNumber('throttle-error-rate', args['throttle-error-rate'], USAGE, {
  min: 0,
  max: 1,
});
/** A flag of the collector's configuration, checked before the emulator is started. */
const optionalCount = (name: 'concurrency' | 'accounts-concurrency') =>
  args[name] === undefined ? undefined : flagNumber(name, args[name], USAGE, { integer: true, min: 1 });
const concurrency = optionalCount('concurrency');
const accountsConcurrency = optionalCount('accounts-concurrency');

interface EmulatorProcess {
  url: string;
  /** CPU the emulator process has used so far (ms; null where /proc is missing). */
  cpuMs(): number | null;
  stop(): void;
}

/** user + system CPU of a process from /proc/PID/stat (Linux), in ms. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Math.round((ticks * 1000) / CLOCK_TICKS_PER_S);
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_S = 100;

function startEmulatorProcess(withThrottleErrors: boolean): Promise<EmulatorProcess> {
  const cli = resolve('dist/cli.js');
  const argv = [
    cli,
    'emulator',
    '--port',
    '0',
    '--accounts',
    String(accounts),
    '--users',
    String(usersPerAccount),
    '--groups',
    String(groups),
    '--seed',
    args.seed!,
  ];
  if (identityCenter) {
    const { users, groups, sets } = identityCenter;
    argv.push(
      '--ic-users',
      String(users),
      '--ic-groups',
      String(groups),
      '--ic-permission-sets',
      String(sets),
    );
  }
  if (throttleRps > 0)
    argv.push('--throttle-rps', String(throttleRps), '--throttle-burst', String(throttleBurst));
  if (withThrottleErrors && throttleErrorRate > 0)
    argv.push('--throttle-error-rate', String(throttleErrorRate));
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(buffer);
      if (m)
        resolvePromise({
          url: m[1]!,
          cpuMs: () => processCpuMs(child.pid),
          stop: () => child.kill('SIGTERM'),
        });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

class CountingSink implements Sink {
  readonly name = 'counting';
  readonly type = 'counting';
  events = 0;
  bytes = 0;
  usersWithKeys = 0;
  /** Users with MFA and no virtual device (hardware, security keys): the ones ListMFADevices must answer. */
  usersWithUnexplainedMfa = 0;
  async send(batch: readonly OutboundEvent[]) {
    this.events += batch.length;
    for (const e of batch) {
      this.bytes += e.json.length;
      if (e.json.includes('"programmatic_credentials":[{')) this.usersWithKeys += 1;
      // Types absent = a virtual device explained the report's MFA; listed = every device type.
      const types = /"mfa_types":\[([^\]]*)\]/.exec(e.json)?.[1];
      if (e.json.includes('"has_mfa":true') && types !== undefined && !types.includes('"virtual"'))
        this.usersWithUnexplainedMfa += 1;
    }
    return { rejected: [] };
  }
  async check() {
    return 'in-process counter';
  }
  async close() {}
}

/**
 * The run's preparer, keeping an evenly spread sample of the identities it prepares (every `every`-th, at
 * most SAMPLE_SIZE) for the pipeline figure; the sample is small beside the run's own memory.
 */
const PIPELINE_SAMPLE_SIZE = 2_000;
function samplingPreparer(
  config: Config,
  expectedUsers: number,
): { preparer: EventPreparer; sample: Identity[] } {
  const inner = createEventPreparer(config.ocsf, config.risk);
  const every = Math.max(1, Math.floor(expectedUsers / PIPELINE_SAMPLE_SIZE));
  const sample: Identity[] = [];
  let seen = 0;
  const preparer: EventPreparer = {
    version: inner.version,
    prepare: (identity, ctx) => {
      if (seen++ % every === 0 && sample.length < PIPELINE_SAMPLE_SIZE) sample.push(identity);
      return inner.prepare(identity, ctx);
    },
    deletion: (stored, ctx) => inner.deletion(stored, ctx),
  };
  return { preparer, sample };
}

/**
 * CPU only, one core: what the run does with each identity it collected (src/run/identity-emitter.ts): map,
 * project, validate (prepare), change fingerprint and serialize, over the sample of the run's identities.
 */
function measurePipeline(identities: readonly Identity[], config: Config): number {
  const preparer = createEventPreparer(config.ocsf, config.risk);
  const ignore = config.state.fingerprint_ignore;
  const rounds = Math.max(20_000, identities.length);
  const step = (i: number): void => {
    const prepared = preparer.prepare(identities[i % identities.length]!, {
      collectedAt: Date.now(),
      runId: 'bench',
      eventId: `p${i}`,
    });
    if (!prepared.ok) throw new Error(`bench: an identity failed validation: ${prepared.errors.join('; ')}`);
    changeFingerprint(prepared.event, ignore);
    JSON.stringify(prepared.event);
  };
  // Warm up (compiled code, validator loaded) before the clock starts.
  for (let i = 0; i < Math.min(2_000, rounds); i++) step(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) step(i);
  return rounds / (Number(process.hrtime.bigint() - start) / 1e9);
}

function measureValidation(events: Record<string, unknown>[], version: OcsfVersion): number {
  const validator = createEventValidator(version);
  for (const e of events) validator.validate(e as never);
  const rounds = Math.max(1, Math.ceil(20_000 / events.length));
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const e of events) validator.validate(e as never);
  const ns = Number(process.hrtime.bigint() - start);
  return ns / 1000 / (rounds * events.length);
}

/** The shipped defaults, pointed at the emulator, with the strategy and features the flags chose. */
function benchConfig(emulatorUrl: string, dir: string, allFeatures: boolean): Config {
  return configFromObject(
    {
      aws: {
        region: 'us-east-1',
        endpoint: emulatorUrl,
        // Retries and account parallelism stay the shipped defaults unless a flag asks otherwise.
        ...(accountsConcurrency !== undefined ? { accounts_concurrency: accountsConcurrency } : {}),
        credentials: { access_key_id: DEFAULT_ACCESS_KEY_ID, secret_access_key: DEFAULT_SECRET_ACCESS_KEY },
        ...(accounts > 1 ? { organization: { enabled: true, role_name: 'IamInventoryReader' } } : {}),
      },
      collector: {
        ...(args.strategy !== undefined ? { strategy: args.strategy } : {}),
        ...(args['mfa-source'] !== undefined ? { mfa_source: args['mfa-source'] } : {}),
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(allFeatures ? {} : { access_keys: false, login_profile: false, tags: false }),
      },
      ...(identityCenter ? { identity_center: { enabled: true } } : {}),
      state: { path: join(dir, 'state.db') },
      sinks: [{ type: 'stdout' }],
      log: { level: 'silent' },
    },
    { baseDir: dir },
  );
}

/** Calls about one user (or its key): everything else is account-wide (listings, GAAD, report, groups). */
const PER_USER_ACTIONS = new Set(
  [
    'ListGroupsForUser',
    'ListMFADevices',
    'ListAttachedUserPolicies',
    'ListUserPolicies',
    'GetUserPolicy',
    'ListAccessKeys',
    'GetAccessKeyLastUsed',
    'GetLoginProfile',
    'GetUser',
  ].map((a) => `iam:${a}`),
);

/** The least calls the run's users need: the account-wide calls, one per user with keys or MFA to explain. */
function floorCallsPerUser(byAction: Map<string, number>, sink: CountingSink, users: number): number | null {
  if (users === 0) return null;
  let accountWide = 0;
  for (const [action, n] of byAction) if (!PER_USER_ACTIONS.has(action)) accountWide += n;
  return Number(((accountWide + sink.usersWithKeys + sink.usersWithUnexplainedMfa) / users).toFixed(4));
}

/** The calls the emulator counted: total, by action, throttled, and the busiest throttle bucket. */
async function emulatorCallStats(emulatorUrl: string) {
  const stats = (await (await fetch(`${emulatorUrl}/_emulator/stats`)).json()) as {
    calls: Record<string, Record<string, number>>;
    throttled: Record<string, number>;
    throttledCalls: Record<string, Record<string, number>>;
  };
  const perAccount = Object.entries(stats.calls).map(([account, c]) => ({
    account,
    calls: Object.values(c).reduce((a, b) => a + b, 0),
  }));
  const apiCalls = perAccount.reduce((a, b) => a + b.calls, 0);
  const byAction = new Map<string, number>();
  for (const calls of Object.values(stats.calls))
    for (const [action, n] of Object.entries(calls)) byAction.set(action, (byAction.get(action) ?? 0) + n);
  // The emulator throttles each account's services separately (as AWS does): the busiest bucket is one
  // account's IAM, STS or Organizations calls. Calls answered with Throttling took no token.
  const admittedByBucket = new Map<string, number>();
  for (const [account, calls] of Object.entries(stats.calls)) {
    for (const [action, n] of Object.entries(calls)) {
      const bucket = `${account}/${action.split(':')[0]}`;
      const throttledHere = stats.throttledCalls[account]?.[action] ?? 0;
      admittedByBucket.set(bucket, (admittedByBucket.get(bucket) ?? 0) + n - throttledHere);
    }
  }
  const busiest = Math.max(0, ...admittedByBucket.values());
  // An account's least time is set by its busiest bucket.
  const busiestOfAccount = new Map<string, number>();
  for (const [bucket, n] of admittedByBucket) {
    const account = bucket.slice(0, bucket.indexOf('/'));
    busiestOfAccount.set(account, Math.max(busiestOfAccount.get(account) ?? 0, n));
  }
  const throttled = Object.values(stats.throttled).reduce((a, b) => a + b, 0);
  return { apiCalls, byAction, busiest, busiestOfAccount: [...busiestOfAccount.values()], throttled };
}

/**
 * The Identity Center store's calls per Identity Center user: Identity Store and sso-admin calls, plus
 * the IAM reads of customer managed policies that permission sets reference (counted when the accounts
 * have no IAM users, so that every GetPolicy* call is one of them; the bulk reads of the auto strategy
 * usually carry those documents already).
 */
function identityCenterFigures(byAction: Map<string, number>) {
  const users = identityCenter?.users ?? 0;
  const sum = (match: (action: string) => boolean): number =>
    [...byAction].filter(([a]) => match(a)).reduce((n, [, c]) => n + c, 0);
  const store = sum((a) => a.startsWith('identitystore:') || a.startsWith('sso:'));
  const policies =
    usersPerAccount === 0 ? sum((a) => a === 'iam:GetPolicy' || a === 'iam:GetPolicyVersion') : 0;
  return {
    ...identityCenter,
    store_and_sso_calls: store,
    customer_policy_calls: usersPerAccount === 0 ? policies : null,
    calls_per_user: users > 0 ? Number(((store + policies) / users).toFixed(4)) : null,
  };
}

/** Up to 200 of the run's own identities as their events, to measure validation cost on. */
function sampleEvents(identities: readonly Identity[], config: Config): Record<string, unknown>[] {
  const preparer = createEventPreparer(config.ocsf, config.risk);
  return identities
    .slice(0, 200)
    .map(
      (identity, i) =>
        preparer.prepare(identity, { collectedAt: Date.now(), runId: 'bench', eventId: `e${i}` }).event,
    );
}

/** The same world collected without the load-independent throttling: wall time and users per second. */
async function faultFreeBaseline(allFeatures: boolean): Promise<{ wallMs: number; usersPerS: number }> {
  const emulator = await startEmulatorProcess(false);
  const dir = mkdtempSync(join(tmpdir(), 'iam-inventory-bench-'));
  try {
    const start = Date.now();
    const summary = await runCollection(
      benchConfig(emulator.url, dir, allFeatures),
      { mode: 'full', logger: silentLogger(), observer: {} },
      { sinks: [new CountingSink()] },
    );
    const wallMs = Date.now() - start;
    return { wallMs, usersPerS: Math.round(summary.usersSeen / (wallMs / 1000)) };
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const allFeatures = args.features === 'all';
  // The event schema is loaded once per process: loaded before either run, so neither pays it.
  if (throttleErrorRate > 0) createEventValidator(LATEST_OCSF_VERSION);
  const baseline = throttleErrorRate > 0 ? await faultFreeBaseline(allFeatures) : undefined;
  const emulator = await startEmulatorProcess(true);
  const dir = mkdtempSync(join(tmpdir(), 'iam-inventory-bench-'));
  try {
    const config = benchConfig(emulator.url, dir, allFeatures);
    const sink = new CountingSink();
    const sampled = samplingPreparer(config, accounts * usersPerAccount);
    const emulatorCpuBefore = emulator.cpuMs();
    const cpuBefore = process.cpuUsage();
    const start = Date.now();
    const summary = await runCollection(
      config,
      {
        mode: 'full',
        logger: silentLogger(),
        observer: {},
      },
      { sinks: [sink], preparer: sampled.preparer },
    );
    const wallMs = Date.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    const collectorCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const emulatorCpuAfter = emulator.cpuMs();
    const emulatorCpuMs =
      emulatorCpuBefore === null || emulatorCpuAfter === null ? null : emulatorCpuAfter - emulatorCpuBefore;
    // The collection's peak, before this process's own measurements below (pipeline, validation).
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const { apiCalls, byAction, busiest, busiestOfAccount, throttled } = await emulatorCallStats(
      emulator.url,
    );
    const bucketMs = (admitted: number) => Math.max(0, ((admitted - throttleBurst) / throttleRps) * 1000);
    const parallelBoundMs = throttleRps > 0 ? bucketMs(busiest) : undefined;
    // At most accounts_concurrency accounts are collected at once: no schedule beats the accounts' least
    // times shared out over that many at a time, nor the slowest account alone.
    const boundMs =
      parallelBoundMs === undefined
        ? undefined
        : Math.max(
            parallelBoundMs,
            busiestOfAccount.reduce((sum, n) => sum + bucketMs(n), 0) / config.aws.accounts_concurrency,
          );
    const sample = sampleEvents(sampled.sample, config);
    const totalUsers = summary.usersSeen;
    const c = config.collector;
    const features = Object.entries({
      admin_analysis: c.admin_analysis,
      access_keys: c.access_keys,
      login_profile: c.login_profile,
      tags: c.tags,
      include_roles: c.include_roles,
    }).flatMap(([name, on]) => (on ? [name] : []));
    const result = {
      strategy: c.strategy,
      mfa_source: c.mfa_source,
      features: ['groups', 'group policies', 'MFA', 'user policies', ...features],
      accounts,
      users: totalUsers,
      events: sink.events,
      api_calls: apiCalls,
      calls_per_user: totalUsers > 0 ? Number((apiCalls / totalUsers).toFixed(4)) : null,
      users_with_keys: sink.usersWithKeys,
      users_with_unexplained_mfa: sink.usersWithUnexplainedMfa,
      floor_calls_per_user: floorCallsPerUser(byAction, sink, totalUsers),
      users_per_s: wallMs > 0 ? Math.round(totalUsers / (wallMs / 1000)) : null,
      ...(baseline !== undefined
        ? {
            throttle_error_rate: throttleErrorRate,
            fault_free_users_per_s: baseline.usersPerS,
            fault_free_wall_ms: baseline.wallMs,
            wall_ratio_to_fault_free: Number((wallMs / baseline.wallMs).toFixed(3)),
          }
        : {}),
      pipeline_users_per_s:
        sampled.sample.length > 0 ? Math.round(measurePipeline(sampled.sample, config)) : null,
      throttled_calls: throttled,
      wall_ms: wallMs,
      collector_cpu_ms: collectorCpuMs,
      emulator_cpu_ms: emulatorCpuMs,
      bound_ms: boundMs === undefined ? null : Math.round(boundMs),
      ratio_to_bound: boundMs ? Number((wallMs / boundMs).toFixed(3)) : null,
      accounts_concurrency: config.aws.accounts_concurrency,
      bound_ms_all_accounts_at_once: parallelBoundMs === undefined ? null : Math.round(parallelBoundMs),
      peak_rss_mb: peakRssMb,
      heap_growth_percent: heapGrowthPercent ?? 'v8 default',
      // The young generation's limit is Node's own (twice as large on 24 as on 20): it moves peak_rss_mb.
      ...nodeMemoryFlags(),
      failed_users: summary.failedUsers,
      calls_by_action: Object.fromEntries([...byAction].sort((a, b) => b[1] - a[1])),
      status: summary.status,
      validation_us_per_event:
        sample.length > 0 ? Number(measureValidation(sample, config.ocsf.version).toFixed(2)) : null,
      ...(identityCenter ? { identity_center: identityCenterFigures(byAction) } : {}),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    if (summary.status !== 'succeeded') {
      process.stderr.write(summary.errors.join('\n') + '\n');
      return 1;
    }
    return 0;
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runBench(main, USAGE);
