// identity_center: IAM Identity Center users, read from the Identity Store.
import Type, { type Static } from 'typebox';

export const IdentityCenterSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Inventory Identity Center users.', default: false }),
    identity_store_id: Type.Optional(
      Type.String({
        description: 'Identity store id (d-...); discovered with sso-admin ListInstances when omitted.',
        pattern: '^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
        'x-expected': 'an identity store id (d-xxxxxxxxxx)',
      }),
    ),
    region: Type.Optional(
      Type.String({
        description: 'Region of the Identity Center instance (default: aws.region).',
        minLength: 1,
      }),
    ),
  },
  { description: 'IAM Identity Center users (Identity Store).', additionalProperties: false, default: {} },
);

export type IdentityCenterConfig = Static<typeof IdentityCenterSchema>;
