// Config problems found only when the parts are built (a sink's URL or CA file, the daemon's schedules and
// ops.listen) exit 2 like those of the schema, name the key, and leave nothing behind: no state file is
// created for a run that could not start. validate-config finds them too, the daemon's own ones included.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeConfig } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// No call is made: the endpoint is never reached.
const endpoint = 'http://127.0.0.1:9';

describe('config refused when its parts are built', () => {
  it('run: a sink its config cannot build exits 2 naming it, and no state file is created', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'http', url: 'http://siem.example.com/ingest' }, /sink http: refusing plain-HTTP url/],
      [
        { type: 'http', url: 'https://siem.example.com/ingest', ca_file: 'missing-ca.pem' },
        /sink http: cannot read ca_file .*missing-ca\.pem/,
      ],
    ];
    for (const [sink, message] of cases) {
      const dir = tempDir();
      const config = writeConfig({ dir, endpoint, sinks: [sink] });
      const r = await runCli(['run', '--config', config]);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(existsSync(join(dir, 'state.db'))).toBe(false);
      expect(readdirSync(dir)).toEqual(['config.yaml']);
      const validated = await runCli(['validate-config', '--config', config]);
      expect(validated.stderr).toMatch(message);
      expect(validated.code).toBe(2);
      expect(validated.stdout).not.toContain('config OK');
    }
  });

  it('validate-config builds the sinks without touching the state folder', async () => {
    const dir = tempDir();
    const config = writeConfig({
      dir,
      endpoint,
      sinks: [
        { type: 'http', url: 'https://siem.example.com/ingest' },
        { type: 's3', bucket: 'inventory-bucket', region: 'us-east-1' },
      ],
    });
    const r = await runCli(['validate-config', '--config', config]);
    expect(r.stderr).not.toMatch(/sink|error/i);
    expect(r.stdout).toContain('config OK');
    expect(r.code).toBe(0);
    // No buffer folder for the s3 sink, no state file.
    expect(readdirSync(dir)).toEqual(['config.yaml']);
  });

  it('daemon: a bad ops.listen exits 2 before the state file is opened; validate-config says so too', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint, extra: { ops: { listen: 'nohost:99999' } } });
    const daemon = await runCli(['daemon', '--config', config]);
    expect(daemon.stderr).toContain('ops.listen: expected "host:port"');
    expect(daemon.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['config.yaml']);
    const validated = await runCli(['validate-config', '--config', config]);
    expect(validated.stderr).toContain('ops.listen: expected "host:port"');
    expect(validated.code).toBe(2);
  });

  it('validate-config refuses the schedules the daemon would refuse', async () => {
    const dir = tempDir();
    const config = writeConfig({ dir, endpoint, extra: { schedule: { incremental: '61 * * * *' } } });
    const r = await runCli(['validate-config', '--config', config]);
    expect(r.stderr).toContain('schedule.incremental');
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('config OK');
  });
});
