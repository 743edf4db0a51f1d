// The demo's closing lines: what the delivered inventory says about the account (admins, MFA, live keys), so a
// newcomer sees the point of the events without a SIEM. Read from the events file the demo wrote, later
// events of an identity replacing earlier ones and deletion events removing it.
import { existsSync, readFileSync } from 'node:fs';

export interface Posture {
  identities: number;
  admins: number;
  adminsWithoutMfa: number;
  withoutMfa: number;
  consoleWithoutMfa: number;
  activeKeys: number;
  usersWithActiveKeys: number;
}

interface InventoryEvent {
  activity_id?: unknown;
  user?: { uid?: unknown; type_id?: unknown; has_mfa?: unknown };
  unmapped?: { aws?: { login_profile?: { present?: unknown }; access_keys?: { status?: unknown }[] } };
}

const DELETED_ACTIVITY = 99;

export function postureOf(events: readonly InventoryEvent[]): Posture {
  const latest = new Map<unknown, InventoryEvent>();
  for (const event of events) {
    const uid = event.user?.uid;
    if (uid === undefined) continue;
    if (event.activity_id === DELETED_ACTIVITY) latest.delete(uid);
    else latest.set(uid, event);
  }
  const p: Posture = {
    identities: latest.size,
    admins: 0,
    adminsWithoutMfa: 0,
    withoutMfa: 0,
    consoleWithoutMfa: 0,
    activeKeys: 0,
    usersWithActiveKeys: 0,
  };
  for (const event of latest.values()) {
    const noMfa = event.user?.has_mfa === false;
    const admin = event.user?.type_id === 2;
    const aws = event.unmapped?.aws;
    const active = (aws?.access_keys ?? []).filter((k) => k.status === 'Active').length;
    p.admins += admin ? 1 : 0;
    p.adminsWithoutMfa += admin && noMfa ? 1 : 0;
    p.withoutMfa += noMfa ? 1 : 0;
    p.consoleWithoutMfa += noMfa && aws?.login_profile?.present === true ? 1 : 0;
    p.activeKeys += active;
    p.usersWithActiveKeys += active > 0 ? 1 : 0;
  }
  return p;
}

export function readEventsFile(path: string): InventoryEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as InventoryEvent);
}

export function formatPosture(p: Posture): string[] {
  return [
    `  posture (${p.identities} identities in the events file):`,
    `    admins:             ${p.admins} (${p.adminsWithoutMfa} without MFA)`,
    `    without MFA:        ${p.withoutMfa} (${p.consoleWithoutMfa} can sign in to the console)`,
    `    active access keys: ${p.activeKeys} (held by ${p.usersWithActiveKeys} users)`,
  ];
}
