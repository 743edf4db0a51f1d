// Walks a scope's listing page by page: the selection decides what is enriched, each enriched identity goes
// to the emitter, enrichment failures are recorded. Stops early when a delivery failed or on a stop request.
import type { CollectedItem, IdentitySource } from '../collector/index.js';
import { identityKey } from '../identity/index.js';
import type { Logger } from '../log.js';
import type { AckLedger } from './ack-ledger.js';
import type { IdentityEmitter } from './identity-emitter.js';
import type { ScopeTally } from './scope-summary.js';
import type { ScopeSelection } from './selection.js';
import type { RunOptions } from './types.js';

export interface ListingDeps {
  selection: ScopeSelection;
  emit: IdentityEmitter;
  ledger: AckLedger;
  tally: ScopeTally;
  log: Logger;
  options: Pick<RunOptions, 'signal' | 'progress' | 'observer'>;
}

export interface ListingResult {
  /** The listing failed: it is incomplete and must not produce deletions. */
  listingError?: string | undefined;
  interrupted: boolean;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
}

/** Emits one page's items in listing order; false when a delivery failed and the scope must stop. */
async function emitItems(items: readonly CollectedItem[], deps: ListingDeps): Promise<boolean> {
  const { tally, log } = deps;
  for (const item of items) {
    if (item.status === 'vanished') {
      log.debug(
        { key: item.key, name: item.name },
        'identity vanished between listing and enrichment: skipped',
      );
      continue;
    }
    if (item.status === 'failed') {
      tally.add('failedUsers');
      tally.problem(`${item.name}: ${item.action} failed: ${item.error}`);
      log.warn(
        { key: item.key, action: item.action, err: item.error },
        'enrichment failed: identity not emitted',
      );
      continue;
    }
    tally.add('usersCollected');
    await deps.emit(item.identity);
    if (deps.ledger.failed) return false;
  }
  return true;
}

export async function collectListing(source: IdentitySource, deps: ListingDeps): Promise<ListingResult> {
  const { selection, tally, options } = deps;
  const { signal } = options;
  const total = await source.estimatedTotal?.().catch(() => undefined);
  options.progress?.scopeStarted(source.scope, total);
  try {
    const onDegraded = (sentence: string): void => {
      tally.degrade(sentence);
      options.observer?.onDegraded?.(source.accountId, sentence);
    };
    for await (const page of source.pages({
      shouldEnrich: (l) => selection.shouldEnrich(l),
      signal,
      onDegraded,
    })) {
      tally.add('usersSeen', page.listed.length);
      const enrichedKeys = new Set<string>();
      for (const item of page.items) if (item.status === 'ok') enrichedKeys.add(identityKey(item.identity));
      selection.listed(page.listed, enrichedKeys);
      const goOn = await emitItems(page.items, deps);
      options.progress?.scopeAdvanced(source.scope, tally.get('usersSeen'));
      options.observer?.onUsersCollected?.(source.accountId, page.items.length);
      if (!goOn || deps.ledger.failed) break;
      if (signal?.aborted) return { interrupted: true };
    }
  } catch (err) {
    // Calls in flight were cancelled by the stop request: an interruption, not an AWS failure.
    if (signal?.aborted) return { interrupted: true };
    const listingError = errorMessage(err);
    deps.log.error({ err: listingError }, 'listing failed');
    return { listingError, interrupted: false };
  }
  return { interrupted: false };
}
