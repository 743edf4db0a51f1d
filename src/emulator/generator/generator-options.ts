// What to generate: the size and shape of the estate, and what a collector must be able to reach.
import type { GroundTruth } from '../ground-truth.js';
import type { EmuWorld } from '../model.js';

export interface GeneratorOptions {
  seed: number;
  accounts: number;
  usersPerAccount: number;
  groupsPerAccount: number;
  /** Default 10 (at least the assumable role is always created). */
  rolesPerAccount?: number;
  /** Default: true when accounts > 1. */
  organization?: boolean;
  /**
   * Default { users: 20, groups: 4 }; false = no Identity Center. permissionSets (default 12) are assigned
   * across the organization's active accounts (the generated accounts without an organization).
   */
  identityCenter?: { users: number; groups: number; permissionSets?: number } | false;
  /** Role present in every account, trusting the management account. Default 'IamInventoryReader'. */
  assumableRoleName?: string;
  /** When set, the assumable role's trust policy requires this sts:ExternalId. */
  externalId?: string;
  /** First account id (12 digits); the others follow it. Default: seeded random ids. */
  startAccountId?: string;
  /** Default true. false leaves `truth` empty, saving memory when nobody reads it (benchmarks). */
  groundTruth?: boolean;
}

export interface GeneratedDataset {
  world: EmuWorld;
  truth: GroundTruth;
}
