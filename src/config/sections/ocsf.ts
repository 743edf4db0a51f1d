// ocsf: the OCSF version of the events and what their time means.
import Type, { type Static } from 'typebox';
import { LATEST_OCSF_VERSION, OCSF_VERSIONS } from '../ocsf-versions.js';

export const OcsfSchema = Type.Object(
  {
    version: Type.Enum(OCSF_VERSIONS, {
      type: 'string',
      default: LATEST_OCSF_VERSION,
      description: 'OCSF schema version of the events.',
    }),
    event_time: Type.Enum(['collected', 'created'], {
      type: 'string',
      default: 'collected',
      description: "Event time: collected = collection time; created = the identity's creation date.",
    }),
  },
  { description: 'OCSF output.', additionalProperties: false, default: {} },
);

export type OcsfConfig = Static<typeof OcsfSchema>;
