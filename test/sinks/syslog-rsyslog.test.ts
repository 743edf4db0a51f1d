// The syslog sink against a real rsyslogd (imtcp on a loopback port, config written here): every event must
// arrive intact, including escaped newlines, multi-byte names and a large message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSink } from '../../src/sinks/registry.js';
import { freePort } from './support/octet-server.js';
import { FAST_RETRY, makeContext, makeEvent } from './support/fixtures.js';
import { skipTest } from '../support/skip.js';

function findRsyslogd(): string | undefined {
  for (const candidate of ['/usr/sbin/rsyslogd', '/sbin/rsyslogd', '/usr/local/sbin/rsyslogd']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v rsyslogd'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : undefined;
}

const rsyslogd = findRsyslogd();
const DEADLINE_MS = 15_000;

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const until = Date.now() + DEADLINE_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${stderr()}`);
    const connected = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (connected) return;
    await sleep(50);
  }
  throw new Error(`rsyslogd did not listen on ${port} within ${DEADLINE_MS} ms: ${stderr()}`);
}

describe('syslog sink against rsyslogd', () => {
  if (rsyslogd === undefined) {
    skipTest('syslog sink against rsyslogd', 'rsyslogd is not installed (Debian package rsyslog)');
    return;
  }

  let child: ChildProcess;
  let dir: string;
  let port: number;
  let output: string;
  let stderr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sinks-rsyslog-'));
    port = await freePort();
    output = join(dir, 'received.log');
    const config = join(dir, 'rsyslog.conf');
    // maxMessageSize must be set before any module is loaded to take effect.
    writeFileSync(
      config,
      [
        `global(maxMessageSize="256k" workDirectory="${dir}")`,
        'module(load="imtcp")',
        'template(name="msgonly" type="string" string="%msg%\\n")',
        `input(type="imtcp" address="127.0.0.1" port="${port}")`,
        `action(type="omfile" file="${output}" template="msgonly")`,
        '',
      ].join('\n'),
    );
    child = spawn(rsyslogd, ['-n', '-f', config, '-i', join(dir, 'rsyslogd.pid')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    await waitForPort(port, child, () => stderr);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('delivers every event intact: escaped newlines, non-ASCII names, a 100 kB event', async () => {
    const events = [
      makeEvent(0),
      makeEvent(1, { user: { name: 'Zoë Łukasiewicz 山田', uid: 'arn:aws:iam::123456789012:user/zoe' } }),
      makeEvent(2, { user: { name: 'multi\nline\r\nname\twith "quotes" and \\ backslash', uid: 'u2' } }),
      makeEvent(3, { padding: 'é'.repeat(50_000) }),
      ...Array.from({ length: 50 }, (_v, i) => makeEvent(10 + i)),
    ];
    const sink = createSink(
      {
        type: 'syslog',
        protocol: 'tcp',
        host: '127.0.0.1',
        port,
        max_message_bytes: 200_000,
        retry: FAST_RETRY,
      },
      makeContext(),
    );
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();

    const expected = events.map((e) => e.json);
    let lines: string[] = [];
    const until = Date.now() + DEADLINE_MS;
    while (Date.now() < until) {
      lines = existsSync(output)
        ? readFileSync(output, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [];
      if (lines.length >= expected.length) break;
      await sleep(50);
    }
    expect(lines).toEqual(expected);
    expect((JSON.parse(lines[1]!) as { user: { name: string } }).user.name).toBe('Zoë Łukasiewicz 山田');
  });
});
