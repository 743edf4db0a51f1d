// Collects one scope (an AWS account, or an Identity Center store), delivers its events, and commits state
// only for what every sink acknowledged. The watermark moves only when the whole scope went through.
import { randomUUID } from 'node:crypto';
import type { Checkpoint } from '../checkpoint/index.js';
import { fingerprint } from '../checkpoint/index.js';
import { identityCreateDate, identityKey, identityName } from '../identity/index.js';
import type { IdentitySource, ListedIdentity } from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import type { OutboundEvent, Sink } from '../sinks/sink.js';
import { EventBatcher } from './batcher.js';
import { deliverToAll } from './delivery.js';
import type { EventPipeline } from './event-pipeline.js';
import type { RunOptions, ScopeSummary } from './types.js';

export interface ScopeRunDeps {
  config: Config;
  options: RunOptions;
  runId: string;
  checkpoint: Checkpoint;
  sinks: readonly Sink[];
  pipeline: EventPipeline;
  logger: Logger;
  /** Validation errors already logged in this run (each distinct error is logged once). */
  loggedErrors: Set<string>;
  /** Failure reasons collected for the run summary. */
  errors: string[];
}

/** What the run must remember about an outbound event to commit it once acknowledged. */
interface PendingEntry {
  kind: string;
  name: string;
  createDateMs?: number;
  fingerprint: string;
  deletion: boolean;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
}

/** Greatest CreateDate delivered so far, and the keys delivered at exactly that time. */
class WatermarkTracker {
  max: number;
  keys: Set<string>;
  constructor(initial: { watermarkMs: number; keysAtWatermark: Set<string> } | undefined) {
    this.max = initial?.watermarkMs ?? Number.NEGATIVE_INFINITY;
    this.keys = new Set(initial?.keysAtWatermark ?? []);
  }
  delivered(createDate: number | undefined, key: string): void {
    if (createDate === undefined) return;
    if (createDate > this.max) {
      this.max = createDate;
      this.keys = new Set([key]);
    } else if (createDate === this.max) {
      this.keys.add(key);
    }
  }
}

/** A scope's summary before anything happened (also the summary of a scope that could not be opened). */
export function emptyScopeSummary(scope: string, accountId: string): ScopeSummary {
  return {
    scope,
    accountId,
    status: 'succeeded',
    usersSeen: 0,
    usersCollected: 0,
    eventsSent: 0,
    failedUsers: 0,
    deletions: 0,
    deadLetters: 0,
  };
}

export async function runScope(source: IdentitySource, deps: ScopeRunDeps): Promise<ScopeSummary> {
  const { config, options, checkpoint, sinks, pipeline, logger, runId } = deps;
  const { mode, signal } = options;
  const scope = source.scope;
  const log = logger.child({ scope, mode });
  const summary = emptyScopeSummary(scope, source.accountId);
  checkpoint.startRun({ id: runId, scope, mode });

  if (mode === 'incremental' && !source.hasCreationCheckpoint) {
    log.info('skipped: this source has no creation date; it is synced by full runs');
    checkpoint.finishRun(runId, scope, { status: 'succeeded', usersSeen: 0, eventsSent: 0 });
    return summary;
  }

  const watermark = checkpoint.getWatermark(scope);
  const known = checkpoint.knownKeys(scope);
  const tracker = new WatermarkTracker(watermark);
  const listedKeys = new Set<string>();
  const problems: string[] = [];
  let listingError: string | undefined;
  let deliveryFailed = false;
  let interrupted = false;

  const alreadyDelivered = (l: ListedIdentity): boolean => {
    const k = known.get(l.key);
    return k !== undefined && k.createDateMs === (l.createDate ?? null);
  };

  const shouldEnrich = (l: ListedIdentity): boolean => {
    if (mode === 'full') return true;
    if (mode === 'backfill')
      return options.since === undefined || l.createDate === undefined || l.createDate >= options.since;
    if (l.createDate === undefined) return false;
    if (watermark) {
      if (l.createDate < watermark.watermarkMs) return false;
      if (l.createDate === watermark.watermarkMs && watermark.keysAtWatermark.has(l.key)) return false;
    }
    // Delivered by an earlier run that did not finish: its batches were acknowledged and committed.
    return !alreadyDelivered(l);
  };

  const batcher = new EventBatcher(config.delivery.batch_max_events, config.delivery.batch_max_bytes);
  const pending = new Map<OutboundEvent, PendingEntry>();
  let inFlight: Promise<void> | undefined;

  const flush = async (batch: OutboundEvent[]): Promise<void> => {
    if (batch.length === 0 || deliveryFailed) return;
    const outcome = await deliverToAll(sinks, batch);
    if (!outcome.acknowledged) {
      deliveryFailed = true;
      for (const f of outcome.failures) {
        problems.push(`sink ${f.sink}: ${f.error}`);
        options.observer?.onSinkError?.(f.sink);
        log.error(
          { sink: f.sink, err: f.error, events: batch.length },
          'delivery failed; state not advanced',
        );
      }
      for (const e of batch) pending.delete(e);
      return;
    }
    const upserts = [];
    const deletions = [];
    const delivered: { entry: PendingEntry; key: string }[] = [];
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      const entry = pending.get(e)!;
      pending.delete(e);
      const refusals = outcome.rejected.get(i);
      if (refusals) {
        for (const r of refusals) {
          checkpoint.addDeadLetter({
            runId,
            scope,
            key: e.key,
            sink: r.sink,
            reason: r.reason,
            event: e.event,
          });
        }
        summary.deadLetters++;
        problems.push(`sink ${refusals[0]!.sink} refused ${e.key}: ${refusals[0]!.reason}`);
        continue;
      }
      if (entry.deletion) deletions.push({ scope, key: e.key });
      else
        upserts.push({
          scope,
          key: e.key,
          kind: entry.kind,
          name: entry.name,
          createDateMs: entry.createDateMs ?? null,
          fingerprint: entry.fingerprint,
          event: e.event,
          eventJson: e.json,
        });
      delivered.push({ entry, key: e.key });
    }
    checkpoint.commitDelivered(upserts, deletions);
    for (const d of delivered) if (!d.entry.deletion) tracker.delivered(d.entry.createDateMs, d.key);
    summary.eventsSent += delivered.length;
    summary.deletions += deletions.length;
    for (const sink of sinks) options.observer?.onEventsSent?.(sink.name, delivered.length);
    if (outcome.rejected.size > 0) options.observer?.onDeadLetters?.(outcome.rejected.size);
  };

  const enqueue = async (event: OutboundEvent, entry: PendingEntry): Promise<void> => {
    pending.set(event, entry);
    const ready = batcher.add(event);
    if (ready) {
      // One batch in flight while collection goes on: the next one waits for its acknowledgement.
      await inFlight;
      inFlight = flush(ready);
    }
  };

  const deadLetterInvalid = (key: string, event: Record<string, unknown>, errors: string[]): void => {
    checkpoint.addDeadLetter({ runId, scope, key, sink: null, reason: 'invalid OCSF event', errors, event });
    summary.deadLetters++;
    options.observer?.onDeadLetters?.(1);
    problems.push(`invalid OCSF event for ${key}`);
    for (const err of errors) {
      if (deps.loggedErrors.has(err)) continue;
      deps.loggedErrors.add(err);
      log.error({ key, validation_error: err }, 'event failed OCSF validation: not sent (dead letter)');
    }
  };

  const total = await source.estimatedTotal?.().catch(() => undefined);
  options.progress?.scopeStarted(scope, total);
  try {
    for await (const page of source.pages({ shouldEnrich, signal })) {
      summary.usersSeen += page.listed.length;
      const enrichedKeys = new Set<string>();
      for (const item of page.items) {
        if (item.status === 'ok') enrichedKeys.add(identityKey(item.identity));
      }
      for (const l of page.listed) {
        listedKeys.add(l.key);
        // Identities delivered before and not re-sent this run still count toward the watermark.
        if (!enrichedKeys.has(l.key) && alreadyDelivered(l)) tracker.delivered(l.createDate, l.key);
      }
      for (const item of page.items) {
        if (item.status === 'vanished') {
          log.debug(
            { key: item.key, name: item.name },
            'identity vanished between listing and enrichment: skipped',
          );
          continue;
        }
        if (item.status === 'failed') {
          summary.failedUsers++;
          problems.push(`${item.name}: ${item.action} failed: ${item.error}`);
          log.warn(
            { key: item.key, action: item.action, err: item.error },
            'enrichment failed: identity not emitted',
          );
          continue;
        }
        summary.usersCollected++;
        const identity = item.identity;
        const key = identityKey(identity);
        const prepared = pipeline.prepare(identity, {
          collectedAt: Date.now(),
          runId,
          eventId: randomUUID(),
        });
        if (!prepared.ok) {
          deadLetterInvalid(key, prepared.event, prepared.errors);
          continue;
        }
        const fp = fingerprint(prepared.event, config.state.fingerprint_ignore);
        const createDateMs = identityCreateDate(identity);
        if (mode === 'full') {
          const k = known.get(key);
          if (k && k.fingerprint === fp) {
            tracker.delivered(createDateMs, key);
            continue;
          }
        }
        const json = JSON.stringify(prepared.event);
        await enqueue(
          { key, event: prepared.event, json },
          {
            kind: identity.kind,
            name: identityName(identity),
            createDateMs,
            fingerprint: fp,
            deletion: false,
          },
        );
        if (deliveryFailed) break;
      }
      options.progress?.scopeAdvanced(scope, summary.usersSeen);
      options.observer?.onUsersCollected?.(source.accountId, page.items.length);
      if (deliveryFailed) break;
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
    }
  } catch (err) {
    if (signal?.aborted) {
      // Calls in flight were cancelled by the stop request: an interruption, not an AWS failure.
      interrupted = true;
    } else {
      listingError = errorMessage(err);
      log.error({ err: listingError }, 'listing failed');
    }
  }

  // Deletions only from a complete listing whose deliveries all went through.
  if (mode === 'full' && listingError === undefined && !interrupted && !deliveryFailed) {
    const gone = [...known.keys()].filter((k) => !listedKeys.has(k));
    if (gone.length > 0) {
      const fraction = gone.length / known.size;
      if (fraction > config.state.max_delete_fraction && !options.allowMassDelete) {
        const msg =
          `refusing to report ${gone.length} of ${known.size} known identities as deleted ` +
          `(${(fraction * 100).toFixed(1)}% > state.max_delete_fraction ${config.state.max_delete_fraction}); ` +
          'if this is real, rerun with --allow-mass-delete';
        problems.push(msg);
        log.error({ gone: gone.length, known: known.size }, msg);
      } else {
        const detectedAt = Date.now();
        for (const key of gone) {
          const last = checkpoint.getLastEvent(scope, key);
          if (!last) {
            // Not silently dropped: the identity stays known, so the next full run tries again.
            problems.push(`no last event stored for ${key}: its deletion cannot be reported`);
            continue;
          }
          const prepared = pipeline.deletion(last, { collectedAt: detectedAt, runId, eventId: randomUUID() });
          if (!prepared.ok) {
            deadLetterInvalid(key, prepared.event, prepared.errors);
            continue;
          }
          const entry = known.get(key)!;
          await enqueue(
            { key, event: prepared.event, json: JSON.stringify(prepared.event) },
            { kind: 'deletion', name: key, fingerprint: entry.fingerprint, deletion: true },
          );
          if (deliveryFailed) break;
        }
      }
    }
  }

  await inFlight;
  if (!deliveryFailed) await flush(batcher.take());
  options.progress?.scopeFinished(scope);

  if (listingError !== undefined) problems.unshift(listingError);
  const complete = listingError === undefined && !interrupted && !deliveryFailed && problems.length === 0;
  if (complete && source.hasCreationCheckpoint && Number.isFinite(tracker.max)) {
    checkpoint.setWatermark(scope, tracker.max, tracker.keys);
  }
  summary.status = interrupted ? 'interrupted' : complete ? 'succeeded' : 'failed';
  if (problems.length > 0) {
    summary.error = problems.length === 1 ? problems[0] : `${problems[0]} (and ${problems.length - 1} more)`;
    for (const p of problems.slice(0, 20)) deps.errors.push(`${scope}: ${p}`);
    if (problems.length > 20) deps.errors.push(`${scope}: ... ${problems.length - 20} more problems`);
  }
  checkpoint.finishRun(runId, scope, {
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
  return summary;
}
