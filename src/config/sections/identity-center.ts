// identity_center: IAM Identity Center users, read from the Identity Store, and their access (sso-admin).
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
    access: Type.Boolean({
      description:
        'Read permission sets and account assignments through sso-admin: which accounts each user can reach and administer.',
      default: true,
    }),
    instance_arn: Type.Optional(
      Type.String({
        description: 'Identity Center instance ARN; discovered with sso-admin ListInstances when omitted.',
        pattern: '^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$',
        'x-expected': 'an instance ARN (arn:aws:sso:::instance/ssoins-xxxxxxxxxxxxxxxx)',
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
