// IAM groups: the fixed ones first (the scenarios rely on them), then team groups with random non-admin
// policies. Whether a group makes its members admin is recorded as it is made.
import type { EmuGroup } from '../model.js';
import { findInlineTemplate } from '../policy-catalog.js';
import type { SeededRandom } from '../random.js';
import type { AccountBuild } from './account-build.js';
import { DAY, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME, randomDate } from './calendar.js';
import { NON_ADMIN_AWS, NON_ADMIN_CUSTOMER, NON_ADMIN_INLINE } from './policy-pools.js';
import { TEAM_WORDS } from './vocabulary.js';

interface GroupSpec {
  name: string;
  path: string;
  awsManaged: string[];
  customer: string[];
  inline: string[];
  /** Members are admins through this group. */
  admin: boolean;
}

const FIXED_GROUPS: readonly GroupSpec[] = [
  { name: 'admins', path: '/', awsManaged: ['AdministratorAccess'], customer: [], inline: [], admin: true },
  {
    name: 'developers',
    path: '/',
    awsManaged: ['PowerUserAccess'],
    customer: ['DeveloperS3Access'],
    inline: ['sqs-consumer'],
    admin: false,
  },
  { name: 'readonly', path: '/', awsManaged: ['ReadOnlyAccess'], customer: [], inline: [], admin: false },
  {
    name: 'platform-admins',
    path: '/',
    awsManaged: ['AmazonEC2ReadOnlyAccess'],
    customer: ['PlatformFullAccess'],
    inline: [],
    admin: true,
  },
  {
    name: 'break-glass',
    path: '/security/',
    awsManaged: [],
    customer: [],
    inline: ['breakglass'],
    admin: true,
  },
  {
    name: 'billing',
    path: '/',
    awsManaged: ['Billing'],
    customer: ['CostExplorerRead'],
    inline: [],
    admin: false,
  },
  {
    name: 'security-audit',
    path: '/security/',
    awsManaged: ['SecurityAudit', 'ViewOnlyAccess'],
    customer: [],
    inline: [],
    admin: false,
  },
  {
    name: 'iam-managers',
    path: '/',
    awsManaged: ['IAMFullAccess'],
    customer: [],
    inline: ['everything-but-iam'],
    admin: false,
  },
  {
    name: 'data-engineering',
    path: '/',
    awsManaged: ['AmazonS3FullAccess'],
    customer: ['DataLakeBucketFullAccess'],
    inline: ['read-team-bucket'],
    admin: false,
  },
  {
    name: 'support',
    path: '/',
    awsManaged: ['AWSSupportAccess'],
    customer: [],
    inline: ['cloudwatch-put-metrics'],
    admin: false,
  },
  {
    name: 'ops-legacy',
    path: '/ops/',
    awsManaged: [],
    customer: ['OpsMixedAccess', 'DemotedOpsAccess'],
    inline: [],
    admin: true,
  },
];

function teamGroupSpec(rng: SeededRandom, name: string): GroupSpec {
  return {
    name,
    path: rng.chance(0.3) ? '/teams/' : '/',
    awsManaged: rng
      .sample(
        NON_ADMIN_AWS,
        rng.weighted([
          [0, 2],
          [1, 4],
          [2, 3],
          [3, 1],
        ]),
      )
      .map((p) => p.name),
    customer: rng
      .sample(
        NON_ADMIN_CUSTOMER,
        rng.weighted([
          [0, 5],
          [1, 3],
          [2, 1],
        ]),
      )
      .map((p) => p.name),
    inline: rng
      .sample(
        NON_ADMIN_INLINE,
        rng.weighted([
          [0, 5],
          [1, 3],
          [2, 1],
        ]),
      )
      .map((t) => t.name),
    admin: false,
  };
}

/** `count` group specs: the fixed groups, then team-<word>, team-<word>-2 ... in a seeded order. */
function groupSpecs(rng: SeededRandom, count: number): GroupSpec[] {
  const specs: GroupSpec[] = FIXED_GROUPS.slice(0, count);
  const used = new Set(specs.map((s) => s.name));
  let round = 1;
  while (specs.length < count) {
    for (const word of rng.shuffle([...TEAM_WORDS])) {
      if (specs.length >= count) break;
      const name = round === 1 ? `team-${word}` : `team-${word}-${round}`;
      if (used.has(name)) continue;
      used.add(name);
      specs.push(teamGroupSpec(rng, name));
    }
    round++;
  }
  return specs;
}

export function makeGroups(b: AccountBuild, count: number): void {
  const { rng, account } = b;
  for (const spec of groupSpecs(rng, count)) {
    const inlinePolicies: Record<string, string> = {};
    for (const name of spec.inline) inlinePolicies[name] = findInlineTemplate(name).document;
    const group: EmuGroup = {
      groupName: spec.name,
      groupId: `AGPA${rng.base32(17)}`,
      arn: `arn:aws:iam::${account.id}:group${spec.path}${spec.name}`,
      path: spec.path,
      createDate: randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 400 * DAY),
      attachedPolicyArns: [...spec.awsManaged.map(b.awsArn), ...spec.customer.map(b.customerArn)],
      inlinePolicies,
    };
    account.groups.set(spec.name, group);
    b.groupIsAdmin.set(spec.name, spec.admin);
    (spec.admin ? b.adminGroups : b.ordinaryGroups).push(spec.name);
  }
}
