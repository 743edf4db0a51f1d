// The state one account's generation shares between groups, users and roles: its random stream, the
// groups made so far and whether they grant admin, and policy names resolved to this account's ARNs.
import type { EmuAccount } from '../model.js';
import {
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  awsManagedPolicyArn,
  customerPolicyArn,
} from '../policy-catalog.js';
import type { SeededRandom } from '../random.js';
import { ADMIN_CUSTOMER, NON_ADMIN_AWS, NON_ADMIN_CUSTOMER } from './policy-pools.js';

/** Per-account generation state. */
/** A person or a service account (svc-*): the kind steers the name, path, console access, MFA and keys. */
export type UserKind = 'human' | 'service';

export interface AccountBuild {
  rng: SeededRandom;
  account: EmuAccount;
  /** Whether each group makes its members admin (by construction). */
  groupIsAdmin: Map<string, boolean>;
  ordinaryGroups: string[];
  adminGroups: string[];
  userNames: Set<string>;
  previousCreateDates: number[];
  awsArn: (name: string) => string;
  customerArn: (name: string) => string;
  nonAdminManagedArns: string[];
  adminCustomerArns: Set<string>;
}

export function newAccountBuild(rng: SeededRandom, account: EmuAccount): AccountBuild {
  const id = account.id;
  // Resolve names once: these are called for every user.
  const awsArns = new Map(AWS_MANAGED_POLICIES.map((p) => [p.name, awsManagedPolicyArn(p)]));
  const customerArns = new Map(
    [...CUSTOMER_POLICY_TEMPLATES, ...BOUNDARY_TEMPLATES].map((p) => [p.name, customerPolicyArn(id, p)]),
  );
  return {
    nonAdminManagedArns: [
      ...NON_ADMIN_AWS.map((p) => awsManagedPolicyArn(p)),
      ...NON_ADMIN_CUSTOMER.map((p) => customerPolicyArn(id, p)),
    ],
    adminCustomerArns: new Set(ADMIN_CUSTOMER.map((p) => customerPolicyArn(id, p))),
    rng,
    account,
    groupIsAdmin: new Map(),
    ordinaryGroups: [],
    adminGroups: [],
    userNames: new Set(),
    previousCreateDates: [],
    awsArn: (name) => {
      const arn = awsArns.get(name);
      if (!arn) throw new Error(`unknown AWS managed policy ${name}`);
      return arn;
    },
    customerArn: (name) => {
      const arn = customerArns.get(name);
      if (!arn) throw new Error(`unknown customer policy ${name}`);
      return arn;
    },
  };
}
