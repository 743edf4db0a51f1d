// The image's HEALTHCHECK (see Dockerfile). Only the daemon has something to check: its /healthz. A container
// running another command (demo, run, emulator, validate-config) is healthy while it runs and exits when it is
// done, so the check passes for it instead of reporting an emulator or a one-shot run "unhealthy".
// The URL: IAM_INVENTORY_HEALTHCHECK_URL, else the daemon's ops.listen read from its --config file (without
// ${...} substitution; a substituted value falls back), else http://127.0.0.1:9464/healthz.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { get } from 'node:http';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { parseListen } from '../src/daemon/ops-server.js';

export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:9464/healthz';

export interface ProcessInfo {
  argv: string[];
  cwd: string;
}

/** For `node …/cli.js daemon [--config F]`: F resolved against the process's folder; otherwise undefined. */
export function daemonConfigPath(proc: ProcessInfo): string | undefined {
  const cli = proc.argv.findIndex((a) => /(^|\/)(cli\.js|iam-inventory)$/.test(a));
  if (cli < 0) return undefined;
  const rest = proc.argv.slice(cli + 1);
  if (rest.find((a) => !a.startsWith('-')) !== 'daemon') return undefined;
  let file = './config.yaml';
  rest.forEach((a, i) => {
    if ((a === '--config' || a === '-c') && rest[i + 1] !== undefined) file = rest[i + 1] as string;
    else if (a.startsWith('--config=')) file = a.slice('--config='.length);
  });
  return isAbsolute(file) ? file : join(proc.cwd, file);
}

/** The /healthz URL for an ops.listen value; a wildcard address is asked on loopback. */
export function healthUrlFor(listen: unknown): string {
  if (typeof listen !== 'string' || listen.includes('${')) return DEFAULT_HEALTH_URL;
  try {
    const { host, port } = parseListen(listen);
    const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${target.includes(':') ? `[${target}]` : target}:${port}/healthz`;
  } catch {
    return DEFAULT_HEALTH_URL;
  }
}

function configuredListen(configPath: string, readText: (path: string) => string): unknown {
  try {
    const config = parse(readText(configPath)) as { ops?: { listen?: unknown } } | null;
    return config?.ops?.listen;
  } catch {
    return undefined;
  }
}

export function probe(url: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve({ ok: res.statusCode === 200, detail: `${url} answered ${res.statusCode}` });
    });
    req.on('error', (err) => resolve({ ok: false, detail: `${url}: ${err.message}` }));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  });
}

export interface HealthOptions {
  processes: ProcessInfo[];
  env: NodeJS.ProcessEnv;
  readText?: (path: string) => string;
  timeoutMs?: number;
}

export async function containerHealth(o: HealthOptions): Promise<{ healthy: boolean; message: string }> {
  const daemon = o.processes.map(daemonConfigPath).find((p) => p !== undefined);
  if (daemon === undefined)
    return { healthy: true, message: 'no daemon in this container: nothing to check' };
  const url =
    o.env.IAM_INVENTORY_HEALTHCHECK_URL ??
    healthUrlFor(configuredListen(daemon, o.readText ?? ((p) => readFileSync(p, 'utf8'))));
  const { ok, detail } = await probe(url, o.timeoutMs ?? 4000);
  return { healthy: ok, message: detail };
}

function processesFromProc(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      found.push({ argv, cwd: readlinkSync(`/proc/${pid}/cwd`) });
    } catch {
      // The process ended while we looked, or is not ours to inspect.
    }
  }
  return found;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await containerHealth({ processes: processesFromProc(), env: process.env });
  process.stdout.write(`${result.healthy ? 'healthy' : 'unhealthy'}: ${result.message}\n`);
  process.exitCode = result.healthy ? 0 : 1;
}
