// Drives the built CLI (dist/cli.js) as a child process, the way an operator or a container runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../src/emulator/index.js';

export const CLI = resolve('dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
  delete env.NODE_OPTIONS;
  return env;
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  return spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  return collect(child, options.timeoutMs ?? 120_000);
}

export function collect(child: ChildProcess, timeoutMs = 120_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

export function tempDir(prefix = 'iam-inventory-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Collector settings for tests of delivery mechanics: the per-user core calls only (4 per user). */
export const LEAN_COLLECTOR = { access_keys: false, login_profile: false, tags: false } as const;

export interface E2eConfigOptions {
  dir: string;
  endpoint: string;
  collector?: Record<string, unknown>;
  ocsf?: Record<string, unknown>;
  state?: Record<string, unknown>;
  sinks?: Record<string, unknown>[];
  aws?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  credentials?: { access_key_id: string; secret_access_key: string };
}

/** Writes a config for a run against the emulator; returns its path. Events go to <dir>/events.ndjson. */
export function writeConfig(o: E2eConfigOptions): string {
  const config = {
    aws: {
      region: 'us-east-1',
      endpoint: o.endpoint,
      max_attempts: 3,
      credentials: o.credentials ?? {
        access_key_id: DEFAULT_ACCESS_KEY_ID,
        secret_access_key: DEFAULT_SECRET_ACCESS_KEY,
      },
      ...o.aws,
    },
    // The per-user reads of the API, whose output the golden files and ground-truth checks pin; the shipped
    // default (auto, credential report) is tested against the same truth in strategies.e2e.test.ts.
    collector: { strategy: 'per-user', mfa_source: 'api', concurrency: 16, ...o.collector },
    ocsf: { version: '1.8.0', ...o.ocsf },
    state: { path: join(o.dir, 'state.db'), ...o.state },
    sinks: o.sinks ?? [{ type: 'file', path: join(o.dir, 'events.ndjson') }],
    log: { level: 'warn' },
    ...o.extra,
  };
  const path = join(o.dir, 'config.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

export function readEvents(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The `user` object of an event, loosely typed for assertions. */
export function userOf(event: Record<string, unknown>): Record<string, any> {
  return event.user as Record<string, any>;
}

export function awsOf(event: Record<string, unknown>): Record<string, any> {
  return ((event.unmapped as Record<string, unknown> | undefined)?.aws ?? {}) as Record<string, any>;
}

export async function stateShow(configPath: string): Promise<any> {
  const r = await runCli(['state', 'show', '--json', '--config', configPath]);
  if (r.code !== 0) throw new Error(`state show failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
