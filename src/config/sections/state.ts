// state: the local SQLite state (watermarks, fingerprints, runs, dead letters) and the mass-delete guard.
import Type, { type Static } from 'typebox';

export const StateSchema = Type.Object(
  {
    path: Type.String({
      description: "State file; relative paths are resolved against the config file's folder.",
      default: './data/state.db',
      minLength: 1,
    }),
    max_delete_fraction: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description:
        "A full run that would delete more than this fraction of an account's known users emits no deletions and fails (unless --allow-mass-delete).",
    }),
    fingerprint_ignore: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'Extra dotted paths of the event ignored by change detection ([] for arrays, e.g. user.groups[].privileges), on top of the built-in volatile fields.',
    }),
  },
  {
    description: 'The local state (SQLite): watermarks, fingerprints, runs and dead letters.',
    additionalProperties: false,
    default: {},
  },
);

export type StateConfig = Static<typeof StateSchema>;
