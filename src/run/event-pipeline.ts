// What a run needs from src/ocsf: turn an identity (or a last-known event) into a validated event of the
// configured version. Kept as an interface so the run stays independent of how mapping is composed.
import type { Identity } from '../identity/identity.js';

export interface EventContext {
  collectedAt: number;
  runId: string;
  eventId: string;
}

export type PreparedEvent =
  | { ok: true; event: Record<string, unknown> }
  | { ok: false; event: Record<string, unknown>; errors: string[] };

export interface EventPipeline {
  prepare(identity: Identity, ctx: EventContext): PreparedEvent;
  deletion(lastEvent: Record<string, unknown>, ctx: EventContext): PreparedEvent;
}
