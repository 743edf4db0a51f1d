// The subset of OCSF 5003 "User Inventory Info" this product emits. Optional members are omitted (never
// null) when the value was not collected. Time values are epoch milliseconds.

export type { OcsfVersion } from '../config/config.js';
export { LATEST_OCSF_VERSION, OCSF_VERSIONS } from '../config/index.js';

export interface OcsfKeyValue {
  name: string;
  value: string;
}

export interface OcsfAccount {
  type_id: number;
  type: string;
  uid: string;
  name?: string;
  tags?: OcsfKeyValue[];
  /** OCSF 1.8.0+. */
  is_disabled?: boolean;
}

export interface OcsfOrganization {
  uid: string;
  name: string;
}

export interface OcsfLdapPerson {
  created_time?: number;
  last_login_time?: number;
  deleted_time?: number;
  given_name?: string;
  surname?: string;
}

export interface OcsfGroup {
  name: string;
  uid: string;
  /** OCSF 1.8.0+. */
  uid_alt?: string;
  privileges?: string[];
}

export interface OcsfProgrammaticCredential {
  uid: string;
  type: string;
  last_used_time?: number;
}

export interface OcsfUser {
  name: string;
  uid: string;
  uid_alt?: string;
  type_id: number;
  type: string;
  domain?: string;
  display_name?: string;
  full_name?: string;
  email_addr?: string;
  account: OcsfAccount;
  org?: OcsfOrganization;
  ldap_person?: OcsfLdapPerson;
  groups?: OcsfGroup[];
  has_mfa?: boolean;
  programmatic_credentials?: OcsfProgrammaticCredential[];
  /** OCSF 1.3.0+: 0 Info, 1 Low, 2 Medium, 3 High, 4 Critical. */
  risk_level_id?: number;
  risk_level?: string;
  /** 0..100, see docs/mapping.md. */
  risk_score?: number;
}

export interface OcsfMetadata {
  version: string;
  product: { name: string; vendor_name: string; version: string };
  profiles: string[];
  uid: string;
  correlation_uid: string;
}

export interface OcsfCloud {
  provider: string;
  account: OcsfAccount;
}

// A type alias, not an interface: an alias is assignable to Record<string, unknown>, which is what sinks
// and the checkpoint take (they know no OCSF type), so no cast is needed between run and ocsf.
export type UserInventoryEvent = {
  class_uid: number;
  class_name: string;
  category_uid: number;
  category_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  time: number;
  metadata: OcsfMetadata;
  cloud: OcsfCloud;
  user: OcsfUser;
  /** `ocsf`: what the target version does not define, moved by projectToVersion (path and shape kept). */
  unmapped?: { aws: Record<string, unknown>; ocsf?: Record<string, unknown> };
};
