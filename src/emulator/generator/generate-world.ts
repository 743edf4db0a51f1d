// Seeded dataset generator: a whole estate (organization, accounts, IAM users, groups, policies, roles,
// Identity Center) plus the ground truth a perfect collector must report. Policies come from the
// labelled catalog, so the truth is known by construction. Documents are shared strings: a user never
// holds its own copy of a catalog document, which keeps 20 x 5,000 users small.
//
// Sections: generator-options (what to make), accounts (one account: managed-policies, groups, scenarios,
// users with user-policies and user-credentials, roles), organization, identity-store; calendar,
// vocabulary, tags and policy-pools are the shared tables.
import type { ExpectedRole, GroundTruth } from '../ground-truth.js';
import { buildGroundTruth } from '../expected-identities.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type EmuWorld } from '../model.js';
import { SeededRandom, mixSeed } from '../random.js';
import { makeAccount } from './accounts.js';
import type { GeneratedDataset, GeneratorOptions } from './generator-options.js';
import { makeIdentityStore } from './identity-store.js';
import { awsManagedPolicies } from './managed-policies.js';
import { addPermissionSets } from './permission-sets.js';
import { makeOrganization } from './organization.js';

function accountIds(rng: SeededRandom, count: number, start?: string): string[] {
  if (start !== undefined) {
    if (!/^\d{12}$/.test(start)) throw new Error(`startAccountId must be 12 digits: ${start}`);
    const first = BigInt(start);
    return Array.from({ length: count }, (_, i) => (first + BigInt(i)).toString().padStart(12, '0'));
  }
  const ids = new Set<string>();
  while (ids.size < count) ids.add(`${rng.int(1, 9)}${rng.digits(11)}`);
  return [...ids];
}

export function generateWorld(options: GeneratorOptions): GeneratedDataset {
  if (options.accounts < 1) throw new Error('accounts must be at least 1');
  const rng = new SeededRandom(mixSeed(options.seed, 0));
  const ids = accountIds(rng, options.accounts, options.startAccountId);
  const mgmtId = ids[0] as string;
  const world: EmuWorld = {
    accounts: new Map(),
    awsManagedPolicies: awsManagedPolicies(),
    credentials: new Map(),
    identityStores: new Map(),
    defaultAccountId: mgmtId,
    idSequence: { seed: mixSeed(options.seed, 0x1d5e9), next: 0 },
  };
  world.credentials.set(DEFAULT_ACCESS_KEY_ID, {
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
    accountId: mgmtId,
    arn: `arn:aws:iam::${mgmtId}:user/emulator-admin`,
    userId: `AIDA${rng.base32(17)}`,
  });
  const roleTruth = new Map<string, ExpectedRole>();
  ids.forEach((id, i) => makeAccount(world, options, i, id, mgmtId, roleTruth));
  if (options.organization ?? options.accounts > 1) world.organization = makeOrganization(world, rng, ids);
  const ic = options.identityCenter ?? { users: 20, groups: 4 };
  if (ic !== false) {
    const store = makeIdentityStore(rng, mgmtId, ic.users, ic.groups);
    // Its own stream, so that adding permission sets left every earlier seeded world unchanged.
    addPermissionSets(new SeededRandom(mixSeed(options.seed, 0x55ad)), store, ids, ic.permissionSets ?? 12);
    world.identityStores.set(store.identityStoreId, store);
  }
  const truth: GroundTruth =
    options.groundTruth === false
      ? { users: new Map(), roles: new Map(), identityCenterUsers: new Map() }
      : buildGroundTruth(world, roleTruth);
  return { world, truth };
}
