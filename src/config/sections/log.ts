// log: level and format of the program's own log.
import Type, { type Static } from 'typebox';

export const LogSchema = Type.Object(
  {
    level: Type.Enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
      type: 'string',
      default: 'info',
      description: 'Minimum level logged.',
    }),
    format: Type.Optional(
      Type.Enum(['json', 'pretty'], {
        type: 'string',
        description: 'json (default when stdout is not a TTY) or pretty.',
      }),
    ),
  },
  { description: 'Logging.', additionalProperties: false, default: {} },
);

export type LogConfig = Static<typeof LogSchema>;
