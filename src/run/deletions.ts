// Deletion events for the known identities a complete listing no longer contains, unless so many are gone
// that it looks like a wrong listing (wrong account, missing permission) rather than real deletions.
import { randomUUID } from 'node:crypto';
import type { Checkpoint } from '../checkpoint/index.js';
import type { Logger } from '../log.js';
import type { EventPreparer } from '../ocsf/event-preparer.js';
import type { AckLedger } from './ack-ledger.js';
import type { ScopeTally } from './scope-summary.js';

export interface MassDeleteGuard {
  /** state.max_delete_fraction. */
  maxDeleteFraction: number;
  /** --allow-mass-delete. */
  allowMassDelete: boolean;
}

export type DeletionPlan = { deleted: string[] } | { refused: string };

/** Which of the `knownCount` known identities to report deleted: `gone`, or none if the guard refuses. */
export function planDeletions(gone: string[], knownCount: number, guard: MassDeleteGuard): DeletionPlan {
  if (gone.length === 0) return { deleted: [] };
  const fraction = gone.length / knownCount;
  if (fraction <= guard.maxDeleteFraction || guard.allowMassDelete) return { deleted: gone };
  return {
    refused:
      `refusing to report ${gone.length} of ${knownCount} known identities as deleted ` +
      `(${(fraction * 100).toFixed(1)}% > state.max_delete_fraction ${guard.maxDeleteFraction}); ` +
      'if this is real, rerun with --allow-mass-delete',
  };
}

export interface DeletionDeps {
  scope: string;
  runId: string;
  checkpoint: Checkpoint;
  preparer: EventPreparer;
  ledger: AckLedger;
  tally: ScopeTally;
  log: Logger;
}

/** Plans and queues the deletion events (call only after a complete listing whose deliveries went through). */
export async function reportDeletions(
  gone: string[],
  knownCount: number,
  guard: MassDeleteGuard,
  deps: DeletionDeps,
): Promise<void> {
  const plan = planDeletions(gone, knownCount, guard);
  if ('refused' in plan) {
    deps.tally.problem(plan.refused);
    deps.log.error({ gone: gone.length, known: knownCount }, plan.refused);
    return;
  }
  const { scope, runId, checkpoint, preparer, ledger, tally } = deps;
  const detectedAt = Date.now();
  for (const key of plan.deleted) {
    const stored = checkpoint.getLastEvent(scope, key);
    if (stored === undefined || stored === null) {
      // Not silently dropped: the identity stays known, so the next full run tries again.
      tally.problem(`no last event stored for ${key}: its deletion cannot be reported`);
      continue;
    }
    const prepared = preparer.deletion(stored, { collectedAt: detectedAt, runId, eventId: randomUUID() });
    if (!prepared.ok) {
      ledger.deadLetterInvalid(key, prepared.event, prepared.errors);
      continue;
    }
    await ledger.add(
      { key, event: prepared.event, json: JSON.stringify(prepared.event) },
      { type: 'deletion' },
    );
    if (ledger.failed) break;
  }
}
