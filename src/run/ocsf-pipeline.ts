// Binds src/ocsf's map -> project -> validate steps to the run's configuration.
import type { Config } from '../config/config.js';
import { prepareDeletionEvent, prepareEvent } from '../ocsf/event-pipeline.js';
import type { UserInventoryEvent } from '../ocsf/event.js';
import { packageVersion } from '../package-root.js';
import type { EventPipeline, PreparedEvent } from './event-pipeline.js';

export function createEventPipeline(config: Config): EventPipeline {
  const { version, event_time: eventTime } = config.ocsf;
  return {
    prepare(identity, ctx) {
      const prepared = prepareEvent(identity, { ...ctx, eventTime, productVersion: packageVersion }, version);
      return prepared as unknown as PreparedEvent;
    },
    deletion(lastEvent, ctx) {
      const prepared = prepareDeletionEvent(
        lastEvent as unknown as UserInventoryEvent,
        { detectedAt: ctx.collectedAt, runId: ctx.runId, eventId: ctx.eventId },
        version,
      );
      return prepared as unknown as PreparedEvent;
    },
  };
}
