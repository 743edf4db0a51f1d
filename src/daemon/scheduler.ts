// When runs happen. Two cron schedules (incremental, full) feed one run slot: never two runs at once. An
// incremental tick while any run is going (or a full run is waiting) is skipped; a full tick while an
// incremental run is going waits for it and then runs, because skipping it would delay deletion detection
// by a whole full-run period.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import type { ResolvedSchedule } from './schedule-config.js';

export type ScheduledMode = 'incremental' | 'full';
export type TickReason = 'scheduled' | 'start';
export type TickOutcome = 'started' | 'queued' | 'skipped';

export interface SchedulerOptions {
  schedule: Pick<ResolvedSchedule, 'incremental' | 'full' | 'timezone' | 'runOnStart' | 'jitterSeconds'>;
  /** One collection run; aborting the signal asks it to stop after the batch in flight. */
  run: (mode: ScheduledMode, signal: AbortSignal) => Promise<void>;
  logger: Logger;
  /** The mode of the run at start-up (default incremental). */
  startMode?: () => ScheduledMode;
  /** [0, 1) source for the jitter delay. */
  random?: () => number;
}

interface ActiveRun {
  mode: ScheduledMode;
  controller: AbortController;
  done: Promise<void>;
}

/** Resolves after `ms`, or at once when the signal aborts. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private active: ActiveRun | undefined;
  private fullWaiting = false;
  private started = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SchedulerOptions) {}

  /** True from start() until stop(): what /healthz reports. */
  get running(): boolean {
    return this.started && !this.stopped;
  }

  /** The mode of the run in progress (including its jitter delay), if any. */
  get currentMode(): ScheduledMode | undefined {
    return this.active?.mode;
  }

  start(): void {
    if (this.started) throw new Error('scheduler already started');
    this.started = true;
    const { schedule, logger } = this.options;
    const cronLogger = {
      info: (message: string) => logger.debug({ component: 'node-cron' }, message),
      warn: (message: string) => logger.warn({ component: 'node-cron' }, message),
      error: (message: string | Error) =>
        logger.error({ component: 'node-cron', err: message }, String(message)),
      debug: (message: string | Error) => logger.debug({ component: 'node-cron' }, String(message)),
    };
    for (const mode of ['incremental', 'full'] as const) {
      const task = cron.createTask(
        schedule[mode],
        () => {
          this.tick(mode, 'scheduled');
        },
        { timezone: schedule.timezone, name: `iam-inventory-${mode}`, logger: cronLogger },
      );
      this.tasks.push(task);
      void task.start();
    }
    logger.info(
      {
        incremental: schedule.incremental,
        full: schedule.full,
        timezone: schedule.timezone,
        jitter_seconds: schedule.jitterSeconds,
        next_incremental: this.tasks[0]?.getNextRun()?.toISOString(),
        next_full: this.tasks[1]?.getNextRun()?.toISOString(),
      },
      'scheduler started',
    );
    if (schedule.runOnStart) this.tick(this.options.startMode?.() ?? 'incremental', 'start');
  }

  /** A schedule fired (or the daemon started): start, queue or skip a run by the overlap policy. */
  tick(mode: ScheduledMode, reason: TickReason = 'scheduled'): TickOutcome {
    const { logger } = this.options;
    if (this.stopped) return 'skipped';
    if (this.active !== undefined) {
      if (mode === 'full' && this.active.mode === 'incremental' && !this.fullWaiting) {
        this.fullWaiting = true;
        logger.info(
          { mode, reason, running: this.active.mode },
          'full run waits for the running incremental run',
        );
        return 'queued';
      }
      logger.warn(
        { mode, reason, running: this.active.mode, full_waiting: this.fullWaiting },
        `${mode} run skipped: a run is already in progress`,
      );
      return 'skipped';
    }
    if (this.fullWaiting && mode === 'incremental') {
      logger.warn({ mode, reason }, 'incremental run skipped: a full run is waiting');
      return 'skipped';
    }
    this.launch(mode, true);
    return 'started';
  }

  /** Resolves when no run is in progress or waiting. */
  idle(): Promise<void> {
    if (this.active === undefined && !this.fullWaiting) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops scheduling and asks the current run to stop (its AbortSignal). Resolves when that run finished;
   * the caller bounds the wait by the shutdown grace period.
   */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.fullWaiting = false;
      for (const task of this.tasks) await task.destroy();
      this.tasks = [];
      if (this.active !== undefined) {
        this.options.logger.info(
          { mode: this.active.mode },
          'stopping: the run in progress finishes its batch',
        );
        this.active.controller.abort(new Error('daemon shutting down'));
      }
    }
    if (this.active !== undefined) await this.active.done;
  }

  private launch(mode: ScheduledMode, withJitter: boolean): void {
    const { logger, schedule } = this.options;
    const controller = new AbortController();
    const jitterMs = withJitter
      ? Math.floor((this.options.random ?? Math.random)() * schedule.jitterSeconds * 1000)
      : 0;
    const done = (async () => {
      if (jitterMs > 0) {
        logger.debug({ mode, jitter_ms: jitterMs }, 'run delayed by jitter');
        await abortableDelay(jitterMs, controller.signal);
      }
      if (controller.signal.aborted) return;
      try {
        await this.options.run(mode, controller.signal);
      } catch (error) {
        // The run function reports its own failures; this is a defect in it, and the daemon keeps going.
        logger.error({ mode, err: error }, 'run crashed');
      }
    })().finally(() => this.finished());
    this.active = { mode, controller, done };
  }

  private finished(): void {
    this.active = undefined;
    if (this.fullWaiting && !this.stopped) {
      this.fullWaiting = false;
      this.launch('full', false);
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
