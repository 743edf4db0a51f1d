// Seeded dataset generator: a whole estate (organization, accounts, IAM users, groups, policies, roles,
// Identity Center) plus the ground truth a perfect collector must report. Policies come from the
// labelled catalog, so the truth is known by construction. Documents are shared strings: a user never
// holds its own copy of a catalog document, which keeps 20 x 5,000 users small.
import type { ExpectedRole, GroundTruth } from '../ground-truth.js';
import { buildGroundTruth, expectedRole } from '../expected-identities.js';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type EmuAccessKey,
  type EmuAccount,
  type EmuGroup,
  type EmuIdentityStore,
  type EmuIdentityStoreUser,
  type EmuMfaDevice,
  type EmuMfaKind,
  type EmuOrganization,
  type EmuPolicy,
  type EmuRole,
  type EmuTag,
  type EmuUser,
  type EmuWorld,
} from '../model.js';
import {
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  INLINE_POLICY_TEMPLATES,
  awsManagedPolicyArn,
  customerPolicyArn,
  findInlineTemplate,
  type CatalogPolicy,
  type InlineTemplate,
} from '../policy-catalog.js';
import { SeededRandom, mixSeed } from '../random.js';

export interface GeneratorOptions {
  seed: number;
  accounts: number;
  usersPerAccount: number;
  groupsPerAccount: number;
  /** Default 10 (at least the assumable role is always created). */
  rolesPerAccount?: number;
  /** Default: true when accounts > 1. */
  organization?: boolean;
  /** Default { users: 20, groups: 4 }; false = no Identity Center. */
  identityCenter?: { users: number; groups: number } | false;
  /** Role present in every account, trusting the management account. Default 'IamInventoryReader'. */
  assumableRoleName?: string;
  /** When set, the assumable role's trust policy requires this sts:ExternalId. */
  externalId?: string;
  /** First account id (12 digits); the others follow it. Default: seeded random ids. */
  startAccountId?: string;
  /** Default true. false leaves `truth` empty, saving memory when nobody reads it (benchmarks). */
  groundTruth?: boolean;
}

export interface GeneratedDataset {
  world: EmuWorld;
  truth: GroundTruth;
}

/** "Now" of every generated dataset: dates are spread over the years before it. */
export const GENERATOR_REFERENCE_TIME = Date.UTC(2025, 0, 15, 12, 0, 0);
const EARLIEST_CREATE = Date.UTC(2014, 2, 1);
const DAY = 86_400_000;

const secondsFloor = (ms: number): number => Math.floor(ms / 1000) * 1000;

const FIRST_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'zoe',
  'aarav',
  'amara',
  'bjorn',
  'chen',
  'diego',
  'elena',
  'farah',
  'goran',
  'hana',
  'ines',
  'jamal',
  'kenji',
  'lena',
  'mateo',
  'nadia',
  'oskar',
  'priya',
  'quinn',
  'rosa',
  'sanjay',
  'tomas',
  'ursula',
  'valentina',
  'wei',
  'ximena',
  'yusuf',
  'zainab',
  'andrea',
  'bruno',
  'camille',
  'dmitri',
  'emeka',
  'fatima',
  'gustavo',
  'hiroshi',
  'ingrid',
  'javier',
  'kofi',
  'leila',
  'marco',
  'noor',
  'pablo',
  'rahul',
  'sofia',
  'thabo',
  'uma',
  'vikram',
  'yara',
  'anders',
  'beatriz',
  'connor',
  'daria',
  'eitan',
  'freya',
  'giulia',
  'hugo',
  'isla',
  'jonas',
  'katarina',
  'liam',
  'maya',
  'nikolai',
  'omar',
  'paula',
  'ravi',
  'sara',
  'tariq',
  'vera',
  'william',
];
const LAST_NAMES = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'hernandez',
  'lopez',
  'gonzalez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
  'kim',
  'patel',
  'shah',
  'singh',
  'kumar',
  'tanaka',
  'sato',
  'suzuki',
  'muller',
  'schmidt',
  'schneider',
  'fischer',
  'weber',
  'meyer',
  'wagner',
  'rossi',
  'russo',
  'ferrari',
  'dubois',
  'laurent',
  'bernard',
  'silva',
  'santos',
  'oliveira',
  'costa',
  'novak',
  'kowalski',
  'nowak',
  'ivanov',
  'petrov',
  'okafor',
  'mensah',
  'haddad',
  'cohen',
  'levi',
  'andersen',
  'nielsen',
  'hansen',
  'larsen',
  'berg',
  'lindqvist',
];
const SYSTEMS = [
  'jenkins',
  'terraform',
  'github-actions',
  'backup',
  'datadog',
  'splunk-forwarder',
  'etl',
  'billing-export',
  'airflow',
  'argo',
  'gitlab-runner',
  'vault',
  'snowflake-loader',
  'grafana',
  'pagerduty',
  'sftp-gateway',
];
const TEAM_WORDS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'mobile',
  'web',
  'growth',
  'analytics',
  'ml',
  'infra',
  'observability',
  'storage',
  'networking',
  'compliance',
  'risk',
  'fraud',
  'catalog',
  'orders',
  'shipping',
  'pricing',
  'marketing',
  'crm',
  'warehouse',
  'streaming',
  'edge',
  'platform',
  'tooling',
  'release',
  'devex',
  'mlops',
  'sre',
  'qa',
  'support-tools',
  'partners',
  'ads',
  'media',
  'messaging',
  'maps',
];
const ACCOUNT_NAMES = [
  'management',
  'security-tooling',
  'log-archive',
  'shared-services',
  'prod-payments',
  'prod-web',
  'staging',
  'dev',
  'data-platform',
  'sandbox',
  'network-hub',
  'ml-research',
  'prod-analytics',
  'qa',
];
const SERVICES = ['s3', 'ec2', 'iam', 'sts', 'lambda', 'dynamodb', 'cloudformation', 'ecr', 'logs', 'kms'];
const REGIONS = ['us-east-1', 'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const TAG_VALUES: Record<string, readonly string[]> = {
  team: TEAM_WORDS,
  'cost-center': ['CC-1001', 'CC-1002', 'CC-2040', 'CC-3300', 'CC-7781'],
  owner: ['platform@acme.example', 'security@acme.example', 'data@acme.example', 'it@acme.example'],
  environment: ['prod', 'staging', 'dev', 'sandbox'],
  department: ['engineering', 'finance', 'operations', 'security', 'sales'],
  project: ['atlas', 'borealis', 'cygnus', 'draco', 'eridanus', 'fornax'],
  'managed-by': ['terraform', 'cloudformation', 'manual'],
};
const TAG_KEYS = Object.keys(TAG_VALUES);
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

type UserKind = 'human' | 'service';

/** Fixed groups first (the scenarios rely on them), then team groups. */
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

const NON_ADMIN_AWS = AWS_MANAGED_POLICIES.filter((p) => !p.adminEquivalent);
const NON_ADMIN_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => !p.adminEquivalent && !p.deniesAll);
const ADMIN_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => p.adminEquivalent);
const NON_ADMIN_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => !t.adminEquivalent && !t.deniesAll);
const ADMIN_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => t.adminEquivalent);
const DENY_CUSTOMER = CUSTOMER_POLICY_TEMPLATES.filter((p) => p.deniesAll);
const DENY_INLINE = INLINE_POLICY_TEMPLATES.filter((t) => t.deniesAll);

/** Per-account generation state. */
interface AccountBuild {
  rng: SeededRandom;
  account: EmuAccount;
  /** Whether each group makes its members admin (by construction). */
  groupIsAdmin: Map<string, boolean>;
  ordinaryGroups: string[];
  adminGroups: string[];
  userNames: Set<string>;
  previousCreateDates: number[];
  awsArn: (name: string) => string;
  customerArn: (name: string) => string;
  nonAdminManagedArns: string[];
  adminCustomerArns: Set<string>;
}

/** What a scenario forces on a user; everything else stays random. */
interface Scenario {
  groups?: string[];
  /** Keep some random non-admin groups next to the forced ones (default true). */
  extraGroups?: boolean;
  awsManaged?: string[];
  customer?: string[];
  inline?: string[];
  boundary?: { aws?: string; customer?: string } | null;
  mfa?: EmuMfaKind[];
  keys?: { status: 'Active' | 'Inactive'; used: boolean }[];
  login?: 'used' | 'unused' | 'none';
}

const SCENARIOS: readonly Scenario[] = [
  // Admins by each route.
  { groups: ['admins'] },
  { groups: ['admins'], extraGroups: false, mfa: ['virtual'] },
  { awsManaged: ['AdministratorAccess'] },
  ...ADMIN_CUSTOMER.map((p): Scenario => ({ customer: [p.name] })),
  { groups: ['platform-admins'] },
  { groups: ['ops-legacy'] },
  ...ADMIN_INLINE.map((t): Scenario => ({ inline: [t.name] })),
  { groups: ['break-glass'] },
  { groups: ['admins', 'break-glass'], awsManaged: ['AdministratorAccess'], inline: ['breakglass'] },
  // Decoy holders (no admin route at all).
  ...['PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'DatabaseAdministrator'].map(
    (name): Scenario => ({ awsManaged: [name], extraGroups: false }),
  ),
  ...CUSTOMER_POLICY_TEMPLATES.filter((p) => p.role === 'decoy').map((p): Scenario => ({
    customer: [p.name],
    extraGroups: false,
  })),
  ...INLINE_POLICY_TEMPLATES.filter((t) => t.role === 'decoy').map((t): Scenario => ({
    inline: [t.name],
    extraGroups: false,
  })),
  { groups: ['developers', 'iam-managers', 'data-engineering'], extraGroups: false },
  // Boundaries: blocking ones neutralise admins, allowing ones do not.
  { awsManaged: ['AdministratorAccess'], boundary: { customer: 'DeveloperBoundary' } },
  { groups: ['admins'], boundary: { customer: 'ContractorBoundary' } },
  { inline: ['breakglass'], boundary: { aws: 'PowerUserAccess' } },
  { groups: ['admins'], boundary: { customer: 'BoundaryAllowAll' } },
  { customer: ['PlatformFullAccess'], boundary: { aws: 'AdministratorAccess' } },
  { groups: ['readonly'], boundary: { customer: 'DeveloperBoundary' } },
  // No groups at all.
  { groups: [], extraGroups: false },
  { groups: [], extraGroups: false, awsManaged: ['ReadOnlyAccess'] },
  // MFA of each kind, and two devices.
  { mfa: ['virtual'] },
  { mfa: ['hardware'] },
  { mfa: ['u2f'] },
  { mfa: ['virtual', 'u2f'] },
  { mfa: ['u2f', 'u2f'] },
  { mfa: ['hardware', 'virtual'] },
  { mfa: [] },
  // Keys: two of them, inactive, never used.
  {
    keys: [
      { status: 'Active', used: true },
      { status: 'Inactive', used: true },
    ],
  },
  {
    keys: [
      { status: 'Active', used: true },
      { status: 'Active', used: false },
    ],
  },
  { keys: [{ status: 'Active', used: false }], login: 'none' },
  // Disabled: no login profile and no active key.
  { keys: [], login: 'none' },
  { keys: [{ status: 'Inactive', used: true }], login: 'none' },
  {
    keys: [
      { status: 'Inactive', used: false },
      { status: 'Inactive', used: true },
    ],
    login: 'none',
    mfa: ['virtual'],
  },
  // Console: a profile never used, a profile used.
  { login: 'unused', keys: [] },
  { login: 'used' },
];

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

function makeManagedPolicy(
  rng: SeededRandom,
  arn: string,
  template: CatalogPolicy,
  awsManaged: boolean,
  createDate: number,
): EmuPolicy {
  const documents = [...(template.previousVersions ?? []), template.document];
  const versions = documents.map((document, i) => ({
    versionId: `v${i + 1}`,
    document,
    isDefault: i === documents.length - 1,
    createDate: createDate + i * 90 * DAY,
  }));
  const last = versions[versions.length - 1] as (typeof versions)[number];
  const policy: EmuPolicy = {
    arn,
    name: template.name,
    policyId: `ANPA${rng.base32(17)}`,
    path: template.path,
    awsManaged,
    createDate,
    updateDate: last.createDate,
    defaultVersionId: last.versionId,
    versions,
  };
  if (template.description !== undefined) policy.description = template.description;
  return policy;
}

function awsManagedPolicies(): Map<string, EmuPolicy> {
  // AWS managed policy ids are the same everywhere: derive them from the name, not the run's seed.
  const map = new Map<string, EmuPolicy>();
  for (const template of AWS_MANAGED_POLICIES) {
    const rng = new SeededRandom(mixSeed(...[...template.name].map((c) => c.charCodeAt(0))));
    const arn = awsManagedPolicyArn(template);
    map.set(arn, makeManagedPolicy(rng, arn, template, true, Date.UTC(2015, 1, 6, 18, 39, 46)));
  }
  return map;
}

function randomDate(rng: SeededRandom, from: number, to: number): number {
  return secondsFloor(from + rng.next() * Math.max(0, to - from));
}

function makeGroups(b: AccountBuild, count: number): void {
  const { rng, account } = b;
  const specs: GroupSpec[] = FIXED_GROUPS.slice(0, count);
  const used = new Set(specs.map((s) => s.name));
  let round = 1;
  while (specs.length < count) {
    for (const word of rng.shuffle([...TEAM_WORDS])) {
      if (specs.length >= count) break;
      const name = round === 1 ? `team-${word}` : `team-${word}-${round}`;
      if (used.has(name)) continue;
      used.add(name);
      specs.push({
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
      });
    }
    round++;
  }
  for (const spec of specs) {
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

function mfaDevice(
  b: AccountBuild,
  userName: string,
  kind: EmuMfaKind,
  index: number,
  from: number,
): EmuMfaDevice {
  const { rng, account } = b;
  const enableDate = randomDate(rng, from, GENERATOR_REFERENCE_TIME);
  switch (kind) {
    case 'virtual':
      return {
        kind,
        serial: `arn:aws:iam::${account.id}:mfa/${index === 0 ? userName : `${userName}-${index + 1}`}`,
        enableDate,
      };
    case 'hardware':
      return { kind, serial: `GAHT${rng.digits(8)}`, enableDate };
    case 'u2f':
      return {
        kind,
        serial: `arn:aws:iam::${account.id}:u2f/user/${userName}/${rng.pick(['default', 'yubikey', 'passkey'])}-${rng.base32(26)}`,
        enableDate,
      };
  }
}

function accessKey(
  b: AccountBuild,
  status: 'Active' | 'Inactive',
  used: boolean,
  from: number,
): EmuAccessKey {
  const { rng } = b;
  const createDate = randomDate(rng, from, GENERATOR_REFERENCE_TIME - DAY);
  const key: EmuAccessKey = {
    accessKeyId: `AKIA${rng.base32(16)}`,
    secretAccessKey: rng.string(40, SECRET_ALPHABET),
    status,
    createDate,
  };
  if (used) {
    key.lastUsed = {
      date: randomDate(rng, createDate, GENERATOR_REFERENCE_TIME),
      serviceName: rng.pick(SERVICES),
      region: rng.pick(REGIONS),
    };
  }
  return key;
}

function randomTags(rng: SeededRandom): EmuTag[] {
  const count = rng.weighted([
    [0, 8],
    [1, 5],
    [2, 4],
    [3, 2],
    [4, 1],
  ]);
  return rng.sample(TAG_KEYS, count).map((key) => ({ Key: key, Value: rng.pick(TAG_VALUES[key] ?? ['x']) }));
}

function makeUser(b: AccountBuild, scenario: Scenario | undefined): EmuUser {
  const { rng, account } = b;
  const kind: UserKind = scenario === undefined && rng.chance(0.08) ? 'service' : 'human';
  const userName = uniqueUserName(b, kind);
  const path =
    kind === 'service'
      ? '/service-accounts/'
      : rng.weighted([
          ['/', 45],
          ['/engineering/', 20],
          ['/engineering/backend/', 5],
          ['/ops/', 10],
          ['/contractors/', 8],
          ['/finance/', 4],
        ]);
  // Several users share the exact same CreateDate second: incremental checkpoints must cope.
  const createDate =
    b.previousCreateDates.length > 0 && rng.chance(0.12)
      ? rng.pick(b.previousCreateDates)
      : randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 2 * DAY);
  if (b.previousCreateDates.length < 64) b.previousCreateDates.push(createDate);
  else b.previousCreateDates[rng.int(0, 63)] = createDate;

  // Groups.
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

  // Policies attached to or embedded in the user.
  const attached: string[] = [];
  const inline: InlineTemplate[] = [];
  if (scenario !== undefined) {
    attached.push(
      ...(scenario.awsManaged ?? []).map(b.awsArn),
      ...(scenario.customer ?? []).map(b.customerArn),
    );
    inline.push(...(scenario.inline ?? []).map(findInlineTemplate));
  } else {
    if (rng.chance(0.12)) {
      attached.push(...rng.sample(b.nonAdminManagedArns, rng.int(1, 2)));
    }
    if (rng.chance(0.005)) attached.push(b.awsArn('AdministratorAccess'));
    if (rng.chance(0.005)) attached.push(b.customerArn(rng.pick(ADMIN_CUSTOMER).name));
    if (rng.chance(0.08)) inline.push(rng.pick(NON_ADMIN_INLINE));
    if (rng.chance(0.004)) inline.push(rng.pick(ADMIN_INLINE));
    // Deny-all decoys only go to users with no admin route: "Allow * on *" plus "Deny *" has no
    // single right answer under the documented rule, so the dataset avoids it.
    const adminReachable =
      groups.some((g) => b.groupIsAdmin.get(g)) ||
      attached.includes(b.awsArn('AdministratorAccess')) ||
      attached.some((arn) => b.adminCustomerArns.has(arn)) ||
      inline.some((t) => t.adminEquivalent);
    if (!adminReachable && rng.chance(0.01)) {
      if (rng.chance(0.5)) attached.push(b.customerArn(rng.pick(DENY_CUSTOMER).name));
      else inline.push(rng.pick(DENY_INLINE));
    }
  }
  const inlinePolicies: Record<string, string> = {};
  for (const t of inline) inlinePolicies[t.name] = t.document;

  // Boundary.
  let permissionsBoundaryArn: string | undefined;
  if (scenario?.boundary) {
    permissionsBoundaryArn = scenario.boundary.aws
      ? b.awsArn(scenario.boundary.aws)
      : b.customerArn(scenario.boundary.customer ?? '');
  } else if (scenario === undefined && rng.chance(0.03)) {
    permissionsBoundaryArn = rng.chance(0.75)
      ? b.customerArn(rng.pick(BOUNDARY_TEMPLATES).name)
      : b.awsArn(rng.pick(['AdministratorAccess', 'PowerUserAccess']));
  }

  // Console.
  const login =
    scenario?.login ??
    (kind === 'service'
      ? 'none'
      : rng.weighted<'used' | 'unused' | 'none'>([
          ['used', 45],
          ['unused', 15],
          ['none', 40],
        ]));
  let loginProfile: EmuUser['loginProfile'];
  let passwordLastUsed: number | undefined;
  if (login !== 'none') {
    const profileCreate = randomDate(
      rng,
      createDate,
      Math.min(createDate + 30 * DAY, GENERATOR_REFERENCE_TIME),
    );
    loginProfile = { createDate: profileCreate, passwordResetRequired: rng.chance(0.05) };
    if (login === 'used') passwordLastUsed = randomDate(rng, profileCreate, GENERATOR_REFERENCE_TIME);
  }

  // MFA.
  const mfaKinds: EmuMfaKind[] =
    scenario?.mfa ??
    (kind === 'human' && rng.chance(0.6)
      ? rng.chance(0.08)
        ? [rng.pick<EmuMfaKind>(['virtual', 'u2f']), rng.pick<EmuMfaKind>(['u2f', 'hardware'])]
        : [
            rng.weighted<EmuMfaKind>([
              ['virtual', 70],
              ['hardware', 15],
              ['u2f', 15],
            ]),
          ]
      : []);
  const mfaDevices = mfaKinds.map((k, i) =>
    mfaDevice(b, userName, k, mfaKinds.slice(0, i).filter((x) => x === k).length, createDate),
  );

  // Access keys.
  const keySpecs =
    scenario?.keys ??
    Array.from(
      {
        length: rng.weighted(
          kind === 'service'
            ? [
                [1, 6],
                [2, 4],
              ]
            : [
                [0, 35],
                [1, 45],
                [2, 20],
              ],
        ),
      },
      () => ({
        status: rng.chance(0.8) ? ('Active' as const) : ('Inactive' as const),
        used: rng.chance(0.7),
      }),
    );
  const accessKeys = keySpecs.map((k) => accessKey(b, k.status, k.used, createDate));

  const user: EmuUser = {
    userName,
    userId: `AIDA${rng.base32(17)}`,
    arn: `arn:aws:iam::${account.id}:user${path}${userName}`,
    path,
    createDate,
    groups,
    attachedPolicyArns: attached,
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

interface RoleSpec {
  name: string;
  path: string;
  description: string;
  principals: { Service?: string[]; AWS?: string[]; Federated?: string[] };
  action?: string;
  externalId?: string;
  awsManaged: string[];
  maxSessionDuration?: number;
}

function roleSpecs(b: AccountBuild, mgmtId: string, opts: GeneratorOptions, count: number): RoleSpec[] {
  const { rng, account } = b;
  const readerName = opts.assumableRoleName ?? 'IamInventoryReader';
  const reader: RoleSpec = {
    name: readerName,
    path: '/',
    description: 'Read-only IAM inventory, assumed from the management account',
    principals: { AWS: [`arn:aws:iam::${mgmtId}:root`] },
    awsManaged: ['SecurityAudit', 'ReadOnlyAccess'],
    ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}),
  };
  const fixed: RoleSpec[] = [
    {
      name: 'AWSServiceRoleForSupport',
      path: '/aws-service-role/support.amazonaws.com/',
      description: 'Enables resource access for AWS to provide billing, administrative and support services',
      principals: { Service: ['support.amazonaws.com'] },
      awsManaged: [],
    },
    {
      name: 'ec2-app-instance-role',
      path: '/',
      description: 'Instance profile role for application servers',
      principals: { Service: ['ec2.amazonaws.com'] },
      awsManaged: ['CloudWatchReadOnlyAccess'],
    },
    {
      name: 'lambda-edge-router',
      path: '/service-role/',
      description: 'Lambda@Edge execution role',
      principals: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] },
      awsManaged: [],
    },
    {
      name: 'vendor-monitoring',
      path: '/',
      description: 'Third-party monitoring integration',
      principals: { AWS: ['arn:aws:iam::464622532012:root'] },
      externalId: `ext-${rng.hex(12)}`,
      awsManaged: ['ReadOnlyAccess'],
    },
    {
      name: 'okta-sso-admin',
      path: '/federation/',
      description: 'Federated administrators',
      principals: { Federated: [`arn:aws:iam::${account.id}:saml-provider/Okta`] },
      action: 'sts:AssumeRoleWithSAML',
      awsManaged: ['AdministratorAccess'],
      maxSessionDuration: 43200,
    },
    {
      name: 'ci-deployer',
      path: '/',
      description: 'Deployments from the CI account',
      principals: { AWS: [`arn:aws:iam::${mgmtId}:role/ci-runner`, `arn:aws:iam::${mgmtId}:root`] },
      awsManaged: ['PowerUserAccess'],
    },
  ];
  if (account.id !== mgmtId) {
    fixed.unshift({
      name: 'OrganizationAccountAccessRole',
      path: '/',
      description: 'Created by AWS Organizations',
      principals: { AWS: [`arn:aws:iam::${mgmtId}:root`] },
      awsManaged: ['AdministratorAccess'],
    });
  }
  const specs = [reader, ...fixed].slice(0, Math.max(1, count));
  const services = [
    'ecs-tasks.amazonaws.com',
    'lambda.amazonaws.com',
    'glue.amazonaws.com',
    'states.amazonaws.com',
  ];
  for (let i = 0; specs.length < count; i++) {
    const word = TEAM_WORDS[i % TEAM_WORDS.length] as string;
    specs.push({
      name:
        i < TEAM_WORDS.length
          ? `app-${word}-role`
          : `app-${word}-role-${Math.floor(i / TEAM_WORDS.length) + 1}`,
      path: '/service-role/',
      description: `Service role for ${word}`,
      principals: { Service: [rng.pick(services)] },
      awsManaged: rng.sample(NON_ADMIN_AWS, rng.int(0, 2)).map((p) => p.name),
    });
  }
  return specs;
}

function makeRoles(
  b: AccountBuild,
  mgmtId: string,
  opts: GeneratorOptions,
  truth: Map<string, ExpectedRole>,
): void {
  const { rng, account } = b;
  for (const spec of roleSpecs(b, mgmtId, opts, opts.rolesPerAccount ?? 10)) {
    const principal: Record<string, string | string[]> = {};
    const principals: string[] = [];
    for (const [kind, values] of Object.entries(spec.principals)) {
      principal[kind] = values.length === 1 ? (values[0] as string) : values;
      for (const v of values) principals.push(`${kind}:${v}`);
    }
    const statement: Record<string, unknown> = {
      Effect: 'Allow',
      Principal: principal,
      Action: spec.action ?? 'sts:AssumeRole',
    };
    if (spec.externalId !== undefined)
      statement.Condition = { StringEquals: { 'sts:ExternalId': spec.externalId } };
    const createDate = randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 30 * DAY);
    const role: EmuRole = {
      roleName: spec.name,
      roleId: `AROA${rng.base32(17)}`,
      arn: `arn:aws:iam::${account.id}:role${spec.path}${spec.name}`,
      path: spec.path,
      createDate,
      description: spec.description,
      maxSessionDuration: spec.maxSessionDuration ?? 3600,
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      attachedPolicyArns: spec.awsManaged.map(b.awsArn),
      inlinePolicies: {},
      tags: rng.chance(0.5) ? randomTags(rng) : [],
    };
    if (rng.chance(0.7)) {
      role.lastUsed = {
        date: randomDate(rng, createDate, GENERATOR_REFERENCE_TIME),
        region: rng.pick(REGIONS),
      };
    }
    account.roles.set(role.roleName, role);
    truth.set(role.arn, expectedRole(account, role, principals));
  }
}

function makeAccount(
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

  for (const template of [...CUSTOMER_POLICY_TEMPLATES, ...BOUNDARY_TEMPLATES]) {
    const arn = customerPolicyArn(id, template);
    const catalog: CatalogPolicy =
      'allowsAdmin' in template
        ? { ...template, adminEquivalent: template.allowsAdmin, role: 'ordinary' }
        : template;
    const created = randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 500 * DAY);
    account.policies.set(arn, makeManagedPolicy(rng, arn, catalog, false, created));
  }

  // Resolve names once: these are called for every user.
  const awsArns = new Map(AWS_MANAGED_POLICIES.map((p) => [p.name, awsManagedPolicyArn(p)]));
  const customerArns = new Map(
    [...CUSTOMER_POLICY_TEMPLATES, ...BOUNDARY_TEMPLATES].map((p) => [p.name, customerPolicyArn(id, p)]),
  );
  const b: AccountBuild = {
    nonAdminManagedArns: [
      ...NON_ADMIN_AWS.map((p) => awsManagedPolicyArn(p)),
      ...NON_ADMIN_CUSTOMER.map((p) => customerPolicyArn(id, p)),
    ],
    adminCustomerArns: new Set(ADMIN_CUSTOMER.map((p) => customerPolicyArn(id, p))),
    rng,
    account,
    groupIsAdmin: new Map(),
    ordinaryGroups: [],
    adminGroups: [],
    userNames: new Set(),
    previousCreateDates: [],
    awsArn: (name) => {
      const arn = awsArns.get(name);
      if (!arn) throw new Error(`unknown AWS managed policy ${name}`);
      return arn;
    },
    customerArn: (name) => {
      const arn = customerArns.get(name);
      if (!arn) throw new Error(`unknown customer policy ${name}`);
      return arn;
    },
  };

  makeGroups(b, opts.groupsPerAccount);

  // Scenario users sit at random positions so that every case exists in every account big enough.
  const usable = SCENARIOS.filter((s) => (s.groups ?? []).every((g) => account.groups.has(g)));
  const positions = rng.sample(
    Array.from({ length: opts.usersPerAccount }, (_, i) => i),
    Math.min(usable.length, opts.usersPerAccount),
  );
  const scenarioAt = new Map<number, Scenario>();
  positions.forEach((pos, i) => scenarioAt.set(pos, usable[i] as Scenario));
  for (let i = 0; i < opts.usersPerAccount; i++) {
    const user = makeUser(b, scenarioAt.get(i));
    account.users.set(user.userName, user);
  }
  makeRoles(b, mgmtId, opts, roleTruth);
}

function accountName(index: number): string {
  return ACCOUNT_NAMES[index] ?? `workload-${String(index).padStart(3, '0')}`;
}

function makeOrganization(world: EmuWorld, rng: SeededRandom, ids: string[]): EmuOrganization {
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

function makeIdentityStore(
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
  };
  const groupIds: string[] = [];
  for (let i = 0; i < groups; i++) {
    const base = IC_GROUPS[i % IC_GROUPS.length] as string;
    const displayName = i < IC_GROUPS.length ? base : `${base}${Math.floor(i / IC_GROUPS.length) + 1}`;
    const groupId = `${suffix}-${rng.uuid()}`;
    store.groups.set(groupId, { groupId, displayName, description: `${displayName} (synced from the IdP)` });
    groupIds.push(groupId);
  }
  const names = new Set<string>();
  for (let i = 0; i < users; i++) {
    const given = rng.pick(FIRST_NAMES);
    const family = rng.pick(LAST_NAMES);
    let local = `${given}.${family}`;
    while (names.has(local)) local = `${given}.${family}${rng.int(2, 999)}`;
    names.add(local);
    const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
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
      user.displayName = `${cap(given)} ${cap(family)}`;
      user.name = {
        givenName: cap(given),
        familyName: cap(family),
        formatted: `${cap(given)} ${cap(family)}`,
      };
    }
    store.users.set(userId, user);
    for (const groupId of rng.sample(
      groupIds,
      rng.weighted([
        [0, 2],
        [1, 4],
        [2, 3],
        [3, 1],
      ]),
    )) {
      store.memberships.set(`${suffix}-${rng.uuid()}`, { groupId, userId });
    }
  }
  return store;
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
    world.identityStores.set(store.identityStoreId, store);
  }
  const truth: GroundTruth =
    options.groundTruth === false
      ? { users: new Map(), roles: new Map(), identityCenterUsers: new Map() }
      : buildGroundTruth(world, roleTruth);
  return { world, truth };
}
