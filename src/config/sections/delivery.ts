// delivery: run-level batching; each sink may split a batch further by its own limits.
import Type, { type Static } from 'typebox';

export const DeliverySchema = Type.Object(
  {
    batch_max_events: Type.Integer({
      description: 'Events per batch.',
      default: 500,
      minimum: 1,
      maximum: 100000,
    }),
    batch_max_bytes: Type.Integer({
      description: 'Bytes per batch (serialized events).',
      default: 4194304,
      minimum: 1024,
      maximum: 1073741824,
    }),
  },
  {
    description: 'Run-level batching (each sink may split further).',
    additionalProperties: false,
    default: {},
  },
);

export type DeliveryConfig = Static<typeof DeliverySchema>;
