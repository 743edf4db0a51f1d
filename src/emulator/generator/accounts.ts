// One member (or management) account: its customer policies, groups, users (scenario users at random
// positions) and roles, each account from its own random stream so accounts do not shift one another.
import type { ExpectedRole } from '../ground-truth.js';
import type { EmuAccount, EmuWorld } from '../model.js';
import { SeededRandom, mixSeed } from '../random.js';
import { newAccountBuild } from './account-build.js';
import type { GeneratorOptions } from './generator-options.js';
import { makeGroups } from './groups.js';
import { addCustomerPolicies } from './managed-policies.js';
import { makeRoles } from './roles.js';
import { scenarioPositions } from './scenarios.js';
import { makeUser } from './users.js';
import { accountName } from './vocabulary.js';

export function makeAccount(
  world: EmuWorld,
  opts: GeneratorOptions,
  index: number,
  id: string,
  mgmtId: string,
  roleTruth: Map<string, ExpectedRole>,
): void {
  const rng = new SeededRandom(mixSeed(opts.seed, index + 1));
  const account: EmuAccount = {
    id,
    users: new Map(),
    groups: new Map(),
    policies: new Map(),
    roles: new Map(),
    credentialReportDelayMs: 0,
  };
  if (index === 0 || rng.chance(0.5)) account.alias = `acme-${accountName(index)}`;
  world.accounts.set(id, account);

  addCustomerPolicies(rng, account);
  const b = newAccountBuild(rng, account);
  makeGroups(b, opts.groupsPerAccount);
  const scenarioAt = scenarioPositions(b, opts.usersPerAccount);
  for (let i = 0; i < opts.usersPerAccount; i++) {
    const user = makeUser(b, scenarioAt.get(i));
    account.users.set(user.userName, user);
  }
  makeRoles(b, mgmtId, opts, roleTruth);
}
