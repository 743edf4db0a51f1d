// Start-up validation of the daemon's schedule and the readiness staleness derived from it. Everything here
// fails before the daemon does anything, with the config key in the message (exit code 2).
import cron from 'node-cron';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/errors.js';

export const DEFAULT_INCREMENTAL = '0 * * * *';
export const DEFAULT_FULL = '0 3 * * *';

/** A configuration the daemon cannot start with; exit code 2 like every other config error. */
export class ScheduleConfigError extends ConfigError {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
    this.name = 'ScheduleConfigError';
  }
}

/** Fire times sampled to find the longest gap: irregular expressions ("0 9-17 * * 1-5") have long gaps. */
const GAP_SAMPLES = 200;

export function validateTimezone(key: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleConfigError(
      `${key}: unknown time zone "${timezone}" (expected an IANA name such as UTC or Europe/Paris)`,
      key,
    );
  }
}

/**
 * Validates a cron expression: 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading
 * seconds field, and at least one fire time.
 */
export function validateCronExpression(key: string, expression: string, timezone = 'UTC'): void {
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f.length > 0);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleConfigError(
      `${key}: invalid cron expression "${expression}": expected 5 fields (minute hour day-of-month month ` +
        `day-of-week) or 6 with a leading seconds field, got ${fields.length}`,
      key,
    );
  }
  const detailed = cron.validateDetailed(expression);
  if (!detailed.valid) {
    const reasons = detailed.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new ScheduleConfigError(`${key}: invalid cron expression "${expression}": ${reasons}`, key);
  }
  if (nextFireTimes(expression, timezone, 1).length === 0) {
    throw new ScheduleConfigError(`${key}: cron expression "${expression}" never fires`, key);
  }
}

/** The next `count` fire times of an expression (no task is started). */
export function nextFireTimes(expression: string, timezone: string, count: number): Date[] {
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}

/** The longest interval between two consecutive fire times (seconds), over the next GAP_SAMPLES fire times. */
export function longestIntervalSeconds(expression: string, timezone: string): number {
  const times = nextFireTimes(expression, timezone, GAP_SAMPLES).map((d) => d.getTime());
  let longest = 0;
  for (let i = 1; i < times.length; i++)
    longest = Math.max(longest, (times[i] as number) - (times[i - 1] as number));
  return longest / 1000;
}

export interface ResolvedSchedule {
  incremental: string;
  full: string;
  timezone: string;
  runOnStart: boolean;
  jitterSeconds: number;
  /** ops.max_staleness_seconds, or twice the incremental interval. */
  maxStalenessSeconds: number;
}

/** Validates the schedule part of the config and fills in the defaults. Throws ScheduleConfigError. */
export function resolveSchedule(config: Pick<Config, 'schedule' | 'ops'>): ResolvedSchedule {
  const schedule = config.schedule;
  const timezone = schedule.timezone ?? 'UTC';
  validateTimezone('schedule.timezone', timezone);
  const incremental = schedule.incremental ?? DEFAULT_INCREMENTAL;
  const full = schedule.full ?? DEFAULT_FULL;
  validateCronExpression('schedule.incremental', incremental, timezone);
  validateCronExpression('schedule.full', full, timezone);
  const jitterSeconds = schedule.jitter_seconds ?? 0;
  if (!Number.isFinite(jitterSeconds) || jitterSeconds < 0) {
    throw new ScheduleConfigError(
      `schedule.jitter_seconds: expected a number >= 0, got ${jitterSeconds}`,
      'schedule.jitter_seconds',
    );
  }
  const configured = config.ops.max_staleness_seconds;
  if (configured !== undefined && (!Number.isFinite(configured) || configured <= 0)) {
    throw new ScheduleConfigError(
      `ops.max_staleness_seconds: expected a number > 0, got ${configured}`,
      'ops.max_staleness_seconds',
    );
  }
  return {
    incremental,
    full,
    timezone,
    runOnStart: schedule.run_on_start ?? true,
    jitterSeconds,
    maxStalenessSeconds: configured ?? 2 * longestIntervalSeconds(incremental, timezone),
  };
}
