// ops: the daemon's HTTP server for /healthz, /readyz and /metrics.
import Type, { type Static } from 'typebox';

export const OpsSchema = Type.Object(
  {
    listen: Type.String({
      description: 'host:port to listen on (a container sets 0.0.0.0:9464).',
      default: '127.0.0.1:9464',
      pattern: '^(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):[0-9]{1,5}$',
      'x-expected': 'host:port',
    }),
    max_staleness_seconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          '/readyz fails when the last successful run is older; default 2x the incremental interval.',
      }),
    ),
  },
  {
    description: "The daemon's HTTP server for /healthz, /readyz and /metrics.",
    additionalProperties: false,
    default: {},
  },
);

export type OpsConfig = Static<typeof OpsSchema>;
