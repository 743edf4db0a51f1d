// Keys several sink types share, written once: the name and dry_run every sink has, retries, TLS, the HTTP
// transport and the per-request batch limits (whose defaults differ by destination).
import Type, { type Static } from 'typebox';

export const RetrySchema = Type.Object(
  {
    max_attempts: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 8,
      description: 'Total attempts, the first included.',
    }),
    initial_delay_ms: Type.Integer({ minimum: 0, maximum: 3600000, default: 500 }),
    max_delay_ms: Type.Integer({
      minimum: 0,
      maximum: 3600000,
      default: 30000,
      description: 'Ceiling of one backoff delay, and of an honoured Retry-After.',
    }),
  },
  { additionalProperties: false, description: 'Retries with exponential backoff and full jitter.' },
);

export type RetryConfig = Static<typeof RetrySchema>;

/** The sinks document holds RetrySchema once under definitions; each sink refers to it. */
export const RETRY_PROPERTY = {
  retry: Type.Unsafe<RetryConfig>({ $ref: '#/definitions/retry', default: {} }),
};

/** Properties of every sink type, after its `type`. */
export const SINK_BASE_PROPERTIES = {
  name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_.-]+$',
      description: 'Unique name in logs and metrics; default: the type (type-2, type-3 ... when repeated).',
    }),
  ),
  dry_run: Type.Boolean({ default: false, description: 'Log what would be sent instead of sending it.' }),
};

export function timeoutMs(description: string) {
  return Type.Integer({ minimum: 1, maximum: 3600000, default: 30000, description });
}

export const TlsSchema = Type.Object({
  ca_file: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'PEM CA bundle trusted for the server certificate (relative to the config file).',
    }),
  ),
  tls_insecure_skip_verify: Type.Boolean({
    default: false,
    description: 'Disables certificate verification (logged as a warning). Never in production.',
  }),
});

export type TlsConfig = Static<typeof TlsSchema>;

/** What the shared HTTP transport reads, besides the URL (whose key and default differ by sink type). */
export const HttpTransportSchema = Type.Object({
  timeout_ms: timeoutMs('Per-attempt timeout.'),
  compress: Type.Boolean({ default: false, description: 'gzip request bodies (Content-Encoding: gzip).' }),
  ...TlsSchema.properties,
  allow_insecure_http: Type.Boolean({
    default: false,
    description: 'Allow http:// to a non-loopback host (sends events and credentials unencrypted).',
  }),
  ...RETRY_PROPERTY,
});

export type HttpTransportKeys = Static<typeof HttpTransportSchema>;

export function httpUrl(options: { description: string; default?: string }) {
  return Type.String({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$', ...options });
}

export interface BatchDefaults {
  maxEvents: number;
  maxBytes: number;
  /** A limit of the destination itself: max_bytes cannot be set above it. */
  hardMaxBytes?: number;
}

export function batchSchema(defaults: BatchDefaults) {
  return Type.Object(
    {
      max_events: Type.Integer({ minimum: 1, maximum: 1000000, default: defaults.maxEvents }),
      max_bytes: Type.Integer({
        minimum: 1,
        default: defaults.maxBytes,
        ...(defaults.hardMaxBytes === undefined ? {} : { maximum: defaults.hardMaxBytes }),
      }),
    },
    { additionalProperties: false, default: {} },
  );
}

export type BatchConfig = Static<ReturnType<typeof batchSchema>>;

/** A map of strings (HTTP headers). */
export function stringMap(description: string) {
  return Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    description,
  });
}
