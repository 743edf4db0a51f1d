// The organization: a root with Security, Workloads (Production, Development) and Sandbox OUs, the
// generated accounts placed in them, and one suspended account that has no IAM data (a collector must
// skip it).
import type { EmuOrganization, EmuWorld } from '../model.js';
import type { SeededRandom } from '../random.js';
import { DAY, secondsFloor } from './calendar.js';
import { accountName } from './vocabulary.js';

export function makeOrganization(world: EmuWorld, rng: SeededRandom, ids: string[]): EmuOrganization {
  const mgmtId = ids[0] as string;
  const rootSuffix = rng.lowerAlnum(4);
  const rootId = `r-${rootSuffix}`;
  const ouId = (): string => `ou-${rootSuffix}-${rng.lowerAlnum(8)}`;
  const org: EmuOrganization = {
    id: `o-${rng.lowerAlnum(10)}`,
    managementAccountId: mgmtId,
    rootId,
    accounts: new Map(),
    ous: new Map(),
  };
  const security = { id: ouId(), name: 'Security', parentId: rootId };
  const workloads = { id: ouId(), name: 'Workloads', parentId: rootId };
  const production = { id: ouId(), name: 'Production', parentId: workloads.id };
  const development = { id: ouId(), name: 'Development', parentId: workloads.id };
  const sandbox = { id: ouId(), name: 'Sandbox', parentId: rootId };
  for (const ou of [security, workloads, production, development, sandbox]) org.ous.set(ou.id, ou);
  const placement = [production.id, development.id, workloads.id, sandbox.id, rootId];
  const created = Date.UTC(2017, 3, 12, 9, 30, 0);
  ids.forEach((id, i) => {
    const name = accountName(i);
    const parentId =
      i === 0 ? rootId : i === 1 || i === 2 ? security.id : (placement[(i - 3) % placement.length] as string);
    org.accounts.set(id, {
      id,
      name,
      email: `aws+${name}@acme.example`,
      status: 'ACTIVE',
      parentId,
      joinedTimestamp: i === 0 ? created : secondsFloor(created + i * 37 * DAY + rng.int(0, DAY)),
    });
  });
  // A suspended account: in the organization, without IAM data (a collector must skip it).
  let suspendedId: string;
  do suspendedId = `${rng.int(1, 9)}${rng.digits(11)}`;
  while (world.accounts.has(suspendedId) || org.accounts.has(suspendedId));
  org.accounts.set(suspendedId, {
    id: suspendedId,
    name: 'closed-sandbox',
    email: 'aws+closed-sandbox@acme.example',
    status: 'SUSPENDED',
    parentId: sandbox.id,
    joinedTimestamp: secondsFloor(created + 200 * DAY),
  });
  return org;
}
