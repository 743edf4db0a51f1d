// Seeded users of each shape whose events are kept as golden files (test/fixtures/ocsf/<version>/seeded-*.json).
import type { ExpectedUser } from '../../src/emulator/index.js';

export const GOLDEN_CASES: Record<string, (t: ExpectedUser) => boolean> = {
  'seeded-admin-via-group': (t) => t.isAdmin && t.adminVia.some((v) => v.startsWith('group:')),
  'seeded-no-groups': (t) => t.groups.length === 0,
  'seeded-mfa': (t) => t.hasMfa,
  'seeded-two-keys': (t) => t.accessKeys.length === 2,
};
