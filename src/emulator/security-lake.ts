// The Amazon Security Lake side of a custom source: the lake's bucket and the provider role Security Lake
// creates for the source (AmazonSecurityLake-Provider-<source>-<region>), which the source's writer assumes
// with the external id it was given.
import type { EmuRole, EmuWorld } from './model.js';
import { createBucket } from './services/s3.js';

export interface SecurityLakeSourceOptions {
  /** The account of the lake (its bucket and the provider role); created empty when the world lacks it. */
  lakeAccountId: string;
  bucket: string;
  sourceName: string;
  region: string;
  externalId: string;
  /** The account whose principals may assume the provider role (the writer's). */
  trustedAccountId: string;
}

export function providerRoleName(sourceName: string, region: string): string {
  return `AmazonSecurityLake-Provider-${sourceName}-${region}`;
}

/** Creates the lake bucket and the provider role; returns the role. */
export function addSecurityLakeSource(world: EmuWorld, o: SecurityLakeSourceOptions): EmuRole {
  createBucket(world, o.bucket);
  let account = world.accounts.get(o.lakeAccountId);
  if (account === undefined) {
    account = {
      id: o.lakeAccountId,
      users: new Map(),
      groups: new Map(),
      policies: new Map(),
      roles: new Map(),
      credentialReportDelayMs: 0,
    };
    world.accounts.set(o.lakeAccountId, account);
  }
  const roleName = providerRoleName(o.sourceName, o.region);
  const role: EmuRole = {
    roleName,
    roleId: `AROA${o.lakeAccountId}${o.sourceName.length}LAKE`.slice(0, 21).toUpperCase(),
    arn: `arn:aws:iam::${o.lakeAccountId}:role/${roleName}`,
    path: '/',
    createDate: Date.UTC(2026, 0, 1),
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${o.trustedAccountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': o.externalId } },
        },
      ],
    }),
    attachedPolicyArns: [],
    inlinePolicies: {},
    tags: [],
  };
  account.roles.set(roleName, role);
  return role;
}
