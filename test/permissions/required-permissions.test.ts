import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probedActions } from '../../src/permissions/index.js';
import { CHANGE_QUEUE_ACTIONS } from '../../src/permissions/required-permissions.js';
import {
  assumeRoleResources,
  leastPrivilegePolicy,
  requiredPermissions,
} from '../../src/permissions/index.js';
import { everyFeatureConfig, fixtureConfig } from '../cli/check-config-fixture.js';

const SERVICE_OF_PACKAGE: Record<string, string> = {
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-identitystore': 'identitystore',
  'client-sso-admin': 'sso',
  'client-sqs': 'sqs',
};

/** Every "service:Action" the collector sends, read from its `new XCommand(` expressions and their imports. */
function collectorActions(): Set<string> {
  const dir = join(process.cwd(), 'src/collector');
  const actions = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const local = new Map<string, string>();
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z-]+)'/g)) {
      const service = SERVICE_OF_PACKAGE[m[2] as string];
      if (service === undefined) continue;
      for (const spec of (m[1] as string).split(',')) {
        const [imported, alias] = spec
          .replace(/\btype\b/, '')
          .trim()
          .split(/\s+as\s+/);
        if (imported?.endsWith('Command'))
          local.set((alias ?? imported).trim(), `${service}:${imported.replace(/Command$/, '')}`);
      }
    }
    for (const m of text.matchAll(/new\s+([A-Za-z]+Command)\s*\(/g)) {
      const action = local.get(m[1] as string);
      if (action === undefined) throw new Error(`${file}: ${m[1]} is not imported from an AWS SDK client`);
      actions.add(action);
    }
  }
  return actions;
}

describe('required permissions', () => {
  it('match exactly the calls the collector makes when every feature is on', () => {
    // GetCallerIdentity needs no permission (it cannot be denied); AssumeRole is its own statement.
    const all = [...collectorActions()];
    // The change queue's actions are their own statement, on the queue (see the policy test).
    const used = all.filter((a) => a !== 'sts:GetCallerIdentity' && !a.startsWith('sqs:')).sort();
    expect(requiredPermissions(everyFeatureConfig())).toEqual(used);
    // A batch action is authorized by its single action (DeleteMessageBatch by sqs:DeleteMessage).
    for (const a of all.filter((x) => x.startsWith('sqs:')))
      expect(CHANGE_QUEUE_ACTIONS).toContain(a.replace(/Batch$/, ''));
  });

  it('are all probed by check', () => {
    const probed = new Set(probedActions());
    for (const action of requiredPermissions(everyFeatureConfig()))
      expect(probed.has(action) ? action : `unprobed ${action}`).toBe(action);
  });

  it('are only read actions', () => {
    for (const action of requiredPermissions(everyFeatureConfig())) {
      expect(action).toMatch(/^[a-z-]+:(List|Get|Describe|Generate)[A-Za-z]+$/);
    }
  });

  it('grow with each feature by exactly its permissions', () => {
    const base = requiredPermissions(fixtureConfig(undefined));
    expect(base).toEqual([
      'iam:GetAccountSummary',
      'iam:GetGroup',
      'iam:ListAccountAliases',
      'iam:ListAttachedGroupPolicies',
      'iam:ListAttachedUserPolicies',
      'iam:ListGroupPolicies',
      'iam:ListGroups',
      'iam:ListGroupsForUser',
      'iam:ListMFADevices',
      'iam:ListUserPolicies',
      'iam:ListUsers',
    ]);
    const added = (o: Parameters<typeof fixtureConfig>[1]) =>
      requiredPermissions(fixtureConfig(undefined, o)).filter((a) => !base.includes(a));
    // bulk keeps the per-user reads: it falls back to them for identities GAAD did not see.
    expect(added({ collector: { strategy: 'bulk' } })).toEqual(['iam:GetAccountAuthorizationDetails']);
    expect(added({ collector: { strategy: 'auto', mfa_source: 'credential_report' } })).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetCredentialReport',
      'iam:ListVirtualMFADevices',
    ]);
    // per-user takes credentials from the report too.
    expect(added({ collector: { strategy: 'per-user', mfa_source: 'credential_report' } })).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'iam:ListVirtualMFADevices',
    ]);
    expect(added({ collector: { access_keys: true } })).toEqual([
      'iam:GetAccessKeyLastUsed',
      'iam:ListAccessKeys',
    ]);
    expect(added({ collector: { login_profile: true } })).toEqual(['iam:GetLoginProfile']);
    expect(added({ collector: { tags: true } })).toEqual(['iam:GetUser']);
    // GetUser: the permissions boundary of users whose policies make them Admin.
    expect(added({ collector: { admin_analysis: true } })).toEqual([
      'iam:GetGroupPolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:GetUser',
      'iam:GetUserPolicy',
    ]);
    expect(added({ collector: { include_roles: true } })).toEqual([
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      'iam:ListRoles',
    ]);
    expect(added({ identity_center: { enabled: true, access: false } })).toEqual([
      'identitystore:ListGroupMemberships',
      'identitystore:ListGroupMembershipsForMember',
      'identitystore:ListGroups',
      'identitystore:ListUsers',
      'sso:ListInstances',
    ]);
    expect(
      added({ identity_center: { enabled: true, access: false, identity_store_id: 'd-1234567890' } }),
    ).not.toContain('sso:ListInstances');
  });

  it('prints a policy with sts:AssumeRole on the member roles', () => {
    const config = fixtureConfig(undefined, {
      aws: {
        accounts: [
          { id: '222222222222', role_name: 'IamInventoryRead' },
          { id: '333333333333', role_arn: 'arn:aws:iam::333333333333:role/custom/Reader' },
        ],
      },
    });
    expect(assumeRoleResources(config)).toEqual([
      'arn:aws:iam::222222222222:role/IamInventoryRead',
      'arn:aws:iam::333333333333:role/custom/Reader',
    ]);
    const policy = leastPrivilegePolicy(config);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement[0]).toMatchObject({ Sid: 'IamInventoryRead', Effect: 'Allow', Resource: '*' });
    expect(policy.Statement[1]).toMatchObject({ Sid: 'IamInventoryAssumeRole', Action: 'sts:AssumeRole' });
    const org = leastPrivilegePolicy(everyFeatureConfig());
    expect(org.Statement[1]?.Resource).toEqual(['arn:aws:iam::*:role/IamInventoryRead']);
    expect(leastPrivilegePolicy(fixtureConfig(undefined)).Statement).toHaveLength(1);
  });
});
