// The labels every catalog policy carries; the ground truth is read from them.

export type PolicyRole = 'admin' | 'decoy' | 'ordinary';

export interface CatalogPolicy {
  name: string;
  path: string;
  description?: string;
  /** Default version's document, JSON text. Shared by every holder: one string per template. */
  document: string;
  adminEquivalent: boolean;
  role: PolicyRole;
  /** Earlier, non-default versions (oldest first); the default one is `document`. */
  previousVersions?: string[];
  /** Explicit Deny on everything: never combined with an admin grant (the two rules would disagree). */
  deniesAll?: boolean;
}

export interface BoundaryTemplate {
  name: string;
  path: string;
  description: string;
  document: string;
  /** True when the boundary itself allows "*" on "*", so it does not stop an admin grant. */
  allowsAdmin: boolean;
}

export interface InlineTemplate {
  name: string;
  document: string;
  adminEquivalent: boolean;
  role: PolicyRole;
  deniesAll?: boolean;
}
