// risk: thresholds of the risk rules behind user.risk_level and unmapped.aws.risk_reasons.
import Type, { type Static } from 'typebox';

export const RiskSchema = Type.Object(
  {
    unused_days: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 45,
      description:
        'A console password or active access key not used for this many days or more is credential_unused (CIS 1.12); one never used counts from its creation.',
    }),
    rotation_days: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 90,
      description: 'An active access key created more than this many days ago is key_not_rotated (CIS 1.14).',
    }),
  },
  {
    description: 'Thresholds of the risk rules (user.risk_level, unmapped.aws.risk_reasons).',
    additionalProperties: false,
    default: {},
  },
);

export type RiskConfig = Static<typeof RiskSchema>;
