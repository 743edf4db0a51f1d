// Changes to Identity Center access, for tests (change detection) and the sso-admin write actions:
// account assignments created and deleted, permission set policies changed.
import type { EmuAccountAssignment, EmuIdentityStore, EmuPermissionSet, EmuRole, EmuWorld } from './model.js';
import { nextRandom } from './mutations.js';
import { EmuError } from './service.js';

function notFound(message: string): EmuError {
  return new EmuError('ResourceNotFoundException', message, 400);
}

function storeOf(world: EmuWorld, identityStoreId: string): EmuIdentityStore {
  const store = world.identityStores.get(identityStoreId);
  if (!store) throw notFound(`Identity store ${identityStoreId} cannot be found.`);
  return store;
}

function permissionSetOf(store: EmuIdentityStore, arn: string): EmuPermissionSet {
  const ps = store.permissionSets.get(arn);
  if (!ps) throw notFound(`Could not find PermissionSet with ARN ${arn}`);
  return ps;
}

const sameAssignment = (a: EmuAccountAssignment, b: EmuAccountAssignment): boolean =>
  a.accountId === b.accountId &&
  a.permissionSetArn === b.permissionSetArn &&
  a.principalType === b.principalType &&
  a.principalId === b.principalId;

/** Adds an assignment (no-op when it exists, as AWS answers SUCCEEDED for a duplicate). */
export function createAccountAssignment(
  world: EmuWorld,
  identityStoreId: string,
  assignment: EmuAccountAssignment,
): void {
  const store = storeOf(world, identityStoreId);
  permissionSetOf(store, assignment.permissionSetArn);
  if (!store.accountAssignments.some((a) => sameAssignment(a, assignment)))
    store.accountAssignments.push({ ...assignment });
}

export function deleteAccountAssignment(
  world: EmuWorld,
  identityStoreId: string,
  assignment: EmuAccountAssignment,
): void {
  const store = storeOf(world, identityStoreId);
  const i = store.accountAssignments.findIndex((a) => sameAssignment(a, assignment));
  if (i < 0) throw notFound('The account assignment does not exist');
  store.accountAssignments.splice(i, 1);
}

/** Sets (or, with undefined, deletes) a permission set's inline policy. */
export function putPermissionSetInlinePolicy(
  world: EmuWorld,
  identityStoreId: string,
  permissionSetArn: string,
  document: string | undefined,
): void {
  const ps = permissionSetOf(storeOf(world, identityStoreId), permissionSetArn);
  if (document === undefined) delete ps.inlinePolicy;
  else ps.inlinePolicy = document;
}

export function attachPermissionSetManagedPolicy(
  world: EmuWorld,
  identityStoreId: string,
  permissionSetArn: string,
  managedPolicyArn: string,
): void {
  const ps = permissionSetOf(storeOf(world, identityStoreId), permissionSetArn);
  if (!world.awsManagedPolicies.has(managedPolicyArn)) throw notFound(`Policy ${managedPolicyArn} not found`);
  if (!ps.managedPolicyArns.includes(managedPolicyArn)) ps.managedPolicyArns.push(managedPolicyArn);
}

/**
 * The IAM role Identity Center provisions for a permission set in an account:
 * AWSReservedSSO_<PermissionSetName>_<16 hex>, under /aws-reserved/sso.amazonaws.com/, trusting the
 * instance's SAML provider, with the permission set's AWS managed policies attached.
 */
export function provisionPermissionSetRole(
  world: EmuWorld,
  identityStoreId: string,
  accountId: string,
  permissionSetArn: string,
): EmuRole {
  const ps = permissionSetOf(storeOf(world, identityStoreId), permissionSetArn);
  const account = world.accounts.get(accountId);
  if (!account) throw notFound(`The account ${accountId} cannot be found.`);
  const rng = nextRandom(world);
  const roleName = `AWSReservedSSO_${ps.name}_${rng.hex(16)}`;
  const path = '/aws-reserved/sso.amazonaws.com/';
  const provider = `arn:aws:iam::${accountId}:saml-provider/AWSSSO_${rng.hex(16)}_DO_NOT_DELETE`;
  const role: EmuRole = {
    roleName,
    roleId: `AROA${rng.base32(17)}`,
    arn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
    path,
    createDate: Math.floor(ps.createdDate / 1000) * 1000,
    maxSessionDuration: 28800,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider },
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    }),
    attachedPolicyArns: [...ps.managedPolicyArns],
    inlinePolicies: ps.inlinePolicy !== undefined ? { AwsSSOInlinePolicy: ps.inlinePolicy } : {},
    tags: [],
  };
  account.roles.set(roleName, role);
  return role;
}
