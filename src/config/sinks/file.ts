// The file sink: NDJSON appended to a file, with optional rotation by size.
import Type, { type Static } from 'typebox';
import { SINK_BASE_PROPERTIES } from './common.js';

export const FileRotateSchema = Type.Object(
  {
    max_bytes: Type.Integer({ minimum: 1, description: 'Rotate before a file would grow beyond this size.' }),
    keep: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 5,
      description: 'Rotated files kept (path.1 ... path.keep).',
    }),
  },
  { additionalProperties: false },
);

export const FileSinkSchema = Type.Object(
  {
    type: Type.Literal('file'),
    ...SINK_BASE_PROPERTIES,
    path: Type.String({ minLength: 1, description: 'NDJSON file, appended (relative to the config file).' }),
    rotate: Type.Optional(FileRotateSchema),
  },
  { description: 'NDJSON file with optional size rotation.', additionalProperties: false },
);

export type FileRotateConfig = Static<typeof FileRotateSchema>;
export type FileSinkConfig = Static<typeof FileSinkSchema>;
