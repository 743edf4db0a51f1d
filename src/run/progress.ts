// Progress of a run for people watching it: one cli-progress bar per scope on a terminal, a log line per scope
// every 10 seconds otherwise (containers, CI, files), where redrawn bars would only be noise.
import cliProgress from 'cli-progress';
import type { Logger } from '../log.js';
import type { RunProgress } from './types.js';

export interface ProgressOptions {
  /** Draw bars (stderr is a terminal) or log lines. */
  tty: boolean;
  logger: Logger;
  /** Log-line period without a TTY (default 10 s). */
  intervalMs?: number;
  /** Where bars are drawn (default stderr, keeping stdout for logs and JSON). */
  stream?: NodeJS.WritableStream;
}

interface ScopeProgress {
  total: number | undefined;
  done: number;
  finished: boolean;
}

const KNOWN_TOTAL_FORMAT = '{scope} [{bar}] {value}/{total} identities | {percentage}% | ETA {eta_formatted}';
const UNKNOWN_TOTAL_FORMAT = '{scope} {value} identities';

/** Bars on a terminal. `done` is the scope's cumulative count. */
function createBars(stream: NodeJS.WritableStream): RunProgress {
  const multibar = new cliProgress.MultiBar(
    { stream, clearOnComplete: false, hideCursor: true, etaBuffer: 50, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; total: number | undefined }>();
  return {
    scopeStarted(scope, total) {
      if (bars.has(scope)) return;
      const known = total !== undefined && total > 0;
      const bar = multibar.create(
        known ? total : 0,
        0,
        { scope },
        { format: known ? KNOWN_TOTAL_FORMAT : UNKNOWN_TOTAL_FORMAT },
      );
      bars.set(scope, { bar, total: known ? total : undefined });
    },
    scopeAdvanced(scope, done) {
      const entry = bars.get(scope);
      if (entry === undefined) return;
      // A total that was an estimate (users created during the run) grows rather than overflowing the bar.
      if (entry.total === undefined || done > entry.total) entry.bar.setTotal(done);
      if (entry.total !== undefined && done > entry.total) entry.total = done;
      entry.bar.update(done, { scope });
    },
    scopeFinished(scope) {
      const entry = bars.get(scope);
      if (entry === undefined) return;
      entry.bar.update({ scope: `${scope} done` });
      entry.bar.stop();
    },
    stop() {
      multibar.stop();
    },
  };
}

/** Periodic log lines without a terminal. */
function createLogLines(logger: Logger, intervalMs: number): RunProgress {
  const scopes = new Map<string, ScopeProgress>();
  const timer = setInterval(() => {
    for (const [scope, p] of scopes) {
      if (p.finished) continue;
      logger.info({ scope, done: p.done, ...(p.total !== undefined ? { total: p.total } : {}) }, 'progress');
    }
  }, intervalMs);
  timer.unref();
  return {
    scopeStarted(scope, total) {
      scopes.set(scope, { total, done: 0, finished: false });
    },
    scopeAdvanced(scope, done) {
      const p = scopes.get(scope);
      if (p !== undefined) p.done = done;
    },
    scopeFinished(scope) {
      const p = scopes.get(scope);
      if (p !== undefined) p.finished = true;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export function createProgress(options: ProgressOptions): RunProgress {
  return options.tty
    ? createBars(options.stream ?? process.stderr)
    : createLogLines(options.logger, options.intervalMs ?? 10_000);
}
