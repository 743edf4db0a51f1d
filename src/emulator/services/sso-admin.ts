// IAM Identity Center admin API over AWS JSON 1.1 (X-Amz-Target SWBExternalService.<Action>, signing
// name "sso"): only ListInstances, which is how a collector discovers its identity store id.
import type { JsonServiceModule } from '../service.js';
import { EmuError } from '../service.js';
import { paginate } from './json-paging.js';

export const ssoAdminService: JsonServiceModule = {
  protocol: 'json',
  signingName: 'sso',
  targetPrefix: 'SWBExternalService',
  actions: {
    ListInstances: (body, ctx) => {
      // An instance is visible from the account that owns it, in its region only.
      const instances = [...ctx.world.identityStores.values()].filter(
        (s) => s.accountId === ctx.accountId && s.region === ctx.region,
      );
      const page = paginate(instances, body, {
        scope: `ListInstances:${ctx.accountId}:${ctx.region}`,
        defaultMaxResults: 100,
        maxMaxResults: 100,
        invalid: (message) => new EmuError('ValidationException', message, 400),
      });
      return {
        Instances: page.items.map((s) => ({
          InstanceArn: s.instanceArn,
          IdentityStoreId: s.identityStoreId,
          OwnerAccountId: s.accountId,
          Status: 'ACTIVE',
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
