// Changes to a world, for tests and the emulator's admin HTTP path. Unknown names raise NoSuchEntity
// (404) as IAM does. Ids come from the world's seeded sequence, so a replayed test gets the same ids.
import type {
  EmuAccessKey,
  EmuAccount,
  EmuCredential,
  EmuGroup,
  EmuIdentityStoreUser,
  EmuMfaKind,
  EmuPolicyVersion,
  EmuTag,
  EmuUser,
  EmuWorld,
} from './model.js';
import { SeededRandom, mixSeed } from './random.js';
import { EmuError } from './service.js';

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const MAX_ACCESS_KEYS = 2;

const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** A fresh generator for one mutation, derived from the world's sequence. */
export function nextRandom(world: EmuWorld): SeededRandom {
  world.idSequence ??= { seed: 0x5eed, next: 0 };
  const n = world.idSequence.next++;
  return new SeededRandom(mixSeed(world.idSequence.seed, n));
}

function noSuchEntity(message: string): EmuError {
  return new EmuError('NoSuchEntity', message, 404);
}

function getAccount(world: EmuWorld, accountId: string): EmuAccount {
  const account = world.accounts.get(accountId);
  if (!account) throw noSuchEntity(`The account ${accountId} cannot be found.`);
  return account;
}

function getUser(account: EmuAccount, userName: string): EmuUser {
  const user = account.users.get(userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

function getGroup(account: EmuAccount, groupName: string): EmuGroup {
  const group = account.groups.get(groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

function requirePolicy(world: EmuWorld, account: EmuAccount, policyArn: string): void {
  if (!world.awsManagedPolicies.has(policyArn) && !account.policies.has(policyArn)) {
    throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  }
}

export function createUser(
  world: EmuWorld,
  accountId: string,
  input: { userName: string; path?: string | undefined; createDate?: number | undefined },
): EmuUser {
  const account = getAccount(world, accountId);
  if (account.users.has(input.userName)) {
    throw new EmuError('EntityAlreadyExists', `User with name ${input.userName} already exists.`, 409);
  }
  const path = input.path ?? '/';
  const rng = nextRandom(world);
  const user: EmuUser = {
    userName: input.userName,
    userId: `AIDA${rng.base32(17)}`,
    arn: `arn:aws:iam::${accountId}:user${path}${input.userName}`,
    path,
    createDate: wholeSeconds(input.createDate ?? Date.now()),
    groups: [],
    attachedPolicyArns: [],
    inlinePolicies: {},
    mfaDevices: [],
    accessKeys: [],
    tags: [],
  };
  account.users.set(user.userName, user);
  return user;
}

export function deleteUser(world: EmuWorld, accountId: string, userName: string): void {
  const account = getAccount(world, accountId);
  getUser(account, userName);
  account.users.delete(userName);
}

export function addUserToGroup(
  world: EmuWorld,
  accountId: string,
  userName: string,
  groupName: string,
): void {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  getGroup(account, groupName);
  if (!user.groups.includes(groupName)) user.groups.push(groupName);
}

export function removeUserFromGroup(
  world: EmuWorld,
  accountId: string,
  userName: string,
  groupName: string,
): void {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  getGroup(account, groupName);
  const i = user.groups.indexOf(groupName);
  if (i < 0) throw noSuchEntity(`User ${userName} is not in group ${groupName}.`);
  user.groups.splice(i, 1);
}

function attach(list: string[], policyArn: string): void {
  if (!list.includes(policyArn)) list.push(policyArn);
}

function detach(list: string[], policyArn: string, holder: string): void {
  const i = list.indexOf(policyArn);
  if (i < 0) throw noSuchEntity(`Policy ${policyArn} was not found attached to ${holder}.`);
  list.splice(i, 1);
}

export function attachUserPolicy(
  world: EmuWorld,
  accountId: string,
  userName: string,
  policyArn: string,
): void {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  requirePolicy(world, account, policyArn);
  attach(user.attachedPolicyArns, policyArn);
}

export function detachUserPolicy(
  world: EmuWorld,
  accountId: string,
  userName: string,
  policyArn: string,
): void {
  const account = getAccount(world, accountId);
  detach(getUser(account, userName).attachedPolicyArns, policyArn, `user ${userName}`);
}

export function attachGroupPolicy(
  world: EmuWorld,
  accountId: string,
  groupName: string,
  policyArn: string,
): void {
  const account = getAccount(world, accountId);
  const group = getGroup(account, groupName);
  requirePolicy(world, account, policyArn);
  attach(group.attachedPolicyArns, policyArn);
}

export function detachGroupPolicy(
  world: EmuWorld,
  accountId: string,
  groupName: string,
  policyArn: string,
): void {
  const account = getAccount(world, accountId);
  detach(getGroup(account, groupName).attachedPolicyArns, policyArn, `group ${groupName}`);
}

/** Enables a new device of the given kind and returns its serial number. */
export function enableMfaDevice(
  world: EmuWorld,
  accountId: string,
  userName: string,
  kind: EmuMfaKind,
): string {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  const rng = nextRandom(world);
  let serial: string;
  switch (kind) {
    case 'virtual': {
      const taken = new Set(user.mfaDevices.map((d) => d.serial));
      let n = 1;
      serial = `arn:aws:iam::${accountId}:mfa/${userName}`;
      while (taken.has(serial)) serial = `arn:aws:iam::${accountId}:mfa/${userName}-${++n}`;
      break;
    }
    case 'hardware':
      serial = `GAHT${rng.digits(8)}`;
      break;
    case 'u2f':
      serial = `arn:aws:iam::${accountId}:u2f/user/${userName}/default-${rng.base32(26)}`;
      break;
  }
  user.mfaDevices.push({ serial, kind, enableDate: wholeSeconds(Date.now()) });
  return serial;
}

export function removeMfaDevice(world: EmuWorld, accountId: string, userName: string, serial: string): void {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  const i = user.mfaDevices.findIndex((d) => d.serial === serial);
  if (i < 0) throw noSuchEntity(`MFA device ${serial} is not enabled for user ${userName}.`);
  user.mfaDevices.splice(i, 1);
}

export function createAccessKey(world: EmuWorld, accountId: string, userName: string): EmuAccessKey {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  if (user.accessKeys.length >= MAX_ACCESS_KEYS) {
    throw new EmuError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`, 409);
  }
  const rng = nextRandom(world);
  const key: EmuAccessKey = {
    accessKeyId: `AKIA${rng.base32(16)}`,
    secretAccessKey: rng.string(40, SECRET_ALPHABET),
    status: 'Active',
    createDate: wholeSeconds(Date.now()),
  };
  user.accessKeys.push(key);
  return key;
}

export function setAccessKeyStatus(
  world: EmuWorld,
  accountId: string,
  userName: string,
  accessKeyId: string,
  status: 'Active' | 'Inactive',
): void {
  const account = getAccount(world, accountId);
  const user = getUser(account, userName);
  const key = user.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  key.status = status;
}

/** Replaces the primary email (adds one when the user has none). */
export function setIdentityStoreUserEmail(
  world: EmuWorld,
  identityStoreId: string,
  userId: string,
  email: string,
): EmuIdentityStoreUser {
  const store = world.identityStores.get(identityStoreId);
  if (!store) throw noSuchEntity(`Identity store ${identityStoreId} cannot be found.`);
  const user = store.users.get(userId);
  if (!user) throw noSuchEntity(`User ${userId} cannot be found in ${identityStoreId}.`);
  const primary = user.emails.find((e) => e.primary);
  if (primary) primary.value = email;
  else user.emails.unshift({ value: email, type: 'work', primary: true });
  return user;
}

export function addCredential(world: EmuWorld, credential: EmuCredential): void {
  world.credentials.set(credential.accessKeyId, credential);
}

export function deleteAccessKey(
  world: EmuWorld,
  accountId: string,
  userName: string,
  accessKeyId: string,
): void {
  const user = getUser(getAccount(world, accountId), userName);
  const i = user.accessKeys.findIndex((k) => k.accessKeyId === accessKeyId);
  if (i < 0) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  user.accessKeys.splice(i, 1);
}

/** Adds the tags, replacing the value of a key the user already has (TagUser). */
export function tagUser(world: EmuWorld, accountId: string, userName: string, tags: readonly EmuTag[]): void {
  const user = getUser(getAccount(world, accountId), userName);
  for (const tag of tags) {
    const existing = user.tags.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else user.tags.push({ Key: tag.Key, Value: tag.Value });
  }
  if (user.tags.length > 50) throw new EmuError('LimitExceeded', 'A user has at most 50 tags.', 409);
}

/**
 * A new default version of a customer managed policy with the current default's document (CreatePolicyVersion
 * with SetAsDefault): ground truth labels a policy by its name, so the document keeps its meaning.
 */
export function createPolicyVersion(world: EmuWorld, accountId: string, policyArn: string): EmuPolicyVersion {
  const policy = getAccount(world, accountId).policies.get(policyArn);
  if (!policy) throw noSuchEntity(`Policy ${policyArn} does not exist.`);
  if (policy.versions.length >= 5) {
    throw new EmuError('LimitExceeded', `A managed policy can have up to 5 versions: ${policyArn}.`, 409);
  }
  const current = policy.versions.find((v) => v.isDefault);
  if (!current) throw new Error(`policy ${policyArn} has no default version`);
  const next = Math.max(...policy.versions.map((v) => Number(v.versionId.replace(/^v/, '')))) + 1;
  const version: EmuPolicyVersion = {
    versionId: `v${next}`,
    document: current.document,
    isDefault: true,
    createDate: wholeSeconds(Date.now()),
  };
  for (const v of policy.versions) v.isDefault = false;
  policy.versions.push(version);
  policy.defaultVersionId = version.versionId;
  policy.updateDate = version.createDate;
  return version;
}

export function deleteRole(world: EmuWorld, accountId: string, roleName: string): void {
  const account = getAccount(world, accountId);
  if (!account.roles.delete(roleName)) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
}

/** Deletes an Identity Store user and its group memberships. */
export function deleteIdentityStoreUser(world: EmuWorld, identityStoreId: string, userId: string): void {
  const store = world.identityStores.get(identityStoreId);
  if (!store) throw noSuchEntity(`Identity store ${identityStoreId} cannot be found.`);
  if (!store.users.delete(userId))
    throw noSuchEntity(`User ${userId} cannot be found in ${identityStoreId}.`);
  for (const [id, m] of store.memberships) if (m.userId === userId) store.memberships.delete(id);
}
