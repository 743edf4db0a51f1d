import type { Config, OcsfVersion } from '../config/config.js';
import type { Identity } from '../identity/identity.js';
import { packageVersion } from '../package-root.js';
import { toDeletionEvent, type DeletionContext } from './delete-event.js';
import type { UserInventoryEvent } from './event.js';
import { mapIdentity, type MappingContext } from './map-identity.js';
import { projectToVersion } from './project.js';
import { loadCompiledSchema } from './schema-files.js';
import { readStoredEvent } from './stored-event.js';
import { createEventValidator } from './validate.js';

// The one path from an identity (or its last delivered event) to an event a sink may receive:
// map -> project to the configured version -> validate. An invalid event is a bug: the caller dead-letters
// it with the errors and never sends it.

export interface InvalidEvent<E = UserInventoryEvent> {
  ok: false;
  /** What failed: the built event, or for a deletion the stored last event that could not be read. */
  event: E;
  errors: string[];
}

export type PreparedEvent = { ok: true; event: UserInventoryEvent } | InvalidEvent;

/** A deletion may also fail before any event is built: the stored last event is not a 5003 event. */
export type PreparedDeletion = PreparedEvent | InvalidEvent<unknown>;

/** What varies per event: the rest comes from the configuration. */
export interface EventContext {
  /** Collection time (for a deletion: when the listing found the identity gone), epoch ms. */
  collectedAt: number;
  runId: string;
  /** Unique per event (e.g. randomUUID()). */
  eventId: string;
}

export interface EventPreparer {
  readonly version: OcsfVersion;
  prepare(identity: Identity, ctx: EventContext): PreparedEvent;
  /** The deletion of an identity whose last delivered event is `storedEvent` (JSON from the state file). */
  deletion(storedEvent: unknown, ctx: EventContext): PreparedDeletion;
}

function checked(event: UserInventoryEvent, version: OcsfVersion): PreparedEvent {
  const result = createEventValidator(version).validate(event);
  return result.valid ? { ok: true, event } : { ok: false, event, errors: result.errors };
}

export function prepareEvent(identity: Identity, ctx: MappingContext, version: OcsfVersion): PreparedEvent {
  const event = projectToVersion(mapIdentity(identity, ctx), version, loadCompiledSchema(version));
  return checked(event, version);
}

/** The deletion event for an identity last delivered as `storedEvent` (in whatever version it was sent). */
export function prepareDeletionEvent(
  storedEvent: unknown,
  ctx: DeletionContext,
  version: OcsfVersion,
): PreparedDeletion {
  const last = readStoredEvent(storedEvent);
  if (!last.ok) return { ok: false, event: storedEvent, errors: last.errors };
  const event = projectToVersion(toDeletionEvent(last.event, ctx), version, loadCompiledSchema(version));
  return checked(event, version);
}

/** Binds the preparation to the `ocsf` and `risk` sections of the configuration. */
export function createEventPreparer(
  ocsf: Pick<Config['ocsf'], 'version' | 'event_time'>,
  riskConfig: Config['risk'],
  productVersion: string = packageVersion,
): EventPreparer {
  const { version, event_time: eventTime } = ocsf;
  const risk = { unusedDays: riskConfig.unused_days, rotationDays: riskConfig.rotation_days };
  return {
    version,
    // Members named, not spread: this runs for every identity, and a spread copies through the generic path.
    prepare: (identity, ctx) =>
      prepareEvent(
        identity,
        {
          collectedAt: ctx.collectedAt,
          runId: ctx.runId,
          eventId: ctx.eventId,
          eventTime,
          productVersion,
          risk,
        },
        version,
      ),
    deletion: (storedEvent, ctx) =>
      prepareDeletionEvent(
        storedEvent,
        { detectedAt: ctx.collectedAt, runId: ctx.runId, eventId: ctx.eventId },
        version,
      ),
  };
}
