import type { IamRole, IamUser, PolicyDocument, PolicyStatement } from './identity.js';

// "Who can do everything?" A policy makes its holder Admin when it is the AWS managed AdministratorAccess
// policy, or when one of its statements is Allow, Action * (or *:*), Resource *, with no Condition.
// Narrower grants (iam:*, * on one resource, NotAction/NotResource grants such as PowerUserAccess) are not Admin.

export interface AdminAnalysis {
  isAdmin: boolean;
  /**
   * Why the identity is Admin (empty when it is not), sorted. Forms, as in ground-truth.ts:
   *   "user/<Policy>", "inline:user/<Policy>", "group:<Group>/<Policy>", "inline:group:<Group>/<Policy>";
   *   for roles "role/<Policy>" and "inline:role/<Policy>".
   */
  via: string[];
  /**
   * The permissions boundary's effect on the verdict:
   *   none       no boundary
   *   allows     the boundary itself allows * on *: no effect
   *   restricts  the boundary does not allow * on *: not Admin whatever the policies say
   *   unverified the boundary's document was not collected: the verdict is the policies' alone. We keep a
   *              possible Admin rather than clear it, because a wrong "not Admin" hides the riskiest users.
   */
  boundary: 'none' | 'allows' | 'restricts' | 'unverified';
}

const ADMINISTRATOR_ACCESS = /^arn:aws(?:-[a-z]+)*:iam::aws:policy\/AdministratorAccess$/;

export function isAdministratorAccessArn(arn: string): boolean {
  return ADMINISTRATOR_ACCESS.test(arn);
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A Condition with at least one key (an empty one restricts nothing). */
export function hasCondition(statement: PolicyStatement): boolean {
  const condition = statement.Condition;
  if (condition === undefined || condition === null) return false;
  return typeof condition !== 'object' || Object.keys(condition).length > 0;
}

function grantsEverything(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) return false;
  if (hasCondition(statement)) return false;
  const actions = asList(statement.Action);
  const resources = asList(statement.Resource);
  return actions.some((action) => action === '*' || action === '*:*') && resources.includes('*');
}

/**
 * Verdicts by document: a group's or managed policy's document is one object shared by every identity that
 * holds it, and reading a long one (ReadOnlyAccess lists hundreds of actions) for each holder adds up.
 * Documents are never changed once collected.
 */
const verdicts = new WeakMap<PolicyDocument, boolean>();

/** True when the document has a statement Allow * on * without a Condition. */
export function documentGrantsEverything(document: PolicyDocument | undefined): boolean {
  if (!document) return false;
  let verdict = verdicts.get(document);
  if (verdict === undefined) verdicts.set(document, (verdict = readDocument(document)));
  return verdict;
}

function readDocument(document: PolicyDocument): boolean {
  const statements = document.Statement === undefined ? [] : asList(document.Statement as never);
  return (statements as unknown[]).some(
    (statement) =>
      typeof statement === 'object' && statement !== null && grantsEverything(statement as PolicyStatement),
  );
}

interface ManagedLike {
  name: string;
  arn: string;
  document?: PolicyDocument;
}

/** With the document, judge the document (a customer policy merely named AdministratorAccess is judged by
 * what it grants); without it (document collection off) fall back to the name rule of the core issue. */
function managedIsAdmin(policy: ManagedLike): boolean {
  if (isAdministratorAccessArn(policy.arn)) return true;
  if (policy.document) return documentGrantsEverything(policy.document);
  return policy.name === 'AdministratorAccess';
}

function boundaryEffect(identity: IamUser | IamRole): AdminAnalysis['boundary'] {
  const boundary = identity.permissionsBoundary;
  if (!boundary) return 'none';
  if (isAdministratorAccessArn(boundary.arn)) return 'allows';
  if (!boundary.document) return 'unverified';
  return documentGrantsEverything(boundary.document) ? 'allows' : 'restricts';
}

export function analyzeAdmin(identity: IamUser | IamRole): AdminAnalysis {
  const holder = identity.kind === 'iam_user' ? 'user' : 'role';
  const via: string[] = [];
  for (const policy of identity.attachedPolicies) {
    if (managedIsAdmin(policy)) via.push(`${holder}/${policy.name}`);
  }
  for (const policy of identity.inlinePolicies) {
    if (documentGrantsEverything(policy.document)) via.push(`inline:${holder}/${policy.name}`);
  }
  if (identity.kind === 'iam_user') {
    for (const group of identity.groups) {
      for (const policy of group.attachedPolicies) {
        if (managedIsAdmin(policy)) via.push(`group:${group.name}/${policy.name}`);
      }
      for (const policy of group.inlinePolicies) {
        if (documentGrantsEverything(policy.document)) via.push(`inline:group:${group.name}/${policy.name}`);
      }
    }
  }
  const boundary = boundaryEffect(identity);
  if (boundary === 'restricts') return { isAdmin: false, via: [], boundary };
  const sorted = [...new Set(via)].sort();
  return { isAdmin: sorted.length > 0, via: sorted, boundary };
}
