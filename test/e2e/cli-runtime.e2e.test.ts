// The CLI where containers put it: the emulator on another address, a state folder the process cannot write
// (as a bind mount owned by root is for uid 10001), the compose demo's collection from an emulator service,
// and the SDK's warning on a Node it will stop supporting.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { emulatorUrl } from '../../src/cli/demo-command.js';
import { listenAddress } from '../../src/cli/emulator-command.js';
import { startEmulator } from '../../src/emulator/index.js';
import { collect, readEvents, runCli, spawnCli, tempDir, type CliResult } from './cli.js';

function firstLine(child: ReturnType<typeof spawnCli>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code} before listening`)));
  });
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_emulator/stats`);
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

describe('iam-inventory emulator --host', () => {
  let child: ReturnType<typeof spawnCli> | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  async function listen(args: string[]): Promise<{ url: string; port: string; stop: Promise<CliResult> }> {
    child = spawnCli(['emulator', '--port', '0', '--users', '2', ...args]);
    const line = await firstLine(child);
    const m = /^listening on (http:\/\/(.+):(\d+))$/.exec(line);
    if (!m) throw new Error(`unexpected first line: ${line}`);
    return { url: m[1] as string, port: m[3] as string, stop: collect(child) };
  }

  it('listens on 127.0.0.1 by default', async () => {
    const { url } = await listen([]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await reachable(url)).toBe(true);
  });

  it('listens on the given address only, and stops on SIGTERM', async () => {
    // 127.0.0.2 is loopback too on Linux: reachable there and refused on 127.0.0.1 proves the bind address.
    const { url, port, stop } = await listen(['--host', '127.0.0.2']);
    expect(url).toBe(`http://127.0.0.2:${port}`);
    expect(await reachable(url)).toBe(true);
    expect(await reachable(`http://127.0.0.1:${port}`)).toBe(false);
    child?.kill('SIGTERM');
    expect((await stop).code).toBe(0);
  });

  it('with 0.0.0.0 serves every interface (what another container needs)', async () => {
    const { url, port } = await listen(['--host', '0.0.0.0']);
    expect(url).toBe(`http://0.0.0.0:${port}`);
    expect(await reachable(`http://127.0.0.1:${port}`)).toBe(true);
  });

  it('accepts IP addresses and localhost, and rejects anything else naming the flag', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'])
      expect(listenAddress(host)).toBe(host);
    expect(() => listenAddress('emulator.example')).toThrow('--host must be an IP address');
  });
});

// Root ignores file modes; without CAP_DAC_OVERRIDE it meets them like the container's uid 10001 does.
// Returns the command line that starts node that way.
function unprivilegedNode(): string[] | undefined {
  if (process.getuid?.() !== 0) return [process.execPath];
  const setpriv = spawnSync('setpriv', ['--version']);
  return setpriv.status === 0
    ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', process.execPath]
    : undefined;
}

describe('a state folder the process cannot write', () => {
  const node = unprivilegedNode();
  if (node === undefined) {
    it('skipped: running as root without setpriv (util-linux), so file modes cannot be enforced', () => {
      console.log('skipped: running as root without setpriv (util-linux); the EACCES path is not exercised');
    });
    return;
  }

  function demoAs(statePath: string, dir: string): CliResult {
    const cli = [join(process.cwd(), 'dist/cli.js'), 'demo', '--users', '1', '--state', statePath];
    const args = [...cli, '--out', join(dir, 'out', 'events.ndjson')];
    const [cmd, ...rest] = [...(node as string[]), ...args];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete env.NODE_OPTIONS;
    const r = spawnSync(cmd as string, rest, { encoding: 'utf8', env, timeout: 60_000 });
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  const ids = `uid ${process.getuid?.()} (gid ${process.getgid?.()})`;

  it('names the folder and the uid/gid that must own it (exit 2, nothing written)', () => {
    const dir = tempDir();
    const locked = join(dir, 'state');
    mkdirSync(locked, { mode: 0o500 });
    chmodSync(locked, 0o500);
    const r = demoAs(join(locked, 'state.db'), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`state folder ${locked} is not writable: EACCES`);
    expect(r.stderr).toContain(`${locked} must be owned by (or writable for) ${ids}`);
    expect(existsSync(join(locked, 'state.db'))).toBe(false);
  });

  it('names the parent that refused to create the folder', () => {
    const dir = tempDir();
    const parent = join(dir, 'app');
    mkdirSync(parent, { mode: 0o500 });
    chmodSync(parent, 0o500);
    const r = demoAs(join(parent, 'data', 'state.db'), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot create state folder ${join(parent, 'data')}: EACCES`);
    expect(r.stderr).toContain(`${parent} must be owned by (or writable for) ${ids}`);
  });
});

describe('iam-inventory demo --endpoint (the compose demo: a collection from the emulator service)', () => {
  // The same run checks that the CLI leaves the SDK's Node-version warning alone: shown on a Node the SDK will
  // stop supporting (< 22), absent on a supported one.
  it('collects from the running emulator, prints the posture, and shows the SDK warning on Node < 22', async () => {
    const emulator = await startEmulator({
      generator: { seed: 3, accounts: 1, usersPerAccount: 12, groupsPerAccount: 3 },
    });
    try {
      const dir = tempDir();
      const events = join(dir, 'out', 'events.ndjson');
      const args = ['demo', '--endpoint', emulator.url, '--state', join(dir, 'data', 'state.db')];
      const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' };
      const report = join(dir, 'out', 'report.html');
      const r = await runCli([...args, '--out', events, '--report', report], { env });
      expect(r.code).toBe(0);
      const major = Number(process.versions.node.split('.')[0]);
      if (major < 22) expect(r.stderr).toContain('NodeVersionSupportWarning');
      else expect(r.stderr).not.toContain('NodeVersionSupportWarning');
      expect(r.stdout).toContain(`emulator: ${emulator.url}\n`);
      expect(readEvents(events)).toHaveLength(12);
      expect(r.stdout).toMatch(/posture \(12 identities in the state file\):\n {2}admins: +\d+\n/);
      expect(r.stdout).toContain(`report:                      ${report}\n`);
      expect(emulator.stats().total).toBeGreaterThan(12);
    } finally {
      await emulator.stop();
    }
  });

  it('rejects an endpoint that is not an http(s) URL', () => {
    expect(emulatorUrl('http://emulator:4566')).toBe('http://emulator:4566');
    expect(() => emulatorUrl('emulator:4566')).toThrow('--endpoint: expected an http(s) URL');
  });
});
