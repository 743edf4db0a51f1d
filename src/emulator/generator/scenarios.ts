// Scenarios: users whose groups, policies, boundary, MFA, keys or console access are forced so that every
// case the collector must get right (each admin route, decoys, boundaries, MFA kinds, disabled users)
// exists in every account big enough. Everything a scenario leaves out stays random.
import type { EmuMfaKind } from '../model.js';
import { CUSTOMER_POLICY_TEMPLATES, INLINE_POLICY_TEMPLATES } from '../policy-catalog.js';
import type { AccountBuild } from './account-build.js';
import { ADMIN_CUSTOMER, ADMIN_INLINE } from './policy-pools.js';

/** What a scenario forces on a user; everything else stays random. */
export interface Scenario {
  groups?: string[];
  /** Keep some random non-admin groups next to the forced ones (default true). */
  extraGroups?: boolean;
  awsManaged?: string[];
  customer?: string[];
  inline?: string[];
  boundary?: { aws?: string; customer?: string } | null;
  mfa?: EmuMfaKind[];
  keys?: { status: 'Active' | 'Inactive'; used: boolean }[];
  login?: 'used' | 'unused' | 'none';
}

const SCENARIOS: readonly Scenario[] = [
  // Admins by each route.
  { groups: ['admins'] },
  { groups: ['admins'], extraGroups: false, mfa: ['virtual'] },
  { awsManaged: ['AdministratorAccess'] },
  ...ADMIN_CUSTOMER.map((p): Scenario => ({ customer: [p.name] })),
  { groups: ['platform-admins'] },
  { groups: ['ops-legacy'] },
  ...ADMIN_INLINE.map((t): Scenario => ({ inline: [t.name] })),
  { groups: ['break-glass'] },
  { groups: ['admins', 'break-glass'], awsManaged: ['AdministratorAccess'], inline: ['breakglass'] },
  // Decoy holders (no admin route at all).
  ...['PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'DatabaseAdministrator'].map(
    (name): Scenario => ({ awsManaged: [name], extraGroups: false }),
  ),
  ...CUSTOMER_POLICY_TEMPLATES.filter((p) => p.role === 'decoy').map((p): Scenario => ({
    customer: [p.name],
    extraGroups: false,
  })),
  ...INLINE_POLICY_TEMPLATES.filter((t) => t.role === 'decoy').map((t): Scenario => ({
    inline: [t.name],
    extraGroups: false,
  })),
  { groups: ['developers', 'iam-managers', 'data-engineering'], extraGroups: false },
  // Boundaries: blocking ones neutralise admins, allowing ones do not.
  { awsManaged: ['AdministratorAccess'], boundary: { customer: 'DeveloperBoundary' } },
  { groups: ['admins'], boundary: { customer: 'ContractorBoundary' } },
  { inline: ['breakglass'], boundary: { aws: 'PowerUserAccess' } },
  { groups: ['admins'], boundary: { customer: 'BoundaryAllowAll' } },
  { customer: ['PlatformFullAccess'], boundary: { aws: 'AdministratorAccess' } },
  { groups: ['readonly'], boundary: { customer: 'DeveloperBoundary' } },
  // No groups at all.
  { groups: [], extraGroups: false },
  { groups: [], extraGroups: false, awsManaged: ['ReadOnlyAccess'] },
  // MFA of each kind, and two devices.
  { mfa: ['virtual'] },
  { mfa: ['hardware'] },
  { mfa: ['u2f'] },
  { mfa: ['virtual', 'u2f'] },
  { mfa: ['u2f', 'u2f'] },
  { mfa: ['hardware', 'virtual'] },
  { mfa: [] },
  // Keys: two of them, inactive, never used.
  {
    keys: [
      { status: 'Active', used: true },
      { status: 'Inactive', used: true },
    ],
  },
  {
    keys: [
      { status: 'Active', used: true },
      { status: 'Active', used: false },
    ],
  },
  { keys: [{ status: 'Active', used: false }], login: 'none' },
  // Disabled: no login profile and no active key.
  { keys: [], login: 'none' },
  { keys: [{ status: 'Inactive', used: true }], login: 'none' },
  {
    keys: [
      { status: 'Inactive', used: false },
      { status: 'Inactive', used: true },
    ],
    login: 'none',
    mfa: ['virtual'],
  },
  // Console: a profile never used, a profile used.
  { login: 'unused', keys: [] },
  { login: 'used' },
];

/** Scenario users sit at random positions so that every case exists in every account big enough. */
export function scenarioPositions(b: AccountBuild, users: number): Map<number, Scenario> {
  const usable = SCENARIOS.filter((s) => (s.groups ?? []).every((g) => b.account.groups.has(g)));
  const positions = b.rng.sample(
    Array.from({ length: users }, (_, i) => i),
    Math.min(usable.length, users),
  );
  const scenarioAt = new Map<number, Scenario>();
  positions.forEach((pos, i) => scenarioAt.set(pos, usable[i] as Scenario));
  return scenarioAt;
}
