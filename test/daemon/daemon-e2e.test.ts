// The daemon as a container runs it: the built CLI against the emulator, a cron schedule every 2 seconds, the
// ops endpoints over real HTTP, an HTTP sink the test can slow down, and SIGTERM in the middle of a delivery.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/checkpoint/index.js';
import { createUser, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { StateSummary } from '../../src/checkpoint/index.js';
import { stateShow, tempDir, writeConfig, type CliResult } from '../e2e/cli.js';
import { startDaemon } from '../support/daemon-process.js';
import { waitFor } from '../support/wait-for.js';

interface SlowSink {
  url: string;
  delayMs: number;
  /** Keys (user.uid) of every event in an acknowledged request. */
  acknowledged: Set<string>;
  inFlight: number;
  server: Server;
}

async function startSink(): Promise<SlowSink> {
  const sink = { delayMs: 0, acknowledged: new Set<string>(), inFlight: 0 } as SlowSink;
  sink.server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      sink.inFlight++;
      setTimeout(() => {
        for (const line of body.split('\n').filter((l) => l.length > 0)) {
          const event = JSON.parse(line) as { user?: { uid?: string } };
          if (event.user?.uid !== undefined) sink.acknowledged.add(event.user.uid);
        }
        sink.inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, sink.delayMs);
    });
  });
  await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/ingest`;
  return sink;
}

function runsTotal(metrics: string): number {
  let total = 0;
  for (const m of metrics.matchAll(/^iam_inventory_runs_total\{[^}]*status="succeeded"[^}]*\} (\d+)/gm))
    total += Number(m[1]);
  return total;
}

describe('daemon (CLI, end to end)', () => {
  let emu: Emulator;
  let sink: SlowSink;
  let dir: string;
  let child: ChildProcess;
  let exited: Promise<CliResult>;
  let logLines: Record<string, unknown>[] = [];
  let ops = '';
  let configPath = '';

  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 21, accounts: 1, usersPerAccount: 30, groupsPerAccount: 3, identityCenter: false },
    });
    sink = await startSink();
    dir = tempDir('iam-inventory-daemon-');
    configPath = writeConfig({
      dir,
      endpoint: emu.url,
      sinks: [{ type: 'http', url: sink.url, timeout_ms: 30_000 }],
      extra: {
        schedule: { incremental: '*/2 * * * * *', full: '0 3 * * *', run_on_start: true, jitter_seconds: 0 },
        ops: { listen: '127.0.0.1:0' },
        shutdown_grace_seconds: 20,
        log: { level: 'info' },
      },
    });
    const daemon = await startDaemon(configPath);
    ({ child, exited, ops } = daemon);
    logLines = daemon.logLines;
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited.catch(() => undefined);
    await new Promise((r) => sink.server.close(r));
    await emu.stop();
  });

  it('serves /healthz, becomes ready after the first run, and counts runs and calls in /metrics', async () => {
    expect((await fetch(`http://${ops}/healthz`)).status).toBe(200);
    await waitFor('/readyz 200', async () =>
      (await fetch(`http://${ops}/readyz`)).status === 200 ? true : undefined,
    );
    const first = runsTotal(await (await fetch(`http://${ops}/metrics`)).text());
    expect(first).toBeGreaterThanOrEqual(1);
    const later = await waitFor('a later run', async () => {
      const text = await (await fetch(`http://${ops}/metrics`)).text();
      return runsTotal(text) > first ? text : undefined;
    });
    expect(later).toMatch(/^iam_inventory_aws_calls_total\{account="\d{12}",action="iam:ListUsers"\} \d+/m);
    expect(later).toMatch(/^iam_inventory_last_success_timestamp_seconds\{account="\d{12}"\} \d+/m);
    expect(sink.acknowledged.size).toBe(30);
  });

  it('skips ticks during a slow run and stops on SIGTERM with the acknowledged batch committed', async () => {
    sink.delayMs = 3500;
    const accountId = emu.world.defaultAccountId;
    for (let i = 0; i < 5; i++) createUser(emu.world, accountId, { userName: `daemon-new-${i}` });
    await waitFor('the slow delivery', () => (sink.inFlight > 0 ? true : undefined));
    await waitFor('a skipped tick', () =>
      logLines.some((l) => typeof l.msg === 'string' && l.msg.includes('run skipped')) ? true : undefined,
    );
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(logLines.some((l) => l.msg === 'daemon stopped')).toBe(true);

    // Everything acknowledged is in the state, nothing else is, and no run is left 'running'.
    const shown = (await stateShow(configPath)) as StateSummary;
    const scope = shown.scopes.find((s) => s.scope === accountId);
    expect(sink.acknowledged.size).toBe(35);
    expect(scope?.identitiesKnown).toBe(sink.acknowledged.size);
    expect(scope?.lastRun?.status).not.toBe('running');
    const checkpoint = openCheckpoint(join(dir, 'state.db'), { readonly: true });
    try {
      expect(checkpoint.listRuns(100).some((r) => r.status === 'running')).toBe(false);
    } finally {
      checkpoint.close();
    }
  });
});
