// The change feed's step in a run's terms: the identities a burst of notifications names are read again
// (the notification is a trigger, never a value), prepared, fingerprinted, and sent only if they changed,
// through the same ack ledger as a run. A user or role IAM no longer has, and an Identity Center user the
// Identity Store no longer has, gets the deletion event of full mode.
import type { Checkpoint } from '../checkpoint/index.js';
import type { ChangedIdentities, IdentitySource, ImpactTarget } from '../collector/index.js';
import { identityKey } from '../identity/index.js';
import type { Logger } from '../log.js';
import type { EventPreparer } from '../ocsf/event-preparer.js';
import type { Sink } from '../sinks/sink.js';
import { AckLedger } from './ack-ledger.js';
import { reportDeletions } from './deletions.js';
import { createIdentityEmitter } from './identity-emitter.js';
import type { ScopeRunConfig } from './scope-run.js';
import { ScopeTally } from './scope-summary.js';

export interface ChangeApplyDeps {
  config: ScopeRunConfig;
  runId: string;
  checkpoint: Checkpoint;
  sinks: readonly Sink[];
  preparer: EventPreparer;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

/** ok: every event it caused was acknowledged by every sink and committed (or it caused none). */
export interface ScopeChangeResult {
  scope: string;
  ok: boolean;
  eventsSent: number;
  deletions: number;
  /** Identities read again. */
  identitiesRead: number;
  problems: string[];
}

/** The keys of known IAM users of `accountId` named `userName` (an ARN ends with "/<name>" whatever its path). */
export function knownUserKeys(known: Iterable<string>, accountId: string, userName: string): string[] {
  const prefix = `arn:aws:iam::${accountId}:user/`;
  return [...known].filter((k) => k.startsWith(prefix) && k.endsWith(`/${userName}`));
}

/** The keys of known IAM roles of `accountId` named `roleName`, whatever their path. */
export function knownRoleKeys(known: Iterable<string>, accountId: string, roleName: string): string[] {
  const prefix = `arn:aws:iam::${accountId}:role/`;
  return [...known].filter((k) => k.startsWith(prefix) && k.endsWith(`/${roleName}`));
}

/**
 * An Identity Center source has no targeted reads: the store is read whole, and only changes are sent. A
 * user a change names that the complete listing lacks is gone (the Identity Store says it no longer exists);
 * a listing that failed part way proves nothing.
 */
async function readWhole(
  source: IdentitySource,
  targets: readonly ImpactTarget[],
  signal: AbortSignal | undefined,
): Promise<ChangedIdentities> {
  const result: ChangedIdentities = { items: [], goneUsers: [], goneRoles: [], failures: [] };
  const listed = new Set<string>();
  try {
    for await (const chunk of source.pages({ shouldEnrich: () => true, ...(signal ? { signal } : {}) })) {
      if (chunk.kind === 'page') for (const l of chunk.listed) listed.add(l.key);
      else result.items.push(...chunk.items);
    }
  } catch (error) {
    result.failures.push(error instanceof Error ? error.message : String(error));
    return result;
  }
  for (const t of targets)
    if (t.kind === 'identity_center_user' && !listed.has(t.userId)) result.goneUsers.push(t.userId);
  return result;
}

/**
 * The state keys of the identities `read` says are gone, among those the scope knows. An identity that
 * vanished while it was read is named by its own key: a role and a user can share a name, and an Identity
 * Center user's key is its id.
 */
function goneKeys(
  source: IdentitySource,
  read: ChangedIdentities,
  vanished: readonly string[],
  known: Set<string>,
): string[] {
  const keys = new Set<string>();
  const add = (key: string): void => {
    if (known.has(key)) keys.add(key);
  };
  vanished.forEach(add);
  if (source.kind === 'identity_center') {
    read.goneUsers.forEach(add);
  } else {
    for (const name of read.goneUsers) knownUserKeys(known, source.accountId, name).forEach(add);
    for (const name of read.goneRoles) knownRoleKeys(known, source.accountId, name).forEach(add);
  }
  return [...keys];
}

export async function applyChangesToScope(
  source: IdentitySource,
  targets: readonly ImpactTarget[],
  deps: ChangeApplyDeps,
): Promise<ScopeChangeResult> {
  const { checkpoint, runId, config } = deps;
  const { scope } = source;
  const log = deps.logger.child({ scope, mode: 'changes' });
  const tally = new ScopeTally(scope, source.accountId);
  const ledger = new AckLedger({
    scope,
    runId,
    checkpoint,
    sinks: deps.sinks,
    batchMaxEvents: config.delivery.batch_max_events,
    batchMaxBytes: config.delivery.batch_max_bytes,
    tally,
    log,
  });
  const emit = createIdentityEmitter({
    preparer: deps.preparer,
    ledger,
    runId,
    fingerprintIgnore: config.state.fingerprint_ignore,
    deliveredFingerprint: (key) => {
      const known = checkpoint.getIdentity(scope, key);
      return known === undefined || known.deleted ? undefined : known.fingerprint;
    },
  });
  const readMs = Date.now();
  const read =
    source.readChanged !== undefined
      ? await source.readChanged(targets, deps.signal)
      : await readWhole(source, targets, deps.signal);
  const problems = [...read.failures];
  const vanished: string[] = [];
  for (const item of read.items) {
    if (ledger.failed) break;
    if (item.status === 'ok') await emit(item.identity);
    else if (item.status === 'vanished') vanished.push(item.key);
    else problems.push(`${item.name}: ${item.action}: ${item.error}`);
  }
  if (!ledger.failed && vanished.length + read.goneUsers.length + read.goneRoles.length > 0) {
    const known = checkpoint.knownKeys(scope);
    const keys = goneKeys(source, read, vanished, new Set(known.keys()));
    // Each deletion is confirmed by IAM (NoSuchEntity), not inferred from a listing: no mass-delete guard.
    const guard = { maxDeleteFraction: 1, allowMassDelete: true };
    const { preparer } = deps;
    await reportDeletions(keys, known.size, guard, {
      scope,
      runId,
      checkpoint,
      preparer,
      ledger,
      tally,
      log,
    });
  }
  await ledger.finish();
  // Once every event of the burst was acknowledged and committed: what was read (sent, or unchanged) is
  // as of readMs, and no credential report generated before that may replace it (src/collector/iam).
  if (!ledger.failed && source.readChanged !== undefined) {
    const readKeys = read.items.flatMap((i) => (i.status === 'ok' ? [identityKey(i.identity)] : []));
    checkpoint.recordApiReads(scope, readKeys, readMs);
  }
  const outcome = tally.finish({ interrupted: false, deliveryFailed: ledger.failed });
  problems.push(...outcome.errors);
  return {
    scope,
    ok: problems.length === 0 && !ledger.failed,
    eventsSent: tally.get('eventsSent'),
    deletions: tally.get('deletions'),
    identitiesRead: read.items.length + read.goneUsers.length + read.goneRoles.length,
    problems,
  };
}
