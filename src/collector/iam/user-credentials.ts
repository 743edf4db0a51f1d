// A user's sign-in credentials as the IAM API lists them: MFA devices, access keys, login profile. Both
// strategies read them the same way; the bulk strategy only takes some facts from the credential report.
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  type AccessKeyMetadata,
} from '@aws-sdk/client-iam';
import { EnrichmentError, callAws } from '../aws/errors.js';
import { isNotFound } from '../aws/aws-error.js';
import { listAll, toMillis, type AccountReadContext } from './iam-requests.js';
import type { AccessKey, LoginProfile, MfaDevice, MfaDeviceType } from '../../identity/identity.js';
import { withSignal } from '../aws/call-signal.js';

/** MFA device type from the serial's form: virtual devices and FIDO keys have ARNs, hardware tokens do not. */
export function mfaTypeOfSerial(serial: string): MfaDeviceType {
  if (/^arn:[^:]+:iam::[^:]*:mfa\//.test(serial)) return 'virtual';
  if (/^arn:[^:]+:iam::[^:]*:u2f\//.test(serial)) return 'security_key';
  return 'hardware';
}

export async function readMfaDevices(ctx: AccountReadContext, UserName: string): Promise<MfaDevice[]> {
  const mfa = await listAll(
    'iam:ListMFADevices',
    (Marker) => ctx.iam.send(withSignal(new ListMFADevicesCommand({ UserName, Marker }), ctx.signal)),
    (p) => p.MFADevices,
  );
  return mfa.map((d) => {
    const serial = d.SerialNumber ?? '';
    const device: MfaDevice = { serial, type: mfaTypeOfSerial(serial) };
    const enableDate = toMillis(d.EnableDate);
    if (enableDate !== undefined) device.enableDate = enableDate;
    return device;
  });
}

/** A key's last use as known without GetAccessKeyLastUsed (from the credential report). */
export type KnownLastUse = Pick<AccessKey, 'lastUsedTime' | 'lastUsedService' | 'lastUsedRegion'>;

/**
 * The user's access keys with their last use: from `knownLastUse` when it knows the key, otherwise read
 * with GetAccessKeyLastUsed.
 */
export async function readAccessKeys(
  ctx: AccountReadContext,
  UserName: string,
  knownLastUse: (key: AccessKeyMetadata) => KnownLastUse | undefined = () => undefined,
): Promise<AccessKey[]> {
  const keys = await listAll(
    'iam:ListAccessKeys',
    (Marker) => ctx.iam.send(withSignal(new ListAccessKeysCommand({ UserName, Marker }), ctx.signal)),
    (p) => p.AccessKeyMetadata,
  );
  const out: AccessKey[] = [];
  for (const k of keys) {
    const AccessKeyId = k.AccessKeyId ?? '';
    const key: AccessKey = { id: AccessKeyId, status: k.Status === 'Active' ? 'Active' : 'Inactive' };
    const createDate = toMillis(k.CreateDate);
    if (createDate !== undefined) key.createDate = createDate;
    const known = knownLastUse(k);
    if (known !== undefined) {
      if (known.lastUsedTime !== undefined) key.lastUsedTime = known.lastUsedTime;
      if (known.lastUsedService !== undefined) key.lastUsedService = known.lastUsedService;
      if (known.lastUsedRegion !== undefined) key.lastUsedRegion = known.lastUsedRegion;
    } else {
      const r = await callAws('iam:GetAccessKeyLastUsed', () =>
        ctx.iam.send(withSignal(new GetAccessKeyLastUsedCommand({ AccessKeyId }), ctx.signal)),
      );
      const used = r.AccessKeyLastUsed;
      const lastUsed = toMillis(used?.LastUsedDate);
      if (lastUsed !== undefined) key.lastUsedTime = lastUsed;
      // A key never used reports "N/A" for both.
      if (used?.ServiceName !== undefined && used.ServiceName !== 'N/A')
        key.lastUsedService = used.ServiceName;
      if (used?.Region !== undefined && used.Region !== 'N/A') key.lastUsedRegion = used.Region;
    }
    out.push(key);
  }
  return out;
}

/** null = the user has no login profile (NoSuchEntity); any other error fails the user. */
export async function readLoginProfile(
  ctx: AccountReadContext,
  UserName: string,
): Promise<LoginProfile | null> {
  try {
    const r = await ctx.iam.send(withSignal(new GetLoginProfileCommand({ UserName }), ctx.signal));
    const profile: LoginProfile = {};
    const createDate = toMillis(r.LoginProfile?.CreateDate);
    if (createDate !== undefined) profile.createDate = createDate;
    if (r.LoginProfile?.PasswordResetRequired !== undefined) {
      profile.passwordResetRequired = r.LoginProfile.PasswordResetRequired;
    }
    return profile;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new EnrichmentError('iam:GetLoginProfile', error);
  }
}
