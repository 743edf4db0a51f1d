import { describe, expect, it } from '@jest/globals';
import {
  longestIntervalSeconds,
  resolveSchedule,
  ScheduleConfigError,
  validateCronExpression,
} from '../../src/daemon/schedule-config.js';
import type { Config } from '../../src/config/config.js';

function cfg(
  schedule: Partial<Config['schedule']>,
  ops: Partial<Config['ops']> = {},
): Pick<Config, 'schedule' | 'ops'> {
  return {
    schedule: {
      incremental: '0 * * * *',
      full: '0 3 * * *',
      timezone: 'UTC',
      run_on_start: true,
      jitter_seconds: 0,
      ...schedule,
    },
    ops: { listen: '127.0.0.1:0', ...ops },
  };
}

function errorOf(fn: () => unknown): ScheduleConfigError {
  try {
    fn();
  } catch (error) {
    return error as ScheduleConfigError;
  }
  throw new Error('expected an error');
}

describe('cron validation', () => {
  it('accepts 5-field and 6-field (seconds) expressions', () => {
    expect(() => validateCronExpression('schedule.incremental', '*/15 * * * *')).not.toThrow();
    expect(() => validateCronExpression('schedule.incremental', '*/2 * * * * *')).not.toThrow();
    expect(() => validateCronExpression('schedule.full', '0 3 * * 1-5', 'Europe/Paris')).not.toThrow();
  });

  it.each([
    ['schedule.incremental', '0 * * *', 'expected 5 fields'],
    ['schedule.full', '* * * * * * *', 'got 7'],
    ['schedule.full', '61 * * * *', 'minute'],
    ['schedule.incremental', 'every hour', 'invalid cron expression'],
    ['schedule.incremental', '0 25 * * *', 'hour'],
  ])('rejects %s = %p naming the key', (key, expression, fragment) => {
    const error = errorOf(() =>
      resolveSchedule(cfg({ [key === 'schedule.full' ? 'full' : 'incremental']: expression })),
    );
    expect(error.name).toBe('ScheduleConfigError');
    expect(error.exitCode).toBe(2);
    expect(error.key).toBe(key);
    expect(error.message).toContain(key);
    expect(error.message).toContain(fragment);
  });

  it('rejects an unknown time zone', () => {
    const error = errorOf(() => resolveSchedule(cfg({ timezone: 'Mars/Olympus' })));
    expect(error.key).toBe('schedule.timezone');
    expect(error.message).toContain('Mars/Olympus');
  });

  it('rejects a negative jitter and a non-positive staleness', () => {
    expect(errorOf(() => resolveSchedule(cfg({ jitter_seconds: -1 }))).key).toBe('schedule.jitter_seconds');
    expect(errorOf(() => resolveSchedule(cfg({}, { max_staleness_seconds: 0 }))).key).toBe(
      'ops.max_staleness_seconds',
    );
  });
});

describe('staleness', () => {
  it('defaults to twice the incremental interval', () => {
    expect(resolveSchedule(cfg({})).maxStalenessSeconds).toBe(7200);
    expect(resolveSchedule(cfg({ incremental: '*/2 * * * * *' })).maxStalenessSeconds).toBe(4);
    expect(resolveSchedule(cfg({ incremental: '*/15 * * * *' })).maxStalenessSeconds).toBe(1800);
  });

  it('uses the longest gap of an irregular schedule', () => {
    // Hourly 09:00-17:00 on weekdays: the longest gap is Friday 17:00 to Monday 09:00 (64 h).
    expect(longestIntervalSeconds('0 9-17 * * 1-5', 'UTC')).toBe(64 * 3600);
  });

  it('prefers ops.max_staleness_seconds when set', () => {
    expect(resolveSchedule(cfg({}, { max_staleness_seconds: 900 })).maxStalenessSeconds).toBe(900);
  });

  it('fills in the defaults', () => {
    const r = resolveSchedule(cfg({}));
    expect(r).toMatchObject({
      incremental: '0 * * * *',
      full: '0 3 * * *',
      timezone: 'UTC',
      runOnStart: true,
    });
  });
});
