// Admin HTTP routes for the world mutations (mutations.ts). Each takes its arguments by name from the JSON
// body and answers JSON; unknown accounts, users, groups or policies answer 404 as the mutation raises them.
//
//   POST   /_emulator/users                {accountId, userName, path?, createDate?}  -> the user
//   DELETE /_emulator/users                {accountId, userName}
//   POST   /_emulator/group-memberships    {accountId, userName, groupName}
//   DELETE /_emulator/group-memberships    {accountId, userName, groupName}
//   POST   /_emulator/user-policies        {accountId, userName, policyArn}   attach a managed policy
//   DELETE /_emulator/user-policies        {accountId, userName, policyArn}   detach it
//   POST   /_emulator/group-policies       {accountId, groupName, policyArn}
//   DELETE /_emulator/group-policies       {accountId, groupName, policyArn}
//   POST   /_emulator/mfa-devices          {accountId, userName, kind: virtual|hardware|u2f} -> {serial}
//   DELETE /_emulator/mfa-devices          {accountId, userName, serial}
//   POST   /_emulator/access-keys          {accountId, userName}   -> {accessKeyId, status, createDate}
//   POST   /_emulator/access-keys/status   {accountId, userName, accessKeyId, status: Active|Inactive}
//   DELETE /_emulator/access-keys          {accountId, userName, accessKeyId}
//   POST   /_emulator/user-tags            {accountId, userName, tags: [{Key, Value}]}
//   POST   /_emulator/policy-versions      {accountId, policyArn}   -> the new default version
//   DELETE /_emulator/roles                {accountId, roleName}
//   POST   /_emulator/identity-store-users/email  {identityStoreId, userId, email}
//   DELETE /_emulator/identity-store-users {identityStoreId, userId}
import type { EmuMfaKind, EmuPolicyVersion, EmuTag, EmuUser, EmuWorld } from './model.js';
import type { CloudTrailWrite } from './sqs/change-feed.js';
import {
  addUserToGroup,
  attachGroupPolicy,
  attachUserPolicy,
  createAccessKey,
  createPolicyVersion,
  createUser,
  deleteAccessKey,
  deleteIdentityStoreUser,
  deleteRole,
  deleteUser,
  detachGroupPolicy,
  detachUserPolicy,
  enableMfaDevice,
  removeMfaDevice,
  removeUserFromGroup,
  setAccessKeyStatus,
  setIdentityStoreUserEmail,
  tagUser,
} from './mutations.js';

export interface AdminMutation {
  method: 'POST' | 'DELETE';
  path: string;
  run(world: EmuWorld, body: Record<string, unknown>): unknown;
  /** The CloudTrail record AWS would write for it (the change feed publishes it), from body and result. */
  cloudTrail?(body: Record<string, unknown>, result: unknown): CloudTrailWrite;
}

const iamWrite = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  responseElements?: Record<string, unknown>,
): CloudTrailWrite => ({ eventSource: 'iam.amazonaws.com', eventName, requestParameters, responseElements });

const field = (b: Record<string, unknown>, ...names: string[]): Record<string, unknown> =>
  Object.fromEntries(names.map((n) => [n, b[n]]));

function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new TypeError(`${name} must be a non-empty string`);
  return v;
}

function oneOf<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const v = str(body, name);
  if (!allowed.includes(v as T)) throw new TypeError(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

const MFA_KINDS: readonly EmuMfaKind[] = ['virtual', 'hardware', 'u2f'];

function tagList(body: Record<string, unknown>): EmuTag[] {
  const tags = body.tags;
  const valid = (t: unknown): t is EmuTag =>
    typeof t === 'object' &&
    t !== null &&
    typeof (t as EmuTag).Key === 'string' &&
    typeof (t as EmuTag).Value === 'string';
  if (!Array.isArray(tags) || !tags.every(valid))
    throw new TypeError('tags must be an array of {Key, Value}');
  return tags;
}

export const ADMIN_MUTATIONS: AdminMutation[] = [
  {
    method: 'POST',
    path: '/_emulator/users',
    cloudTrail: (b, r) => {
      const u = r as EmuUser;
      return iamWrite('CreateUser', field(b, 'userName', 'path'), {
        user: { userName: u.userName, userId: u.userId, arn: u.arn },
      });
    },
    run: (world, b) => {
      const createDate = b.createDate;
      if (createDate !== undefined && typeof createDate !== 'number')
        throw new TypeError('createDate must be epoch ms');
      return createUser(world, str(b, 'accountId'), {
        userName: str(b, 'userName'),
        path: typeof b.path === 'string' ? b.path : undefined,
        createDate,
      });
    },
  },
  {
    method: 'DELETE',
    path: '/_emulator/users',
    cloudTrail: (b) => iamWrite('DeleteUser', field(b, 'userName')),
    run: (w, b) => deleteUser(w, str(b, 'accountId'), str(b, 'userName')),
  },
  {
    method: 'POST',
    path: '/_emulator/group-memberships',
    cloudTrail: (b) => iamWrite('AddUserToGroup', field(b, 'groupName', 'userName')),
    run: (w, b) => addUserToGroup(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'groupName')),
  },
  {
    method: 'DELETE',
    path: '/_emulator/group-memberships',
    cloudTrail: (b) => iamWrite('RemoveUserFromGroup', field(b, 'groupName', 'userName')),
    run: (w, b) => removeUserFromGroup(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'groupName')),
  },
  {
    method: 'POST',
    path: '/_emulator/user-policies',
    cloudTrail: (b) => iamWrite('AttachUserPolicy', field(b, 'userName', 'policyArn')),
    run: (w, b) => attachUserPolicy(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'policyArn')),
  },
  {
    method: 'DELETE',
    path: '/_emulator/user-policies',
    cloudTrail: (b) => iamWrite('DetachUserPolicy', field(b, 'userName', 'policyArn')),
    run: (w, b) => detachUserPolicy(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'policyArn')),
  },
  {
    method: 'POST',
    path: '/_emulator/group-policies',
    cloudTrail: (b) => iamWrite('AttachGroupPolicy', field(b, 'groupName', 'policyArn')),
    run: (w, b) => attachGroupPolicy(w, str(b, 'accountId'), str(b, 'groupName'), str(b, 'policyArn')),
  },
  {
    method: 'DELETE',
    path: '/_emulator/group-policies',
    cloudTrail: (b) => iamWrite('DetachGroupPolicy', field(b, 'groupName', 'policyArn')),
    run: (w, b) => detachGroupPolicy(w, str(b, 'accountId'), str(b, 'groupName'), str(b, 'policyArn')),
  },
  {
    method: 'POST',
    path: '/_emulator/mfa-devices',
    cloudTrail: (b, r) =>
      iamWrite('EnableMFADevice', { userName: b.userName, serialNumber: (r as { serial: string }).serial }),
    run: (w, b) => ({
      serial: enableMfaDevice(w, str(b, 'accountId'), str(b, 'userName'), oneOf(b, 'kind', MFA_KINDS)),
    }),
  },
  {
    method: 'DELETE',
    path: '/_emulator/mfa-devices',
    cloudTrail: (b) => iamWrite('DeactivateMFADevice', { userName: b.userName, serialNumber: b.serial }),
    run: (w, b) => removeMfaDevice(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'serial')),
  },
  {
    method: 'POST',
    path: '/_emulator/access-keys',
    cloudTrail: (b, r) =>
      iamWrite('CreateAccessKey', field(b, 'userName'), {
        accessKey: { accessKeyId: (r as { accessKeyId: string }).accessKeyId, userName: b.userName },
      }),
    run: (w, b) => {
      // The secret stays inside the emulator: IAM users' keys are inventory data, not emulator credentials.
      const key = createAccessKey(w, str(b, 'accountId'), str(b, 'userName'));
      return { accessKeyId: key.accessKeyId, status: key.status, createDate: key.createDate };
    },
  },
  {
    method: 'POST',
    path: '/_emulator/access-keys/status',
    cloudTrail: (b) => iamWrite('UpdateAccessKey', field(b, 'userName', 'accessKeyId', 'status')),
    run: (w, b) =>
      setAccessKeyStatus(
        w,
        str(b, 'accountId'),
        str(b, 'userName'),
        str(b, 'accessKeyId'),
        oneOf(b, 'status', ['Active', 'Inactive']),
      ),
  },
  {
    method: 'DELETE',
    path: '/_emulator/access-keys',
    cloudTrail: (b) => iamWrite('DeleteAccessKey', field(b, 'userName', 'accessKeyId')),
    run: (w, b) => deleteAccessKey(w, str(b, 'accountId'), str(b, 'userName'), str(b, 'accessKeyId')),
  },
  {
    method: 'POST',
    path: '/_emulator/user-tags',
    cloudTrail: (b) => iamWrite('TagUser', field(b, 'userName', 'tags')),
    run: (w, b) => tagUser(w, str(b, 'accountId'), str(b, 'userName'), tagList(b)),
  },
  {
    method: 'POST',
    path: '/_emulator/policy-versions',
    cloudTrail: (b, r) =>
      iamWrite(
        'CreatePolicyVersion',
        { policyArn: b.policyArn, setAsDefault: true },
        { policyVersion: { versionId: (r as EmuPolicyVersion).versionId, isDefaultVersion: true } },
      ),
    run: (w, b) => createPolicyVersion(w, str(b, 'accountId'), str(b, 'policyArn')),
  },
  {
    method: 'DELETE',
    path: '/_emulator/roles',
    cloudTrail: (b) => iamWrite('DeleteRole', field(b, 'roleName')),
    run: (w, b) => deleteRole(w, str(b, 'accountId'), str(b, 'roleName')),
  },
  {
    method: 'POST',
    path: '/_emulator/identity-store-users/email',
    cloudTrail: (b) => ({
      eventSource: 'identitystore.amazonaws.com',
      eventName: 'UpdateUser',
      requestParameters: field(b, 'identityStoreId', 'userId'),
    }),
    run: (w, b) => setIdentityStoreUserEmail(w, str(b, 'identityStoreId'), str(b, 'userId'), str(b, 'email')),
  },
  {
    method: 'DELETE',
    path: '/_emulator/identity-store-users',
    cloudTrail: (b) => ({
      eventSource: 'identitystore.amazonaws.com',
      eventName: 'DeleteUser',
      requestParameters: field(b, 'identityStoreId', 'userId'),
    }),
    run: (w, b) => deleteIdentityStoreUser(w, str(b, 'identityStoreId'), str(b, 'userId')),
  },
];
