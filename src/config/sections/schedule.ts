// schedule: when the daemon runs incremental and full collections.
import Type, { type Static } from 'typebox';

export const ScheduleSchema = Type.Object(
  {
    incremental: Type.String({
      description: 'Cron expression of incremental runs.',
      default: '0 * * * *',
      minLength: 1,
    }),
    full: Type.String({
      description: 'Cron expression of full runs (changes and deletions).',
      default: '0 3 * * *',
      minLength: 1,
    }),
    timezone: Type.String({
      description: 'IANA time zone of the cron expressions.',
      default: 'UTC',
      minLength: 1,
    }),
    run_on_start: Type.Boolean({
      description: 'Run an incremental collection when the daemon starts.',
      default: true,
    }),
    jitter_seconds: Type.Integer({
      description: 'Random delay before each scheduled run.',
      default: 0,
      minimum: 0,
      maximum: 3600,
    }),
  },
  {
    description: 'Daemon schedules (node-cron expressions, 5 or 6 fields).',
    additionalProperties: false,
    default: {},
  },
);

export type ScheduleConfig = Static<typeof ScheduleSchema>;
