export { Checkpoint, openCheckpoint, type OpenCheckpointOptions } from './checkpoint.js';
export { StateError, StateLockedError } from './errors.js';
export { SCHEMA_VERSION } from './migrations.js';
export type * from './types.js';
