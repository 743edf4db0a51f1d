// A small single-account emulator for end-to-end tests of delivery mechanics (each test mutates its own).
import { type Emulator, generateWorld, startEmulator } from '../../src/emulator/index.js';

export async function freshEmulator(seed: number, users = 80): Promise<Emulator> {
  const { world, truth } = generateWorld({
    seed,
    accounts: 1,
    usersPerAccount: users,
    groupsPerAccount: 12,
    identityCenter: false,
  });
  return startEmulator({ world, truth });
}
