// `npm run test:container`: builds the image with podman or docker (whichever answers) and runs it as a user
// would: the demo, a state folder the container user cannot write, the emulator and a run on a user network,
// the daemon's healthcheck and readiness, SIGTERM. Not part of .ci/run: it needs a container engine and the
// node:24-slim base image. Every step prints PASS, FAIL or SKIP with the reason; the exit code is 1 when a
// step failed, 0 otherwise (all skipped included).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../src/emulator/model.js';

const IMAGE = 'localhost/iam-inventory:test';
const BASE = 'docker.io/library/node:24-slim';
const tag = `iam-inventory-test-${process.pid}`;
const results = { passed: 0, failed: 0, skipped: 0 };
const cleanups: (() => void)[] = [];

function report(kind: 'PASS' | 'FAIL' | 'SKIP', step: string, detail = ''): void {
  results[kind === 'PASS' ? 'passed' : kind === 'FAIL' ? 'failed' : 'skipped'] += 1;
  process.stdout.write(`${kind} ${step}${detail === '' ? '' : `: ${detail}`}\n`);
}

function sh(cmd: string, args: string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

const tail = (r: SpawnSyncReturns<string>) =>
  `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-8).join(' | ');

/** The first engine that answers `info`, or the reasons none did. */
function findEngine(): { engine?: string; reasons: string[] } {
  const reasons: string[] = [];
  for (const engine of ['podman', 'docker']) {
    const info = sh(engine, ['info'], 30_000);
    if (info.error !== undefined) reasons.push(`${engine}: not installed`);
    else if (info.status !== 0) reasons.push(`${engine}: ${tail(info).slice(0, 160)}`);
    else return { engine, reasons };
  }
  return { reasons };
}

function step(name: string, check: () => string | undefined): boolean {
  try {
    const problem = check();
    if (problem === undefined) report('PASS', name);
    else report('FAIL', name, problem);
    return problem === undefined;
  } catch (err) {
    report('FAIL', name, (err as Error).message);
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function waitFor(what: string, seconds: number, probe: () => boolean): string | undefined {
  for (let i = 0; i < seconds; i += 1) {
    if (probe()) return undefined;
    sleep(1000);
  }
  return `${what} not within ${seconds} s`;
}

function tempDir(mode: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-container-'));
  chmodSync(dir, mode);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeRunConfig(dir: string): void {
  const config = [
    'aws:',
    '  region: us-east-1',
    '  endpoint: http://emulator:4566',
    '  credentials: {access_key_id: "${EMU_KEY_ID}", secret_access_key: "${EMU_SECRET}"}',
    'state: {path: /var/lib/iam-inventory/state.db}',
    'sinks: [{type: file, path: /var/lib/iam-inventory/out/events.ndjson}]',
    'schedule: {run_on_start: true}',
    'shutdown_grace_seconds: 30',
    'ops: {listen: 0.0.0.0:9464}',
    'log: {level: warn, format: json}',
  ];
  writeFileSync(join(dir, 'config.yaml'), `${config.join('\n')}\n`, { mode: 0o644 });
}

function runImage(engine: string) {
  const run = (args: string[], timeoutMs?: number) => sh(engine, ['run', ...args], timeoutMs);
  const inside = (name: string, script: string) => sh(engine, ['exec', name, 'node', '-e', script], 30_000);

  step('image: no build leftovers, no tsbuildinfo, no dev dependencies; uid 10001', () => {
    const probe = [
      'cd /app && test "$(id -u):$(id -g)" = 10001:10001',
      'test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'for p in node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target ' +
        'node_modules/better-sqlite3/build/deps node_modules/better-sqlite3/deps dist/.tsbuildinfo ' +
        'node_modules/typescript node_modules/jest node_modules/kubernetes-models; do test ! -e $p || { echo $p; exit 1; }; done',
    ].join(' && ');
    const r = run(['--rm', '--entrypoint', 'sh', IMAGE, '-c', probe]);
    return r.status === 0 ? undefined : `found ${tail(r)}`;
  });

  step('demo in the image (read-only root, twice on one volume: 0 new events the second time)', () => {
    const volume = `${tag}-demo`;
    cleanups.push(() => sh(engine, ['volume', 'rm', '-f', volume]));
    const args = [
      '--rm',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '-v',
      `${volume}:/var/lib/iam-inventory`,
      IMAGE,
      'demo',
    ];
    const first = run(args);
    if (first.status !== 0 || !first.stdout.includes('posture ('))
      return `exit ${first.status}: ${tail(first)}`;
    process.stdout.write(`${first.stdout.trimEnd().replace(/^/gm, '    ')}\n`);
    const second = run(args);
    return second.stdout.includes('0 new events') ? undefined : `second run: ${tail(second)}`;
  });

  step('a root-owned bind-mounted state folder: exit 2 naming the folder and uid 10001', () => {
    const dir = tempDir(0o755);
    const r = run(['--rm', '-v', `${dir}:/var/lib/iam-inventory`, IMAGE, 'demo']);
    const named =
      r.stderr.includes('/var/lib/iam-inventory/data') && r.stderr.includes('uid 10001 (gid 10001)');
    return r.status === 2 && named ? undefined : `exit ${r.status}: ${tail(r)}`;
  });

  const network = `${tag}-net`;
  if (sh(engine, ['network', 'create', network]).status !== 0) {
    report('SKIP', 'emulator + run + daemon on a user network', `cannot create network ${network}`);
    return;
  }
  cleanups.push(() => sh(engine, ['network', 'rm', '-f', network]));
  const emulator = `${tag}-emulator`;
  cleanups.push(() => sh(engine, ['rm', '-f', emulator]));
  step('emulator --host 0.0.0.0 on a user network, healthy (no daemon to check)', () => {
    const r = run([
      '-d',
      '--name',
      emulator,
      '--network',
      network,
      '--network-alias',
      'emulator',
      '--read-only',
      IMAGE,
      'emulator',
      '--host',
      '0.0.0.0',
      '--port',
      '4566',
      '--users',
      '40',
      '--seed',
      '5',
    ]);
    if (r.status !== 0) return tail(r);
    const late = waitFor('"listening on"', 30, () =>
      sh(engine, ['logs', emulator]).stdout.includes('listening on'),
    );
    if (late !== undefined) return late;
    const health = sh(engine, ['exec', emulator, 'node', '/app/dist/scripts/container-healthcheck.js']);
    return health.status === 0 ? undefined : `healthcheck: ${tail(health)}`;
  });

  const config = tempDir(0o755);
  writeRunConfig(config);
  const common = [
    '--network',
    network,
    '--read-only',
    '--tmpfs',
    '/tmp',
    '-v',
    `${config}:/etc/iam-inventory:ro`,
    '-e',
    `EMU_KEY_ID=${DEFAULT_ACCESS_KEY_ID}`,
    '-e',
    `EMU_SECRET=${DEFAULT_SECRET_ACCESS_KEY}`,
  ];
  step('run from another container against http://emulator:4566', () => {
    const r = run(['--rm', ...common, IMAGE, 'run', '--config', '/etc/iam-inventory/config.yaml']);
    return r.status === 0 ? undefined : `exit ${r.status}: ${tail(r)}`;
  });

  const daemon = `${tag}-daemon`;
  cleanups.push(() => sh(engine, ['rm', '-f', daemon]));
  const started = run(['-d', '--name', daemon, ...common, IMAGE]);
  step('daemon: HEALTHCHECK healthy, /readyz 200 after its first run', () => {
    if (started.status !== 0) return tail(started);
    const healthy = () =>
      sh(engine, ['exec', daemon, 'node', '/app/dist/scripts/container-healthcheck.js']).status === 0;
    const ready =
      "fetch('http://127.0.0.1:9464/readyz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))";
    return (
      waitFor('healthy', 60, healthy) ?? waitFor('/readyz 200', 90, () => inside(daemon, ready).status === 0)
    );
  });
  step('daemon: SIGTERM stops it gracefully (exit 0) within 10 s', () => {
    const t0 = Date.now();
    const stop = sh(engine, ['stop', '-t', '45', daemon], 60_000);
    const seconds = (Date.now() - t0) / 1000;
    const code = sh(engine, ['inspect', '--format', '{{.State.ExitCode}}', daemon]).stdout.trim();
    process.stdout.write(`    stopped in ${seconds.toFixed(1)} s, exit code ${code}\n`);
    return stop.status === 0 && code === '0' && seconds < 10 ? undefined : `exit ${code} after ${seconds} s`;
  });
}

function main(): void {
  const { engine, reasons } = findEngine();
  if (engine === undefined) {
    report('SKIP', 'everything', `no container engine answers (${reasons.join('; ')})`);
    return;
  }
  process.stdout.write(`engine: ${engine}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}\n`);
  const exists = sh(engine, ['image', 'inspect', BASE], 30_000).status === 0;
  if (!exists && sh(engine, ['pull', BASE], 300_000).status !== 0) {
    report(
      'SKIP',
      'everything',
      `base image ${BASE} is not present and cannot be pulled (build or load it first)`,
    );
    return;
  }
  // Podman's default OCI format drops HEALTHCHECK.
  const format = engine === 'podman' ? ['--format', 'docker'] : [];
  const build = sh(engine, ['build', ...format, '-t', IMAGE, '.'], 30 * 60_000);
  if (build.status !== 0) {
    report('FAIL', 'build', tail(build));
    return;
  }
  const megabytes = (image: string) =>
    (Number(sh(engine, ['image', 'inspect', '--format', '{{.Size}}', image]).stdout.trim()) / 1e6).toFixed(0);
  const inspect = sh(engine, ['image', 'inspect', IMAGE]).stdout;
  report('PASS', 'build', `${IMAGE}, ${megabytes(IMAGE)} MB (base image ${megabytes(BASE)} MB)`);
  step('image HEALTHCHECK runs the daemon-only script', () =>
    inspect.includes('container-healthcheck.js') ? undefined : 'no HEALTHCHECK in the image config',
  );
  runImage(engine);
  const compose = ['docker-compose', 'podman-compose'].find((c) => sh(c, ['version'], 20_000).status === 0);
  report(
    'SKIP',
    'docker-compose.yml',
    compose === undefined
      ? 'no docker-compose or podman-compose here; test/deploy/compose.test.ts checks its structure'
      : `${compose} found, but compose runs are left to the operator; test/deploy/compose.test.ts checks the file`,
  );
}

try {
  main();
} finally {
  for (const cleanup of cleanups.reverse()) cleanup();
  process.stdout.write(
    `test:container: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped\n`,
  );
  process.exitCode = results.failed > 0 ? 1 : 0;
}
