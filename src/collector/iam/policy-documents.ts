// Policy documents, read once per policy per run. IAM returns documents URL-encoded (RFC 3986); they are
// decoded and parsed here. The cache holds promises, so concurrent enrichments of holders of the same policy
// share one GetPolicy + GetPolicyVersion. AWS managed policies (arn:aws:iam::aws:policy/...) are identical in
// every account and are cached once for the whole run; customer managed ones are keyed by their ARN, which
// names their account.
import { GetPolicyCommand, GetPolicyVersionCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { PolicyDocument } from '../../identity/identity.js';
import { EnrichmentError, callAws } from '../aws/errors.js';
import { SharedReads } from './shared-reads.js';
import { withSignal } from '../aws/call-signal.js';

/** Decodes a URL-encoded policy document (or takes it as is when already plain JSON) and parses it. */
export function decodePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed);
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SyntaxError('policy document is not a JSON object');
  }
  return parsed as PolicyDocument;
}

/** Decodes an inline/trust document returned by an action; a bad document fails like a failed call. */
export function decodeDocumentOf(action: string, text: string | undefined): PolicyDocument {
  if (text === undefined) throw new EnrichmentError(action, new Error('response carried no policy document'));
  try {
    return decodePolicyDocument(text);
  } catch (error) {
    throw new EnrichmentError(action, error);
  }
}

export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

export interface CachedPolicy {
  arn: string;
  versionId: string;
  document: PolicyDocument;
}

export class PolicyDocumentCache {
  private readonly byArn = new SharedReads<string, CachedPolicy>();

  /**
   * The default version's document of a managed policy. Rejects with an EnrichmentError naming the failed
   * action; a failed fetch is dropped from the cache so that a later holder tries again.
   */
  async get(iam: IAMClient, policyArn: string, signal?: AbortSignal): Promise<PolicyDocument> {
    return (await this.getPolicy(iam, policyArn, signal)).document;
  }

  getPolicy(iam: IAMClient, policyArn: string, signal?: AbortSignal): Promise<CachedPolicy> {
    return this.byArn.get(policyArn, () => fetchPolicy(iam, policyArn, signal));
  }

  /** Seeds a document already read another way (GetAccountAuthorizationDetails carries every version). */
  prime(policyArn: string, versionId: string, document: PolicyDocument): void {
    this.byArn.set(policyArn, { arn: policyArn, versionId, document });
  }

  /** Policies cached so far (for tests and debug logs). */
  get size(): number {
    return this.byArn.size;
  }
}

async function fetchPolicy(iam: IAMClient, policyArn: string, signal?: AbortSignal): Promise<CachedPolicy> {
  const policy = await callAws('iam:GetPolicy', () =>
    iam.send(withSignal(new GetPolicyCommand({ PolicyArn: policyArn }), signal)),
  );
  const versionId = policy.Policy?.DefaultVersionId;
  if (versionId === undefined) {
    throw new EnrichmentError('iam:GetPolicy', new Error(`policy ${policyArn} has no default version`));
  }
  const version = await callAws('iam:GetPolicyVersion', () =>
    iam.send(withSignal(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }), signal)),
  );
  return {
    arn: policyArn,
    versionId,
    document: decodeDocumentOf('iam:GetPolicyVersion', version.PolicyVersion?.Document),
  };
}
