// Walks a scope's listing chunk by chunk: the selection decides what is enriched and sees every listed
// identity, each enriched identity goes to the emitter as soon as it comes (in listing order), enrichment
// failures are recorded. Stops early when a delivery failed; on a stop request the source hands on what it
// had completed, then throws, and the listing counts as interrupted.
import type { CollectedChunk, CollectedItem, IdentitySource } from '../collector/index.js';
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
  /** Identities the source may enrich ahead of what was taken (CollectOptions.lookAhead). */
  lookAhead: number;
  /** CollectOptions.apiReadAt: when the change feed last read an identity from the API. */
  apiReadAt?: (key: string) => number | undefined;
}

export interface ListingResult {
  /** The listing failed: it is incomplete and must not produce deletions. */
  listingError?: string | undefined;
  interrupted: boolean;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
}

/** Emits a chunk's items in listing order; false when a delivery failed and the scope must stop. */
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

/** Listed identities handled so far (skipped by the selection, or enriched and emitted): the progress. */
interface ListingProgress {
  done: number;
}

/** One chunk: a page's listed identities, or enriched ones to emit; false when the scope must stop. */
async function takeChunk(
  source: IdentitySource,
  chunk: CollectedChunk,
  progress: ListingProgress,
  deps: ListingDeps,
): Promise<boolean> {
  const { selection, tally, options } = deps;
  let goOn = true;
  if (chunk.kind === 'page') {
    tally.add('usersSeen', chunk.listed.length);
    selection.listed(chunk.listed);
    progress.done += chunk.listed.filter((l) => !selection.shouldEnrich(l)).length;
  } else {
    goOn = await emitItems(chunk.items, deps);
    progress.done += chunk.items.length;
    options.observer?.onUsersCollected?.(source.accountId, chunk.items.length);
  }
  options.progress?.scopeAdvanced(source.scope, progress.done);
  return goOn;
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
    const progress: ListingProgress = { done: 0 };
    for await (const chunk of source.pages({
      shouldEnrich: (l) => selection.shouldEnrich(l),
      signal,
      onDegraded,
      lookAhead: deps.lookAhead,
      ...(deps.apiReadAt !== undefined ? { apiReadAt: deps.apiReadAt } : {}),
    })) {
      if (!(await takeChunk(source, chunk, progress, deps)) || deps.ledger.failed) break;
    }
    if (signal?.aborted) return { interrupted: true };
  } catch (err) {
    // Calls in flight were cancelled by the stop request: an interruption, not an AWS failure.
    if (signal?.aborted) return { interrupted: true };
    const listingError = errorMessage(err);
    deps.log.error({ err: listingError }, 'listing failed');
    return { listingError, interrupted: false };
  }
  return { interrupted: false };
}
