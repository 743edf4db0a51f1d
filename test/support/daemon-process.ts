// The CLI daemon as a child process with JSON logs: its parsed log lines as they arrive, its exit, and the
// address of its ops endpoints once it logged "daemon started".
import type { ChildProcess } from 'node:child_process';
import { collect, spawnCli, type CliResult } from '../e2e/cli.js';
import { waitFor } from './wait-for.js';

export interface DaemonProcess {
  child: ChildProcess;
  exited: Promise<CliResult>;
  logLines: Record<string, unknown>[];
  /** host:port of /healthz, /readyz and /metrics. */
  ops: string;
}

export async function startDaemon(configPath: string): Promise<DaemonProcess> {
  const child = spawnCli(['daemon', '--config', configPath, '--log-format', 'json']);
  const logLines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      try {
        logLines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  const exited = collect(child, 120_000);
  const ops = await waitFor(
    'the daemon started line',
    () => logLines.find((l) => l.msg === 'daemon started')?.ops as string | undefined,
  );
  return { child, exited, logLines, ops };
}
