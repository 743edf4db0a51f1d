import type { Identity } from '../identity/identity.js';
import type { OcsfVersion } from '../config/config.js';
import { toDeletionEvent, type DeletionContext } from './delete-event.js';
import type { UserInventoryEvent } from './event.js';
import { mapIdentity, type MappingContext } from './map-identity.js';
import { projectToVersion } from './project.js';
import { loadCompiledSchema } from './schema-files.js';
import { createEventValidator } from './validate.js';

// map -> project -> validate: what the run calls for every identity before any sink sees the event.
// An invalid event is a bug: the caller dead-letters it with the errors and never sends it.

export type PreparedEvent =
  { ok: true; event: UserInventoryEvent } | { ok: false; event: UserInventoryEvent; errors: string[] };

function checked(event: UserInventoryEvent, version: OcsfVersion): PreparedEvent {
  const result = createEventValidator(version).validate(event);
  return result.valid ? { ok: true, event } : { ok: false, event, errors: result.errors };
}

export function prepareEvent(identity: Identity, ctx: MappingContext, version: OcsfVersion): PreparedEvent {
  const event = projectToVersion(mapIdentity(identity, ctx), version, loadCompiledSchema(version));
  return checked(event, version);
}

/** The deletion event for an identity last delivered as `lastEvent` (already in `version`'s shape). */
export function prepareDeletionEvent(
  lastEvent: UserInventoryEvent,
  ctx: DeletionContext,
  version: OcsfVersion,
): PreparedEvent {
  const event = projectToVersion(toDeletionEvent(lastEvent, ctx), version, loadCompiledSchema(version));
  return checked(event, version);
}
