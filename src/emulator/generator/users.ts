// IAM users: a unique name, a path and a creation date, the groups it belongs to, then what it may do
// (user-policies.ts) and how it signs in (user-credentials.ts). The random draws happen in a fixed order,
// so a seed always gives the same users.
import type { EmuUser } from '../model.js';
import type { SeededRandom } from '../random.js';
import type { AccountBuild, UserKind } from './account-build.js';
import { DAY, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME, randomDate } from './calendar.js';
import type { Scenario } from './scenarios.js';
import { randomTags } from './tags.js';
import { consoleAccess, userAccessKeys, userMfaDevices } from './user-credentials.js';
import { userBoundary, userPolicies } from './user-policies.js';
import { FIRST_NAMES, LAST_NAMES, SYSTEMS } from './vocabulary.js';

function uniqueUserName(b: AccountBuild, kind: UserKind): string {
  const { rng } = b;
  for (let attempt = 0; ; attempt++) {
    let base: string;
    if (kind === 'service') {
      base = `svc-${rng.pick(SYSTEMS)}`;
    } else {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      base = rng.weighted([
        [`${first}.${last}`, 6],
        [`${first[0]}${last}`, 3],
        [`${first}_${last}`, 1],
      ]);
    }
    const name = attempt < 3 && !b.userNames.has(base) ? base : `${base}${rng.int(2, 9999)}`;
    if (!b.userNames.has(name)) {
      b.userNames.add(name);
      return name;
    }
  }
}

function userPath(rng: SeededRandom, kind: UserKind): string {
  return kind === 'service'
    ? '/service-accounts/'
    : rng.weighted([
        ['/', 45],
        ['/engineering/', 20],
        ['/engineering/backend/', 5],
        ['/ops/', 10],
        ['/contractors/', 8],
        ['/finance/', 4],
      ]);
}

function userCreateDate(b: AccountBuild): number {
  const { rng } = b;
  // Several users share the exact same CreateDate second: incremental checkpoints must cope.
  const createDate =
    b.previousCreateDates.length > 0 && rng.chance(0.12)
      ? rng.pick(b.previousCreateDates)
      : randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 2 * DAY);
  if (b.previousCreateDates.length < 64) b.previousCreateDates.push(createDate);
  else b.previousCreateDates[rng.int(0, 63)] = createDate;
  return createDate;
}

function userGroups(b: AccountBuild, scenario: Scenario | undefined): string[] {
  const { rng, account } = b;
  let groups: string[];
  if (scenario?.groups !== undefined) {
    groups = scenario.groups.filter((g) => account.groups.has(g));
    if (scenario.extraGroups !== false) {
      groups.push(...rng.sample(b.ordinaryGroups, rng.int(0, 2)).filter((g) => !groups.includes(g)));
    }
  } else if (scenario !== undefined && scenario.extraGroups === false) {
    groups = [];
  } else {
    const count = rng.weighted([
      [0, 20],
      [1, 25],
      [2, 20],
      [3, 15],
      [rng.int(4, 6), 15],
      [rng.int(7, 10), 5],
    ]);
    groups = rng.sample(b.ordinaryGroups, count);
    if (scenario === undefined && b.adminGroups.length > 0 && rng.chance(0.02))
      groups.push(rng.pick(b.adminGroups));
  }
  return groups;
}

export function makeUser(b: AccountBuild, scenario: Scenario | undefined): EmuUser {
  const { rng, account } = b;
  const kind: UserKind = scenario === undefined && rng.chance(0.08) ? 'service' : 'human';
  const userName = uniqueUserName(b, kind);
  const path = userPath(rng, kind);
  const createDate = userCreateDate(b);
  const groups = userGroups(b, scenario);
  const { attachedPolicyArns, inlinePolicies } = userPolicies(b, scenario, groups);
  const permissionsBoundaryArn = userBoundary(b, scenario);
  const { loginProfile, passwordLastUsed } = consoleAccess(rng, scenario, kind, createDate);
  const mfaDevices = userMfaDevices(b, scenario, kind, userName, createDate);
  const accessKeys = userAccessKeys(b, scenario, kind, createDate);

  const user: EmuUser = {
    userName,
    userId: `AIDA${rng.base32(17)}`,
    arn: `arn:aws:iam::${account.id}:user${path}${userName}`,
    path,
    createDate,
    groups,
    attachedPolicyArns,
    inlinePolicies,
    mfaDevices,
    accessKeys,
    tags: randomTags(rng),
  };
  if (loginProfile) user.loginProfile = loginProfile;
  if (passwordLastUsed !== undefined) user.passwordLastUsed = passwordLastUsed;
  if (permissionsBoundaryArn !== undefined) user.permissionsBoundaryArn = permissionsBoundaryArn;
  return user;
}
