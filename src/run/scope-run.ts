// Collects one scope (an AWS account, or an Identity Center store), delivers its events, and commits state
// only for what every sink acknowledged. The watermark moves only when the whole scope went through.
import type { Checkpoint } from '../checkpoint/index.js';
import type { IdentitySource } from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import type { EventPreparer } from '../ocsf/event-preparer.js';
import type { Sink } from '../sinks/sink.js';
import { AckLedger } from './ack-ledger.js';
import { collectListing } from './collect-listing.js';
import { reportDeletions } from './deletions.js';
import { createIdentityEmitter } from './identity-emitter.js';
import { ScopeTally, type ScopeOutcome } from './scope-summary.js';
import { ScopeSelection } from './selection.js';
import type { RunOptions, ScopeSummary } from './types.js';

/** The parts of the configuration a scope reads. */
export interface ScopeRunConfig {
  delivery: Config['delivery'];
  state: Pick<Config['state'], 'max_delete_fraction' | 'fingerprint_ignore'>;
}

export interface ScopeRunDeps {
  config: ScopeRunConfig;
  options: RunOptions;
  runId: string;
  checkpoint: Checkpoint;
  sinks: readonly Sink[];
  preparer: EventPreparer;
  logger: Logger;
}

export async function runScope(source: IdentitySource, deps: ScopeRunDeps): Promise<ScopeOutcome> {
  const { config, options, checkpoint, runId } = deps;
  const { scope } = source;
  const log = deps.logger.child({ scope, mode: options.mode });
  const tally = new ScopeTally(scope, source.accountId);
  checkpoint.startRun({ id: runId, scope, mode: options.mode });

  if (options.mode === 'incremental' && !source.hasCreationCheckpoint) {
    log.info('skipped: this source has no creation date; it is synced by full runs');
    const outcome = tally.finish({ interrupted: false, deliveryFailed: false });
    checkpoint.finishRun(runId, scope, { status: 'succeeded', usersSeen: 0, eventsSent: 0 });
    return outcome;
  }

  // 1. Selection: what the checkpoint says was delivered decides what is enriched and sent.
  const selection = ScopeSelection.load(checkpoint, scope, options);
  // 2. The ledger: batches to every sink, commits what all acknowledged, dead-letters what was refused.
  const ledger = createLedger(scope, deps, tally, log, selection);
  const emit = createIdentityEmitter({
    preparer: deps.preparer,
    ledger,
    runId,
    fingerprintIgnore: config.state.fingerprint_ignore,
    // A full run sends a known identity only when its content changed; backfill sends all it reads.
    ...(options.mode === 'full'
      ? {
          deliveredFingerprint: (key: string) => selection.known.get(key)?.fingerprint,
          onUnchanged: (key: string, createDateMs: number | undefined) =>
            selection.watermark.delivered(createDateMs, key),
        }
      : {}),
  });
  // 3. The listing, each enriched identity prepared and queued as it comes.
  // Half a batch of look-ahead: enrichment goes on behind a slow identity, the first batch goes out after
  // at most about 1.5 x batch_max_events reads, and memory holds that, not a listing page.
  const lookAhead = Math.max(1, Math.floor(config.delivery.batch_max_events / 2));
  // What the change feed read from the API since the last full run outranks an older credential report.
  const apiReadAt = (key: string): number | undefined => selection.known.get(key)?.apiReadMs ?? undefined;
  const listingDeps = { selection, emit, ledger, tally, log, options, lookAhead, apiReadAt };
  const listing = await collectListing(source, listingDeps);

  // 4. Deletions, only from a complete listing whose deliveries all went through.
  if (
    options.mode === 'full' &&
    listing.listingError === undefined &&
    !listing.interrupted &&
    !ledger.failed
  ) {
    const guard = {
      maxDeleteFraction: config.state.max_delete_fraction,
      allowMassDelete: options.allowMassDelete === true,
    };
    const { preparer } = deps;
    const deletionDeps = { scope, runId, checkpoint, preparer, ledger, tally, log };
    await reportDeletions(selection.unlisted(), selection.known.size, guard, deletionDeps);
  }
  await ledger.finish();
  options.progress?.scopeFinished(scope);

  // 5. The summary; the watermark moves only for a scope that succeeded.
  const outcome = tally.finish({ ...listing, deliveryFailed: ledger.failed });
  if (outcome.summary.status === 'succeeded' && source.hasCreationCheckpoint) {
    selection.saveWatermark(checkpoint, scope);
  }
  recordScopeFinished(checkpoint, runId, outcome.summary, log);
  return outcome;
}

function createLedger(
  scope: string,
  deps: ScopeRunDeps,
  tally: ScopeTally,
  log: Logger,
  selection: ScopeSelection,
): AckLedger {
  return new AckLedger({
    scope,
    runId: deps.runId,
    checkpoint: deps.checkpoint,
    sinks: deps.sinks,
    batchMaxEvents: deps.config.delivery.batch_max_events,
    batchMaxBytes: deps.config.delivery.batch_max_bytes,
    tally,
    log,
    observer: deps.options.observer,
    onCommitted: (key, createDateMs) => selection.watermark.delivered(createDateMs, key),
  });
}

function recordScopeFinished(
  checkpoint: Checkpoint,
  runId: string,
  summary: ScopeSummary,
  log: Logger,
): void {
  checkpoint.finishRun(runId, summary.scope, {
    status: summary.status,
    usersSeen: summary.usersSeen,
    eventsSent: summary.eventsSent,
    error: summary.error ?? null,
  });
  log.info(
    {
      status: summary.status,
      users_seen: summary.usersSeen,
      events_sent: summary.eventsSent,
      failed_users: summary.failedUsers,
      deletions: summary.deletions,
      dead_letters: summary.deadLetters,
    },
    'scope finished',
  );
}
