// Managed policies with their version history: the AWS managed ones shared by every account, and each
// account's copies of the customer templates.
import type { EmuAccount, EmuPolicy } from '../model.js';
import {
  AWS_MANAGED_POLICIES,
  BOUNDARY_TEMPLATES,
  CUSTOMER_POLICY_TEMPLATES,
  awsManagedPolicyArn,
  customerPolicyArn,
  type CatalogPolicy,
} from '../policy-catalog.js';
import { SeededRandom, mixSeed } from '../random.js';
import { DAY, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME, randomDate } from './calendar.js';

function makeManagedPolicy(
  rng: SeededRandom,
  arn: string,
  template: CatalogPolicy,
  awsManaged: boolean,
  createDate: number,
): EmuPolicy {
  const documents = [...(template.previousVersions ?? []), template.document];
  const versions = documents.map((document, i) => ({
    versionId: `v${i + 1}`,
    document,
    isDefault: i === documents.length - 1,
    createDate: createDate + i * 90 * DAY,
  }));
  const last = versions[versions.length - 1] as (typeof versions)[number];
  const policy: EmuPolicy = {
    arn,
    name: template.name,
    policyId: `ANPA${rng.base32(17)}`,
    path: template.path,
    awsManaged,
    createDate,
    updateDate: last.createDate,
    defaultVersionId: last.versionId,
    versions,
  };
  if (template.description !== undefined) policy.description = template.description;
  return policy;
}

export function awsManagedPolicies(): Map<string, EmuPolicy> {
  // AWS managed policy ids are the same everywhere: derive them from the name, not the run's seed.
  const map = new Map<string, EmuPolicy>();
  for (const template of AWS_MANAGED_POLICIES) {
    const rng = new SeededRandom(mixSeed(...[...template.name].map((c) => c.charCodeAt(0))));
    const arn = awsManagedPolicyArn(template);
    map.set(arn, makeManagedPolicy(rng, arn, template, true, Date.UTC(2015, 1, 6, 18, 39, 46)));
  }
  return map;
}

/** The customer policies and boundaries of the catalog, created in `account` at random past dates. */
export function addCustomerPolicies(rng: SeededRandom, account: EmuAccount): void {
  for (const template of [...CUSTOMER_POLICY_TEMPLATES, ...BOUNDARY_TEMPLATES]) {
    const arn = customerPolicyArn(account.id, template);
    const catalog: CatalogPolicy =
      'allowsAdmin' in template
        ? { ...template, adminEquivalent: template.allowsAdmin, role: 'ordinary' }
        : template;
    const created = randomDate(rng, EARLIEST_CREATE, GENERATOR_REFERENCE_TIME - 500 * DAY);
    account.policies.set(arn, makeManagedPolicy(rng, arn, catalog, false, created));
  }
}
