import type {
  OcsfAccount,
  OcsfCloud,
  OcsfLdapPerson,
  OcsfMetadata,
  OcsfOrganization,
  OcsfUser,
  UserInventoryEvent,
} from './event.js';
import { CLASS_UID } from './map-identity.js';

// A deletion event carries the identity's last delivered event, read back from the state file as plain JSON.
// Before it is used as a UserInventoryEvent its members are checked against that type. The shapes below are
// typed after the interfaces, so a member added to the type without a check here does not compile. The
// deletion event built from it is still validated against the OCSF schema before anything is sent.

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

class Optional<S> {
  constructor(readonly shape: S) {}
}

const optional = <const S>(shape: S): Optional<S> => new Optional(shape);

/** The check for a value of type T: its kind, or for an object the check of each member. */
type ShapeOf<T> = T extends string
  ? 'string'
  : T extends number
    ? 'number'
    : T extends boolean
      ? 'boolean'
      : T extends readonly unknown[]
        ? 'array'
        : string extends keyof T
          ? 'object'
          : {
              [K in keyof T]-?: object extends Pick<T, K>
                ? Optional<ShapeOf<Exclude<T[K], undefined>>>
                : ShapeOf<T[K]>;
            };

type Shape = Kind | Optional<Shape> | { readonly [member: string]: Shape };

const ACCOUNT: ShapeOf<OcsfAccount> = {
  type_id: 'number',
  type: 'string',
  uid: 'string',
  name: optional('string'),
  tags: optional('array'),
  is_disabled: optional('boolean'),
};

const ORGANIZATION: ShapeOf<OcsfOrganization> = { uid: 'string', name: 'string' };

const LDAP_PERSON: ShapeOf<OcsfLdapPerson> = {
  created_time: optional('number'),
  last_login_time: optional('number'),
  deleted_time: optional('number'),
  given_name: optional('string'),
  surname: optional('string'),
};

const USER: ShapeOf<OcsfUser> = {
  name: 'string',
  uid: 'string',
  uid_alt: optional('string'),
  type_id: 'number',
  type: 'string',
  domain: optional('string'),
  display_name: optional('string'),
  full_name: optional('string'),
  email_addr: optional('string'),
  account: ACCOUNT,
  org: optional(ORGANIZATION),
  ldap_person: optional(LDAP_PERSON),
  groups: optional('array'),
  has_mfa: optional('boolean'),
  programmatic_credentials: optional('array'),
  risk_level_id: optional('number'),
  risk_level: optional('string'),
  risk_score: optional('number'),
};

const METADATA: ShapeOf<OcsfMetadata> = {
  version: 'string',
  product: { name: 'string', vendor_name: 'string', version: 'string' },
  profiles: 'array',
  uid: 'string',
  correlation_uid: 'string',
};

const CLOUD: ShapeOf<OcsfCloud> = { provider: 'string', account: ACCOUNT };

const EVENT: ShapeOf<UserInventoryEvent> = {
  class_uid: 'number',
  class_name: 'string',
  category_uid: 'number',
  category_name: 'string',
  activity_id: 'number',
  activity_name: 'string',
  type_uid: 'number',
  type_name: 'string',
  severity_id: 'number',
  severity: 'string',
  time: 'number',
  metadata: METADATA,
  cloud: CLOUD,
  user: USER,
  unmapped: optional({ aws: 'object', ocsf: optional('object') }),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function collectShapeErrors(value: unknown, shape: Shape, path: string, errors: string[]): void {
  if (shape instanceof Optional) return collectShapeErrors(value, shape.shape, path, errors);
  if (typeof shape === 'string' || !isRecord(value)) {
    const expected = typeof shape === 'string' ? shape : 'object';
    if (kindOf(value) !== expected) errors.push(`${path || '/'}: expected ${expected}, got ${kindOf(value)}`);
    return;
  }
  for (const [member, memberShape] of Object.entries(shape)) {
    const memberValue = value[member];
    if (memberValue !== undefined) collectShapeErrors(memberValue, memberShape, `${path}/${member}`, errors);
    else if (!(memberShape instanceof Optional)) errors.push(`${path}/${member}: missing`);
  }
}

function conforms(value: unknown, errors: string[]): value is UserInventoryEvent {
  collectShapeErrors(value, EVENT, '', errors);
  if (isRecord(value) && value.class_uid !== CLASS_UID) {
    errors.push(`/class_uid: expected ${CLASS_UID}, got ${JSON.stringify(value.class_uid)}`);
  }
  return errors.length === 0;
}

export type StoredEventReading = { ok: true; event: UserInventoryEvent } | { ok: false; errors: string[] };

/** The stored last event as a UserInventoryEvent, or what about it does not fit that type. */
export function readStoredEvent(stored: unknown): StoredEventReading {
  const errors: string[] = [];
  return conforms(stored, errors) ? { ok: true, event: stored } : { ok: false, errors };
}
