// The Splunk HTTP Event Collector sink.
import Type, { type Static } from 'typebox';
import { HttpTransportSchema, SINK_BASE_PROPERTIES, batchSchema, httpUrl } from './common.js';

export const SplunkHecSinkSchema = Type.Object(
  {
    type: Type.Literal('splunk_hec'),
    ...SINK_BASE_PROPERTIES,
    url: httpUrl({ description: 'HEC base URL, e.g. https://splunk.example.com:8088' }),
    ...HttpTransportSchema.properties,
    token: Type.String({ minLength: 1, description: 'HEC token (secret).', writeOnly: true }),
    host: Type.Optional(Type.String({ minLength: 1, description: "Default: the machine's host name." })),
    source: Type.String({ minLength: 1, default: 'iam-inventory' }),
    sourcetype: Type.String({ minLength: 1, default: 'ocsf:user_inventory' }),
    index: Type.Optional(Type.String({ minLength: 1 })),
    ack: Type.Boolean({ default: false, description: 'Wait for indexer acknowledgement of every request.' }),
    ack_timeout_ms: Type.Integer({ minimum: 1, default: 60000 }),
    ack_poll_interval_ms: Type.Integer({ minimum: 1, default: 1000 }),
    batch: batchSchema({ maxEvents: 500, maxBytes: 1048576 }),
  },
  { description: 'Splunk HTTP Event Collector.', additionalProperties: false },
);

export type SplunkHecSinkConfig = Static<typeof SplunkHecSinkSchema>;
