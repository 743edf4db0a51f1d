// The generic HTTP sink: POSTs NDJSON or a JSON array.
import Type, { type Static } from 'typebox';
import { HttpTransportSchema, SINK_BASE_PROPERTIES, batchSchema, httpUrl, stringMap } from './common.js';

export const HttpSinkSchema = Type.Object(
  {
    type: Type.Literal('http'),
    ...SINK_BASE_PROPERTIES,
    url: httpUrl({ description: 'Endpoint events are POSTed to.' }),
    ...HttpTransportSchema.properties,
    headers: Type.Optional(stringMap('Extra request headers (values are treated as secrets).')),
    format: Type.Enum(['ndjson', 'json_array'], { default: 'ndjson' }),
    batch: batchSchema({ maxEvents: 500, maxBytes: 4194304 }),
  },
  { description: 'Generic HTTP POST.', additionalProperties: false },
);

export type HttpSinkConfig = Static<typeof HttpSinkSchema>;
