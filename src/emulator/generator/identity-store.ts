// Identity Center's identity store: groups synced from an IdP, users with (mostly) a work email and a
// display name, and their group memberships. Ids carry the store's suffix, as AWS's do.
import type { EmuIdentityStore, EmuIdentityStoreUser } from '../model.js';
import type { SeededRandom } from '../random.js';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary.js';

const IC_GROUPS = [
  'AWSAdministrators',
  'Developers',
  'ReadOnly',
  'SecurityAuditors',
  'Billing',
  'DataScience',
  'Support',
  'Contractors',
  'PlatformEngineering',
  'Finance',
  'SRE',
  'QA',
];

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function addGroups(rng: SeededRandom, store: EmuIdentityStore, suffix: string, count: number): string[] {
  const groupIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = IC_GROUPS[i % IC_GROUPS.length] as string;
    const displayName = i < IC_GROUPS.length ? base : `${base}${Math.floor(i / IC_GROUPS.length) + 1}`;
    const groupId = `${suffix}-${rng.uuid()}`;
    store.groups.set(groupId, { groupId, displayName, description: `${displayName} (synced from the IdP)` });
    groupIds.push(groupId);
  }
  return groupIds;
}

/** A user whose email local part is unique in the store (`names` holds those taken). */
function storeUser(rng: SeededRandom, suffix: string, names: Set<string>): EmuIdentityStoreUser {
  const given = rng.pick(FIRST_NAMES);
  const family = rng.pick(LAST_NAMES);
  let local = `${given}.${family}`;
  while (names.has(local)) local = `${given}.${family}${rng.int(2, 999)}`;
  names.add(local);
  const userId = `${suffix}-${rng.uuid()}`;
  const work = { value: `${local}@acme.example`, type: 'work', primary: true };
  const emails = rng.chance(0.05)
    ? []
    : rng.chance(0.15)
      ? [{ value: `${local}@personal.example`, type: 'home', primary: false }, work]
      : [work];
  const user: EmuIdentityStoreUser = {
    userId,
    userName: `${local}@acme.example`,
    emails,
  };
  if (!rng.chance(0.05)) {
    user.displayName = `${capitalized(given)} ${capitalized(family)}`;
    user.name = {
      givenName: capitalized(given),
      familyName: capitalized(family),
      formatted: `${capitalized(given)} ${capitalized(family)}`,
    };
  }
  return user;
}

export function makeIdentityStore(
  rng: SeededRandom,
  hostAccountId: string,
  users: number,
  groups: number,
): EmuIdentityStore {
  const suffix = rng.hex(10);
  const store: EmuIdentityStore = {
    identityStoreId: `d-${suffix}`,
    instanceArn: `arn:aws:sso:::instance/ssoins-${rng.hex(16)}`,
    accountId: hostAccountId,
    region: 'us-east-1',
    users: new Map(),
    groups: new Map(),
    memberships: new Map(),
    permissionSets: new Map(),
    accountAssignments: [],
  };
  const groupIds = addGroups(rng, store, suffix, groups);
  const names = new Set<string>();
  for (let i = 0; i < users; i++) {
    const user = storeUser(rng, suffix, names);
    store.users.set(user.userId, user);
    for (const groupId of rng.sample(
      groupIds,
      rng.weighted([
        [0, 2],
        [1, 4],
        [2, 3],
        [3, 1],
      ]),
    )) {
      store.memberships.set(`${suffix}-${rng.uuid()}`, { groupId, userId: user.userId });
    }
  }
  return store;
}
