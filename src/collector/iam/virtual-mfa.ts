// The account's assigned virtual MFA devices in one paginated listing (ListVirtualMFADevices, Assigned),
// indexed by the UserId they are assigned to. With the credential report's mfa_active it answers MFA for
// every user whose MFA a virtual device explains, without a ListMFADevices call per user. Keyed by UserId
// (not name or ARN) so a device of a deleted user never lands on a new user of the same name.
import { ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import type { MfaDevice } from '../../identity/identity.js';
import { listAll, toMillis, type AccountReadContext } from './iam-requests.js';
import { mfaTypeOfSerial } from './user-credentials.js';
import { withSignal } from '../aws/call-signal.js';

export type VirtualMfaIndex = ReadonlyMap<string, readonly MfaDevice[]>;

export async function readVirtualMfaDevices(
  ctx: AccountReadContext,
  pageSize: number,
): Promise<VirtualMfaIndex> {
  const devices = await listAll(
    'iam:ListVirtualMFADevices',
    (Marker) =>
      ctx.iam.send(
        withSignal(
          new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', MaxItems: pageSize, Marker }),
          ctx.signal,
        ),
      ),
    (p) => p.VirtualMFADevices,
  );
  const byUser = new Map<string, MfaDevice[]>();
  for (const d of devices) {
    const userId = d.User?.UserId;
    if (userId === undefined || d.SerialNumber === undefined) continue;
    const device: MfaDevice = { serial: d.SerialNumber, type: mfaTypeOfSerial(d.SerialNumber) };
    const enableDate = toMillis(d.EnableDate);
    if (enableDate !== undefined) device.enableDate = enableDate;
    const list = byUser.get(userId);
    if (list === undefined) byUser.set(userId, [device]);
    else list.push(device);
  }
  for (const list of byUser.values())
    list.sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  return byUser;
}
