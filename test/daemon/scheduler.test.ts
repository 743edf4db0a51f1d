import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.js';
import { Scheduler, type ScheduledMode } from '../../src/daemon/scheduler.js';

/** A run function whose runs finish only when the test says so. */
function controllableRuns() {
  const calls: { mode: ScheduledMode; signal: AbortSignal; finish: () => void }[] = [];
  const run = (mode: ScheduledMode, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      calls.push({ mode, signal, finish: resolve });
    });
  return { calls, run };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// Schedules far in the future: ticks are driven by the test, never by the clock.
const schedule = {
  incremental: '0 0 1 1 *',
  full: '0 0 1 1 *',
  timezone: 'UTC',
  runOnStart: false,
  jitterSeconds: 0,
};

describe('Scheduler overlap policy', () => {
  it('skips an incremental tick while a run is going', async () => {
    const { calls, run } = controllableRuns();
    const s = new Scheduler({ schedule, run, logger: silentLogger() });
    s.start();
    expect(s.tick('incremental')).toBe('started');
    await flush();
    expect(calls).toHaveLength(1);
    expect(s.tick('incremental')).toBe('skipped');
    expect(s.tick('incremental')).toBe('skipped');
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]?.finish();
    await s.idle();
    expect(s.tick('incremental')).toBe('started');
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['incremental', 'incremental']);
    calls[1]?.finish();
    await s.stop();
  });

  it('makes a full tick wait for a running incremental run, then runs it', async () => {
    const { calls, run } = controllableRuns();
    const s = new Scheduler({ schedule, run, logger: silentLogger() });
    s.start();
    s.tick('incremental');
    await flush();
    expect(s.tick('full')).toBe('queued');
    // A second full tick and an incremental tick while the full one waits are both skipped.
    expect(s.tick('full')).toBe('skipped');
    expect(s.tick('incremental')).toBe('skipped');
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['incremental']);
    calls[0]?.finish();
    await flush();
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['incremental', 'full']);
    expect(s.currentMode).toBe('full');
    // Nothing overlaps a running full run.
    expect(s.tick('incremental')).toBe('skipped');
    expect(s.tick('full')).toBe('skipped');
    calls[1]?.finish();
    await s.idle();
    expect(s.currentMode).toBeUndefined();
    await s.stop();
  });

  it('runs at start in the mode startMode chooses', async () => {
    const { calls, run } = controllableRuns();
    const s = new Scheduler({
      schedule: { ...schedule, runOnStart: true },
      run,
      logger: silentLogger(),
      startMode: () => 'full',
    });
    s.start();
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['full']);
    calls[0]?.finish();
    await s.stop();
  });

  it('stop aborts the run in progress, drops a waiting full run and waits for the run to end', async () => {
    const { calls, run } = controllableRuns();
    const s = new Scheduler({ schedule, run, logger: silentLogger() });
    s.start();
    expect(s.running).toBe(true);
    s.tick('incremental');
    s.tick('full');
    await flush();
    let stopped = false;
    const stopping = s.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(s.running).toBe(false);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    calls[0]?.finish();
    await stopping;
    expect(stopped).toBe(true);
    expect(calls).toHaveLength(1);
    expect(s.tick('incremental')).toBe('skipped');
  });

  it('a jitter delay counts as a run in progress and is cut short by stop', async () => {
    const { calls, run } = controllableRuns();
    const s = new Scheduler({
      schedule: { ...schedule, jitterSeconds: 3600 },
      run,
      logger: silentLogger(),
      random: () => 0.5,
    });
    s.start();
    expect(s.tick('incremental')).toBe('started');
    expect(s.tick('incremental')).toBe('skipped');
    await s.stop();
    expect(calls).toHaveLength(0);
  });

  it('keeps scheduling after a run function throws', async () => {
    let n = 0;
    const s = new Scheduler({
      schedule,
      run: async () => {
        n++;
        throw new Error('boom');
      },
      logger: silentLogger(),
    });
    s.start();
    s.tick('incremental');
    await s.idle();
    expect(s.tick('incremental')).toBe('started');
    await s.idle();
    expect(n).toBe(2);
    await s.stop();
  });

  it('fires from the cron schedule (6-field expression with seconds)', async () => {
    const modes: ScheduledMode[] = [];
    let fired!: () => void;
    const firstFire = new Promise<void>((resolve) => (fired = resolve));
    const s = new Scheduler({
      schedule: { ...schedule, incremental: '* * * * * *' },
      run: async (mode) => {
        modes.push(mode);
        fired();
      },
      logger: silentLogger(),
    });
    s.start();
    await firstFire;
    await s.stop();
    expect(modes[0]).toBe('incremental');
  });
});
