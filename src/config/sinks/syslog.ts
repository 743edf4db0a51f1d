// The syslog sink: RFC 5424 over TCP or TLS.
import Type, { type Static } from 'typebox';
import { RETRY_PROPERTY, SINK_BASE_PROPERTIES, TlsSchema, timeoutMs } from './common.js';
import { SYSLOG_FACILITY_NAMES } from './limits.js';

const SD_NAME = { pattern: '^[!#-<>-\\\\^-~]{1,32}$' };

export const SyslogSinkSchema = Type.Object(
  {
    type: Type.Literal('syslog'),
    ...SINK_BASE_PROPERTIES,
    host: Type.String({ minLength: 1 }),
    port: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65535, description: 'Default 6514 (tls) or 514 (tcp).' }),
    ),
    protocol: Type.Enum(['tls', 'tcp'], { default: 'tls' }),
    ...TlsSchema.properties,
    timeout_ms: timeoutMs('Connect timeout.'),
    facility: Type.Enum(SYSLOG_FACILITY_NAMES, { default: 'local0' }),
    app_name: Type.String({ pattern: '^[!-~]{1,48}$', default: 'iam-inventory' }),
    hostname: Type.Optional(
      Type.String({ pattern: '^[!-~]{1,255}$', description: "Default: the machine's host name." }),
    ),
    msgid: Type.String({ pattern: '^[!-~]{1,32}$', default: 'user_inventory' }),
    structured_data: Type.Optional(
      Type.Unsafe<Record<string, Record<string, string>>>({
        type: 'object',
        description: 'SD elements: {sd-id: {param: value}}; default none ("-").',
        propertyNames: SD_NAME,
        additionalProperties: {
          type: 'object',
          propertyNames: SD_NAME,
          additionalProperties: { type: 'string' },
        },
      }),
    ),
    utf8_bom: Type.Boolean({
      default: false,
      description: 'Prefix MSG with a UTF-8 BOM (RFC 5424 MSG-UTF8).',
    }),
    max_message_bytes: Type.Integer({
      minimum: 480,
      maximum: 67108864,
      default: 65536,
      description: 'Larger messages are rejected, never truncated; the receiver must accept this size.',
    }),
    ...RETRY_PROPERTY,
  },
  {
    description: 'RFC 5424 syslog over TCP or TLS with octet-counting framing.',
    additionalProperties: false,
  },
);

export type SyslogSinkConfig = Static<typeof SyslogSinkSchema>;
