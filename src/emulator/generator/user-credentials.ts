// How a user signs in: a console login profile (used or not), MFA devices of each kind, and access keys
// (active or not, used or not). Service accounts get keys and no console.
import type { EmuAccessKey, EmuMfaDevice, EmuMfaKind, EmuUser } from '../model.js';
import type { SeededRandom } from '../random.js';
import type { AccountBuild, UserKind } from './account-build.js';
import { DAY, GENERATOR_REFERENCE_TIME, randomDate } from './calendar.js';
import type { Scenario } from './scenarios.js';
import { REGIONS, SERVICES } from './vocabulary.js';

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function mfaDevice(
  b: AccountBuild,
  userName: string,
  kind: EmuMfaKind,
  index: number,
  from: number,
): EmuMfaDevice {
  const { rng, account } = b;
  const enableDate = randomDate(rng, from, GENERATOR_REFERENCE_TIME);
  switch (kind) {
    case 'virtual':
      return {
        kind,
        serial: `arn:aws:iam::${account.id}:mfa/${index === 0 ? userName : `${userName}-${index + 1}`}`,
        enableDate,
      };
    case 'hardware':
      return { kind, serial: `GAHT${rng.digits(8)}`, enableDate };
    case 'u2f':
      return {
        kind,
        serial: `arn:aws:iam::${account.id}:u2f/user/${userName}/${rng.pick(['default', 'yubikey', 'passkey'])}-${rng.base32(26)}`,
        enableDate,
      };
  }
}

function accessKey(
  b: AccountBuild,
  status: 'Active' | 'Inactive',
  used: boolean,
  from: number,
): EmuAccessKey {
  const { rng } = b;
  const createDate = randomDate(rng, from, GENERATOR_REFERENCE_TIME - DAY);
  const key: EmuAccessKey = {
    accessKeyId: `AKIA${rng.base32(16)}`,
    secretAccessKey: rng.string(40, SECRET_ALPHABET),
    status,
    createDate,
  };
  if (used) {
    key.lastUsed = {
      date: randomDate(rng, createDate, GENERATOR_REFERENCE_TIME),
      serviceName: rng.pick(SERVICES),
      region: rng.pick(REGIONS),
    };
  }
  return key;
}

export interface ConsoleAccess {
  loginProfile?: NonNullable<EmuUser['loginProfile']>;
  passwordLastUsed?: number;
}

export function consoleAccess(
  rng: SeededRandom,
  scenario: Scenario | undefined,
  kind: UserKind,
  createDate: number,
): ConsoleAccess {
  const login =
    scenario?.login ??
    (kind === 'service'
      ? 'none'
      : rng.weighted<'used' | 'unused' | 'none'>([
          ['used', 45],
          ['unused', 15],
          ['none', 40],
        ]));
  if (login === 'none') return {};
  const profileCreate = randomDate(
    rng,
    createDate,
    Math.min(createDate + 30 * DAY, GENERATOR_REFERENCE_TIME),
  );
  const loginProfile = { createDate: profileCreate, passwordResetRequired: rng.chance(0.05) };
  if (login === 'unused') return { loginProfile };
  return { loginProfile, passwordLastUsed: randomDate(rng, profileCreate, GENERATOR_REFERENCE_TIME) };
}

export function userMfaDevices(
  b: AccountBuild,
  scenario: Scenario | undefined,
  kind: UserKind,
  userName: string,
  createDate: number,
): EmuMfaDevice[] {
  const { rng } = b;
  const mfaKinds: EmuMfaKind[] =
    scenario?.mfa ??
    (kind === 'human' && rng.chance(0.6)
      ? rng.chance(0.08)
        ? [rng.pick<EmuMfaKind>(['virtual', 'u2f']), rng.pick<EmuMfaKind>(['u2f', 'hardware'])]
        : [
            rng.weighted<EmuMfaKind>([
              ['virtual', 70],
              ['hardware', 15],
              ['u2f', 15],
            ]),
          ]
      : []);
  return mfaKinds.map((k, i) =>
    mfaDevice(b, userName, k, mfaKinds.slice(0, i).filter((x) => x === k).length, createDate),
  );
}

export function userAccessKeys(
  b: AccountBuild,
  scenario: Scenario | undefined,
  kind: UserKind,
  createDate: number,
): EmuAccessKey[] {
  const { rng } = b;
  const keySpecs =
    scenario?.keys ??
    Array.from(
      {
        length: rng.weighted(
          kind === 'service'
            ? [
                [1, 6],
                [2, 4],
              ]
            : [
                [0, 35],
                [1, 45],
                [2, 20],
              ],
        ),
      },
      () => ({
        status: rng.chance(0.8) ? ('Active' as const) : ('Inactive' as const),
        used: rng.chance(0.7),
      }),
    );
  return keySpecs.map((k) => accessKey(b, k.status, k.used, createDate));
}
