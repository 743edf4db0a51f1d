// docker-compose.yml: the demo needs no config and no AWS account; the daemon starts only after its config
// validated, never loops on a config error, and takes secrets only from the environment or files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startEmulator } from '../../src/emulator/index.js';

const text = readFileSync('docker-compose.yml', 'utf8');
// Compose files use YAML merge keys (<<: *image); both docker compose and docker-compose 1.x read them.
const compose = parse(text, { merge: true }) as { services: Record<string, Record<string, any>> };
const { services } = compose;
const EXAMPLE = 'deploy/compose/config.example.yaml';

/** The image's last WORKDIR: where relative paths (demo's ./data and ./out) land. */
const workdir = [...readFileSync('Dockerfile', 'utf8').matchAll(/^WORKDIR (\S+)$/gm)].at(-1)?.[1];

/** Exit code of `node -e script` (asynchronously: the emulator it asks runs in this process). */
function nodeExit(script: string): Promise<number | null> {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
}

function containerPath(volume: string): string {
  return volume.split(':')[1] as string;
}

describe('docker-compose.yml', () => {
  it('parses, with the demo pair under the demo profile and the daemon pair without', () => {
    expect(Object.keys(services).sort()).toEqual(['demo', 'emulator', 'iam-inventory', 'validate-config']);
    expect(services.emulator?.profiles).toEqual(['demo']);
    expect(services.demo?.profiles).toEqual(['demo']);
    expect(services['iam-inventory']?.profiles).toBeUndefined();
    for (const service of Object.values(services)) {
      expect(service.image).toBe('iam-inventory:latest');
      expect(service.read_only).toBe(true);
    }
  });

  it('interpolates nothing: no literal or default secret, no required variable breaking the demo', () => {
    expect(JSON.stringify(compose)).not.toContain('${');
    for (const name of ['validate-config', 'iam-inventory']) {
      const env = services[name]?.environment as string[];
      // A bare name passes the variable through when it is set and leaves it unset otherwise.
      for (const entry of env) expect(entry).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
    expect(services.demo?.environment).toBeUndefined();
  });
});

describe('the compose demo', () => {
  const emulator = services.emulator as Record<string, any>;
  const demo = services.demo as Record<string, any>;
  const port = emulator.command[emulator.command.indexOf('--port') + 1] as string;

  it('collects from the emulator service over the compose network into a volume', () => {
    expect(emulator.command.slice(0, 3)).toEqual(['emulator', '--host', '0.0.0.0']);
    expect(demo.command).toEqual(['demo', '--endpoint', `http://emulator:${port}`]);
    expect(demo.depends_on).toEqual({ emulator: { condition: 'service_healthy' } });
    expect(demo.volumes.map(containerPath)).toEqual([workdir]);
    expect(demo.volumes[0].split(':')[0]).toBe('iam-inventory-demo');
  });

  it('has an emulator healthcheck that passes once the emulator answers (run here with node)', async () => {
    const test = emulator.healthcheck.test as string[];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const server = await startEmulator({
      generator: { seed: 1, accounts: 1, usersPerAccount: 1, groupsPerAccount: 1 },
    });
    try {
      const script = (test[3] as string).replace(`:${port}/`, `:${server.port}/`);
      expect(await nodeExit(script)).toBe(0);
    } finally {
      await server.stop();
    }
    const script = (test[3] as string).replace(`:${port}/`, ':1/');
    expect(await nodeExit(script)).toBe(1);
  });
});

describe('the compose daemon', () => {
  const validate = services['validate-config'] as Record<string, any>;
  const daemon = services['iam-inventory'] as Record<string, any>;
  const configArg = (command: string[]) => command[command.indexOf('--config') + 1] as string;

  it('starts only after validate-config succeeded on the same config, environment and mounts', () => {
    expect(validate.command[0]).toBe('validate-config');
    expect(daemon.command[0]).toBe('daemon');
    expect(configArg(validate.command)).toBe(configArg(daemon.command));
    expect(daemon.depends_on).toEqual({ 'validate-config': { condition: 'service_completed_successfully' } });
    expect(validate.environment).toEqual(daemon.environment);
    expect(daemon.volumes).toContain(validate.volumes[0]);
    expect(validate.restart).toBe('no');
  });

  it('mounts the config folder, so a missing file is "not found" rather than a directory made in its place', () => {
    const [host, target, mode] = (validate.volumes[0] as string).split(':');
    expect([host, target, mode]).toEqual(['./config', '/etc/iam-inventory', 'ro']);
    expect(configArg(daemon.command)).toBe(`${target}/config.yaml`);
    const empty = mkdtempSync(join(tmpdir(), 'compose-config-'));
    expect(() => loadConfig(join(empty, 'config.yaml'), {})).toThrow(
      `config file ${join(empty, 'config.yaml')} not found`,
    );
  });

  it('restarts after failures a bounded number of times (exit 2 does not loop), and stops gracefully', () => {
    const m = /^on-failure:(\d+)$/.exec(daemon.restart as string);
    expect(Number(m?.[1])).toBeGreaterThan(0);
    expect(Number(m?.[1])).toBeLessThanOrEqual(5);
    expect(Number(/^(\d+)s$/.exec(daemon.stop_grace_period)?.[1])).toBeGreaterThan(30);
    expect(daemon.ports).toEqual(['127.0.0.1:9464:9464']);
  });

  it('has an example config that loads with the passed-through secrets and fails naming one that is unset', () => {
    const env = Object.fromEntries(
      (daemon.environment as string[]).map((name) => [name, `value-of-${name}`]),
    );
    const config = loadConfig(EXAMPLE, env);
    expect(config.ops.listen).toBe('0.0.0.0:9464');
    const stateVolume = (daemon.volumes as string[]).find((v) => v.startsWith('iam-inventory-state:'));
    expect(config.state.path.startsWith(`${containerPath(stateVolume as string)}/`)).toBe(true);
    const { SEKOIA_INTAKE_KEY: _unset, ...withoutKey } = env;
    expect(() => loadConfig(EXAMPLE, withoutKey)).toThrow(
      'environment variable SEKOIA_INTAKE_KEY is not set',
    );
  });
});
