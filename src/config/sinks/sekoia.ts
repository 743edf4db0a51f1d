// The Sekoia.io intake sink (batch endpoint).
import Type, { type Static } from 'typebox';
import { HttpTransportSchema, SINK_BASE_PROPERTIES, batchSchema, httpUrl } from './common.js';
import { SEKOIA_MAX_REQUEST_BYTES } from './limits.js';

export const SekoiaSinkSchema = Type.Object(
  {
    type: Type.Literal('sekoia'),
    ...SINK_BASE_PROPERTIES,
    intake_url: httpUrl({ description: 'Intake base URL.', default: 'https://intake.sekoia.io' }),
    ...HttpTransportSchema.properties,
    intake_key: Type.String({ minLength: 1, description: 'Intake key (secret).', writeOnly: true }),
    batch: batchSchema({
      maxEvents: 5000,
      maxBytes: SEKOIA_MAX_REQUEST_BYTES,
      hardMaxBytes: SEKOIA_MAX_REQUEST_BYTES,
    }),
  },
  { description: 'Sekoia.io HTTP intake (batch endpoint).', additionalProperties: false },
);

export type SekoiaSinkConfig = Static<typeof SekoiaSinkSchema>;
