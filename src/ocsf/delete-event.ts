import type { UserInventoryEvent } from './event.js';
import { CLASS_NAME, CLASS_UID } from './map-identity.js';

export interface DeletionContext {
  /** When the listing found the identity gone, epoch ms. */
  detectedAt: number;
  runId: string;
  eventId: string;
}

// OCSF 5003 has no "Delete" activity: 99 is "Other", whose activity_name carries the source's own word.
// type_uid 500399's caption, derived by OCSF from the activity enum, is "User Inventory Info: Other", so
// type_name keeps that caption (a different type_name would not match type_uid's caption).
export const DELETE_ACTIVITY = {
  activity_id: 99,
  activity_name: 'Delete',
  type_uid: CLASS_UID * 100 + 99,
  type_name: `${CLASS_NAME}: Other`,
} as const;

/** The deletion of a previously delivered identity: its last known user object, marked deleted. */
export function toDeletionEvent(lastEvent: UserInventoryEvent, ctx: DeletionContext): UserInventoryEvent {
  const last = structuredClone(lastEvent);
  return {
    ...last,
    ...DELETE_ACTIVITY,
    time: ctx.detectedAt,
    metadata: { ...last.metadata, uid: ctx.eventId, correlation_uid: ctx.runId },
    user: { ...last.user, ldap_person: { ...last.user.ldap_person, deleted_time: ctx.detectedAt } },
  };
}
