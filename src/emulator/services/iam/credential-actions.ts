// IAM credential actions: MFA devices (a user's, and the account's virtual ones) and access keys with when
// and where each was last used.
import type { EmuUser } from '../../model.js';
import { el, isoTime, members, raw } from '../../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryAction, type QueryParams } from '../../service.js';
import { userXml } from './entity-xml.js';
import { accountOf, enumParam, required, userOrCaller } from './lookups.js';
import { paginate, sortByKey } from './paging.js';

function listMfaDevices(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userOrCaller(params, ctx, accountOf(ctx));
  const devices = user === 'root' ? [] : sortByKey([...user.mfaDevices], (d) => d.serial);
  const page = paginate(devices, (d) => d.serial, 'ListMFADevices', params, ctx);
  const userName = user === 'root' ? undefined : user.userName;
  return (
    members(
      'MFADevices',
      page.items,
      (d) =>
        el('UserName', userName) + el('SerialNumber', d.serial) + el('EnableDate', isoTime(d.enableDate)),
    ) + page.xml
  );
}

function listVirtualMfaDevices(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const status = enumParam(params, 'AssignmentStatus', ['Unassigned', 'Any', 'Assigned'], 'Any');
  // Every modelled virtual device is assigned to its user; unassigned devices do not exist in the world.
  const devices: { user: EmuUser; serial: string; enableDate: number }[] = [];
  if (status !== 'Unassigned') {
    for (const user of account.users.values()) {
      for (const d of user.mfaDevices)
        if (d.kind === 'virtual') devices.push({ user, serial: d.serial, enableDate: d.enableDate });
    }
  }
  const page = paginate(
    sortByKey(devices, (d) => d.serial),
    (d) => d.serial,
    'ListVirtualMFADevices',
    params,
    ctx,
  );
  return (
    members(
      'VirtualMFADevices',
      page.items,
      (d) =>
        el('SerialNumber', d.serial) + raw('User', userXml(d.user)) + el('EnableDate', isoTime(d.enableDate)),
    ) + page.xml
  );
}

function listAccessKeys(params: QueryParams, ctx: EmuRequestContext): string {
  const user = userOrCaller(params, ctx, accountOf(ctx));
  const keys = user === 'root' ? [] : sortByKey([...user.accessKeys], (k) => k.accessKeyId);
  const page = paginate(keys, (k) => k.accessKeyId, 'ListAccessKeys', params, ctx);
  const userName = user === 'root' ? undefined : user.userName;
  return (
    members(
      'AccessKeyMetadata',
      page.items,
      (k) =>
        el('UserName', userName) +
        el('AccessKeyId', k.accessKeyId) +
        el('Status', k.status) +
        el('CreateDate', isoTime(k.createDate)),
    ) + page.xml
  );
}

function getAccessKeyLastUsed(params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  const keyId = required(params, 'AccessKeyId');
  for (const user of account.users.values()) {
    const key = user.accessKeys.find((k) => k.accessKeyId === keyId);
    if (key === undefined) continue;
    const lastUsed = key.lastUsed
      ? el('LastUsedDate', isoTime(key.lastUsed.date)) +
        el('ServiceName', key.lastUsed.serviceName) +
        el('Region', key.lastUsed.region)
      : el('ServiceName', 'N/A') + el('Region', 'N/A');
    return el('UserName', user.userName) + raw('AccessKeyLastUsed', lastUsed);
  }
  throw new EmuError(
    'AccessDenied',
    `The access key ${keyId} does not belong to this account or does not exist.`,
    403,
  );
}

export const credentialActions: Record<string, QueryAction> = {
  ListMFADevices: listMfaDevices,
  ListVirtualMFADevices: listVirtualMfaDevices,
  ListAccessKeys: listAccessKeys,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
