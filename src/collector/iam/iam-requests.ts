// The small vocabulary every IAM read of the collector is written in: what one account's reads share, a
// Marker listing whose failure names its action, and the conversions from SDK shapes.
import type { IAMClient, Tag as SdkTag } from '@aws-sdk/client-iam';
import type { Tag } from '../../identity/identity.js';
import type { Logger } from '../../log.js';
import { classifyAwsError } from '../aws/aws-error.js';
import { asEnrichmentError } from '../aws/errors.js';
import { allItems, markerPages, type MarkerPage } from '../aws/pagination.js';
import type { PolicyDocumentCache } from './policy-documents.js';

/**
 * Every item of a Marker-paginated IAM list (see markerPages); a failed call, or a marker that does not
 * move, is an EnrichmentError naming the action.
 */
export function listAll<P extends MarkerPage, I>(
  action: string,
  fetchPage: (marker: string | undefined) => Promise<P>,
  itemsOf: (page: P) => I[] | undefined,
): Promise<I[]> {
  return allItems(
    markerPages({ action, fetchPage, fail: (cause) => asEnrichmentError(action, cause) }),
    itemsOf,
  );
}

export function toMillis(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime();
}

export function toTags(tags: SdkTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/**
 * True when the error is NoSuchEntity from one of `actions`: the entity those actions are about is gone.
 * NoSuchEntity from any other call (a policy deleted between listing and reading it) is a failure.
 */
export function isNoSuchEntityFrom(error: unknown, actions: ReadonlySet<string>): boolean {
  const { kind, action } = classifyAwsError(error);
  return kind === 'not_found' && action !== undefined && actions.has(action);
}

/** What the collectors of one account share during a run. */
export interface AccountReadContext {
  accountId: string;
  accountAlias?: string;
  iam: IAMClient;
  policies: PolicyDocumentCache;
  adminAnalysis: boolean;
  logger: Logger;
  signal?: AbortSignal;
}
