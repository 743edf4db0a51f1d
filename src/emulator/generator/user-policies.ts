// What a user may do: managed policies attached to it, inline policies embedded in it, and its
// permissions boundary. Scenario users get exactly what their scenario names; others get a random mix in
// which an admin route is rare.
import type { InlineTemplate } from '../policy-catalog.js';
import { BOUNDARY_TEMPLATES, findInlineTemplate } from '../policy-catalog.js';
import type { AccountBuild } from './account-build.js';
import {
  ADMIN_CUSTOMER,
  ADMIN_INLINE,
  DENY_CUSTOMER,
  DENY_INLINE,
  NON_ADMIN_INLINE,
} from './policy-pools.js';
import type { Scenario } from './scenarios.js';

export interface UserPolicies {
  attachedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
}

export function userPolicies(
  b: AccountBuild,
  scenario: Scenario | undefined,
  groups: string[],
): UserPolicies {
  const { rng } = b;
  const attached: string[] = [];
  const inline: InlineTemplate[] = [];
  if (scenario !== undefined) {
    attached.push(
      ...(scenario.awsManaged ?? []).map(b.awsArn),
      ...(scenario.customer ?? []).map(b.customerArn),
    );
    inline.push(...(scenario.inline ?? []).map(findInlineTemplate));
  } else {
    if (rng.chance(0.12)) {
      attached.push(...rng.sample(b.nonAdminManagedArns, rng.int(1, 2)));
    }
    if (rng.chance(0.005)) attached.push(b.awsArn('AdministratorAccess'));
    if (rng.chance(0.005)) attached.push(b.customerArn(rng.pick(ADMIN_CUSTOMER).name));
    if (rng.chance(0.08)) inline.push(rng.pick(NON_ADMIN_INLINE));
    if (rng.chance(0.004)) inline.push(rng.pick(ADMIN_INLINE));
    // Deny-all decoys only go to users with no admin route: "Allow * on *" plus "Deny *" has no
    // single right answer under the documented rule, so the dataset avoids it.
    const adminReachable =
      groups.some((g) => b.groupIsAdmin.get(g)) ||
      attached.includes(b.awsArn('AdministratorAccess')) ||
      attached.some((arn) => b.adminCustomerArns.has(arn)) ||
      inline.some((t) => t.adminEquivalent);
    if (!adminReachable && rng.chance(0.01)) {
      if (rng.chance(0.5)) attached.push(b.customerArn(rng.pick(DENY_CUSTOMER).name));
      else inline.push(rng.pick(DENY_INLINE));
    }
  }
  const inlinePolicies: Record<string, string> = {};
  for (const t of inline) inlinePolicies[t.name] = t.document;
  return { attachedPolicyArns: attached, inlinePolicies };
}

export function userBoundary(b: AccountBuild, scenario: Scenario | undefined): string | undefined {
  const { rng } = b;
  if (scenario?.boundary) {
    return scenario.boundary.aws
      ? b.awsArn(scenario.boundary.aws)
      : b.customerArn(scenario.boundary.customer ?? '');
  }
  if (scenario === undefined && rng.chance(0.03)) {
    return rng.chance(0.75)
      ? b.customerArn(rng.pick(BOUNDARY_TEMPLATES).name)
      : b.awsArn(rng.pick(['AdministratorAccess', 'PowerUserAccess']));
  }
  return undefined;
}
