// The stdout sink: NDJSON on standard output.
import Type, { type Static } from 'typebox';
import { SINK_BASE_PROPERTIES } from './common.js';

export const StdoutSinkSchema = Type.Object(
  { type: Type.Literal('stdout'), ...SINK_BASE_PROPERTIES },
  { description: 'NDJSON on standard output.', additionalProperties: false },
);

export type StdoutSinkConfig = Static<typeof StdoutSinkSchema>;
