// AWS Organizations over AWS JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.<Action>). Listing is for
// the management account; any member may describe its organization, as in AWS.
import type { EmuOrgAccount, EmuOrganization, EmuOrgUnit } from '../model.js';
import { EmuError, type EmuRequestContext, type JsonServiceModule } from '../service.js';
import { paginate, type PageLimits } from './json-paging.js';

const invalidInput = (message: string): EmuError => new EmuError('InvalidInputException', message, 400);

function limits(scope: string): PageLimits {
  return { scope, defaultMaxResults: 20, maxMaxResults: 20, invalid: invalidInput };
}

const seconds = (ms: number): number => ms / 1000;

function memberOrganization(ctx: EmuRequestContext): EmuOrganization {
  const org = ctx.world.organization;
  if (!org || !org.accounts.has(ctx.accountId)) {
    throw new EmuError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
      400,
    );
  }
  return org;
}

function managedOrganization(ctx: EmuRequestContext): EmuOrganization {
  const org = memberOrganization(ctx);
  if (org.managementAccountId !== ctx.accountId) {
    throw new EmuError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
  }
  return org;
}

function orgArn(org: EmuOrganization): string {
  return `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`;
}

function accountShape(org: EmuOrganization, a: EmuOrgAccount): Record<string, unknown> {
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.id === org.managementAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: seconds(a.joinedTimestamp),
  };
}

/** "o-xxx/r-xxx/ou-a/ou-b/" as the Path field of newer API versions. */
function ouPath(org: EmuOrganization, ou: EmuOrgUnit): string {
  const chain: string[] = [];
  let current: EmuOrgUnit | undefined = ou;
  while (current) {
    chain.unshift(current.id);
    current = org.ous.get(current.parentId);
  }
  return `${org.id}/${org.rootId}/${chain.join('/')}/`;
}

function requireParent(org: EmuOrganization, body: Record<string, unknown>): string {
  const parentId = body.ParentId;
  if (typeof parentId !== 'string' || parentId === '') {
    throw invalidInput('You provided a value that does not match the required pattern: ParentId.');
  }
  if (parentId !== org.rootId && !org.ous.has(parentId)) {
    throw new EmuError(
      'ParentNotFoundException',
      "We can't find a root or OU with the ParentId that you specified.",
      400,
    );
  }
  return parentId;
}

const POLICY_TYPES = [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }];

export const organizationsService: JsonServiceModule = {
  protocol: 'json',
  signingName: 'organizations',
  targetPrefix: 'AWSOrganizationsV20161128',
  actions: {
    DescribeOrganization: (_body, ctx) => {
      const org = memberOrganization(ctx);
      const mgmt = org.accounts.get(org.managementAccountId);
      return {
        Organization: {
          Id: org.id,
          Arn: orgArn(org),
          FeatureSet: 'ALL',
          MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
          MasterAccountId: org.managementAccountId,
          MasterAccountEmail: mgmt?.email,
          AvailablePolicyTypes: POLICY_TYPES,
        },
      };
    },
    ListRoots: (body, ctx) => {
      const org = managedOrganization(ctx);
      const roots = [
        {
          Id: org.rootId,
          Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`,
          Name: 'Root',
          PolicyTypes: POLICY_TYPES,
        },
      ];
      const page = paginate(roots, body, limits('ListRoots'));
      return { Roots: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
    ListAccounts: (body, ctx) => {
      const org = managedOrganization(ctx);
      const page = paginate([...org.accounts.values()], body, limits('ListAccounts'));
      return {
        Accounts: page.items.map((a) => accountShape(org, a)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
    ListAccountsForParent: (body, ctx) => {
      const org = managedOrganization(ctx);
      const parentId = requireParent(org, body);
      const children = [...org.accounts.values()].filter((a) => a.parentId === parentId);
      const page = paginate(children, body, limits(`ListAccountsForParent:${parentId}`));
      return {
        Accounts: page.items.map((a) => accountShape(org, a)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
    ListOrganizationalUnitsForParent: (body, ctx) => {
      const org = managedOrganization(ctx);
      const parentId = requireParent(org, body);
      const children = [...org.ous.values()].filter((ou) => ou.parentId === parentId);
      const page = paginate(children, body, limits(`ListOrganizationalUnitsForParent:${parentId}`));
      return {
        OrganizationalUnits: page.items.map((ou) => ({
          Id: ou.id,
          Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.id}`,
          Name: ou.name,
          Path: ouPath(org, ou),
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
