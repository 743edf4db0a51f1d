// The image's HEALTHCHECK: the daemon's /healthz when a daemon runs in the container, healthy otherwise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  containerHealth,
  daemonConfigPath,
  DEFAULT_HEALTH_URL,
  healthUrlFor,
} from '../../scripts/container-healthcheck.js';

const node = '/usr/local/bin/node';

describe('daemonConfigPath', () => {
  it('finds the daemon and its config, resolved against its folder', () => {
    const argv = [node, '/app/dist/cli.js', 'daemon', '--config', '/etc/iam-inventory/config.yaml'];
    expect(daemonConfigPath({ argv, cwd: '/var/lib/iam-inventory' })).toBe('/etc/iam-inventory/config.yaml');
    expect(daemonConfigPath({ argv: [node, '/app/dist/cli.js', 'daemon'], cwd: '/w' })).toBe(
      '/w/config.yaml',
    );
    expect(daemonConfigPath({ argv: ['iam-inventory', 'daemon', '-c', 'c.yaml'], cwd: '/w' })).toBe(
      '/w/c.yaml',
    );
    expect(daemonConfigPath({ argv: [node, 'dist/cli.js', 'daemon', '--config=x.yaml'], cwd: '/w' })).toBe(
      '/w/x.yaml',
    );
  });

  it('is undefined for every other command and process', () => {
    for (const argv of [
      [node, '/app/dist/cli.js', 'emulator', '--host', '0.0.0.0'],
      [node, '/app/dist/cli.js', 'run', '--config', 'daemon'],
      [node, '/app/dist/cli.js', 'demo'],
      [node, '/app/dist/scripts/container-healthcheck.js'],
      ['/sbin/docker-init', '--', 'node', 'daemon.js'],
    ]) {
      expect(daemonConfigPath({ argv, cwd: '/' })).toBeUndefined();
    }
  });
});

describe('healthUrlFor', () => {
  it('asks a wildcard address on loopback and keeps a specific one', () => {
    expect(healthUrlFor('0.0.0.0:9464')).toBe('http://127.0.0.1:9464/healthz');
    expect(healthUrlFor(':9000')).toBe('http://127.0.0.1:9000/healthz');
    expect(healthUrlFor('[::]:9464')).toBe('http://[::1]:9464/healthz');
    expect(healthUrlFor('10.1.2.3:8080')).toBe('http://10.1.2.3:8080/healthz');
  });

  it('falls back to the default for an absent, substituted or malformed value', () => {
    for (const listen of [undefined, '${OPS_LISTEN}', 'nonsense', 42]) {
      expect(healthUrlFor(listen)).toBe(DEFAULT_HEALTH_URL);
    }
  });
});

describe('containerHealth', () => {
  let server: Server;
  let status = 200;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const daemon = { argv: [node, '/app/dist/cli.js', 'daemon', '--config', '/etc/c.yaml'], cwd: '/' };
  const config = (listen: string) => (path: string) => {
    expect(path).toBe('/etc/c.yaml');
    return `ops:\n  listen: ${listen}\n`;
  };

  it('is healthy without a daemon, whatever else runs', async () => {
    const r = await containerHealth({
      processes: [{ argv: [node, 'cli.js', 'emulator'], cwd: '/' }],
      env: {},
    });
    expect(r).toEqual({ healthy: true, message: 'no daemon in this container: nothing to check' });
  });

  it("follows the daemon's /healthz at its configured ops.listen", async () => {
    status = 200;
    const ok = await containerHealth({ processes: [daemon], env: {}, readText: config(`0.0.0.0:${port}`) });
    expect(ok).toEqual({ healthy: true, message: `http://127.0.0.1:${port}/healthz answered 200` });
    status = 503;
    const down = await containerHealth({ processes: [daemon], env: {}, readText: config(`0.0.0.0:${port}`) });
    expect(down.healthy).toBe(false);
    expect(down.message).toContain('answered 503');
  });

  it('is unhealthy when nothing answers, and takes the URL from the environment when given', async () => {
    status = 200;
    const env = { IAM_INVENTORY_HEALTHCHECK_URL: `http://127.0.0.1:${port}/healthz` };
    expect((await containerHealth({ processes: [daemon], env, readText: config('1.2.3.4:1') })).healthy).toBe(
      true,
    );
    const closed = await containerHealth({ processes: [daemon], env: {}, readText: config('127.0.0.1:1') });
    expect(closed.healthy).toBe(false);
    expect(closed.message).toContain('http://127.0.0.1:1/healthz: connect ECONNREFUSED');
  });
});
