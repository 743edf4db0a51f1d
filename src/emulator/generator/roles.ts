// IAM roles: the assumable reader role every account has (trusting the management account), a fixed set
// of service, vendor, federated and CI roles, then app roles up to the requested count. Each role's
// expected identity is recorded as it is made.
import { expectedRole } from '../expected-identities.js';
import type { ExpectedRole } from '../ground-truth.js';
import type { EmuRole } from '../model.js';
import type { AccountBuild } from './account-build.js';
import { DAY, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME, randomDate } from './calendar.js';
import type { GeneratorOptions } from './generator-options.js';
import { NON_ADMIN_AWS } from './policy-pools.js';
import { randomTags } from './tags.js';
import { REGIONS, TEAM_WORDS } from './vocabulary.js';

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

function readerRoleSpec(mgmtId: string, opts: GeneratorOptions): RoleSpec {
  return {
    name: opts.assumableRoleName ?? 'IamInventoryReader',
    path: '/',
    description: 'Read-only IAM inventory, assumed from the management account',
    principals: { AWS: [`arn:aws:iam::${mgmtId}:root`] },
    awsManaged: ['SecurityAudit', 'ReadOnlyAccess'],
    ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}),
  };
}

/** Roles most accounts have; OrganizationAccountAccessRole exists in member accounts only. */
function fixedRoleSpecs(b: AccountBuild, mgmtId: string): RoleSpec[] {
  const { rng, account } = b;
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
  return fixed;
}

const APP_ROLE_SERVICES = [
  'ecs-tasks.amazonaws.com',
  'lambda.amazonaws.com',
  'glue.amazonaws.com',
  'states.amazonaws.com',
];

function roleSpecs(b: AccountBuild, mgmtId: string, opts: GeneratorOptions, count: number): RoleSpec[] {
  const { rng } = b;
  const specs = [readerRoleSpec(mgmtId, opts), ...fixedRoleSpecs(b, mgmtId)].slice(0, Math.max(1, count));
  for (let i = 0; specs.length < count; i++) {
    const word = TEAM_WORDS[i % TEAM_WORDS.length] as string;
    specs.push({
      name:
        i < TEAM_WORDS.length
          ? `app-${word}-role`
          : `app-${word}-role-${Math.floor(i / TEAM_WORDS.length) + 1}`,
      path: '/service-role/',
      description: `Service role for ${word}`,
      principals: { Service: [rng.pick(APP_ROLE_SERVICES)] },
      awsManaged: rng.sample(NON_ADMIN_AWS, rng.int(0, 2)).map((p) => p.name),
    });
  }
  return specs;
}

/** The trust policy document, and its principals as "<kind>:<value>" for the ground truth. */
function trustPolicy(spec: RoleSpec): { document: string; principals: string[] } {
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
  return { document: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), principals };
}

export function makeRoles(
  b: AccountBuild,
  mgmtId: string,
  opts: GeneratorOptions,
  truth: Map<string, ExpectedRole>,
): void {
  const { rng, account } = b;
  for (const spec of roleSpecs(b, mgmtId, opts, opts.rolesPerAccount ?? 10)) {
    const trust = trustPolicy(spec);
    const createDate = randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 30 * DAY);
    const role: EmuRole = {
      roleName: spec.name,
      roleId: `AROA${rng.base32(17)}`,
      arn: `arn:aws:iam::${account.id}:role${spec.path}${spec.name}`,
      path: spec.path,
      createDate,
      description: spec.description,
      maxSessionDuration: spec.maxSessionDuration ?? 3600,
      assumeRolePolicyDocument: trust.document,
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
    truth.set(role.arn, expectedRole(account, role, trust.principals));
  }
}
