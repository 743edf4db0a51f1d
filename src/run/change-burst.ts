// One burst of change-feed messages, received within changes.coalesce_ms: decode each, name the identities
// it can change, read each of them once for the whole burst, deliver, and say which messages may be
// deleted: those whose every event was acknowledged and committed, or that caused none. The rest stay on
// the queue and come back after the visibility timeout; malformed ones are left to the redrive policy.
import { randomUUID } from 'node:crypto';
import {
  changeImpact,
  decodeChangeMessage,
  impactTargetKey,
  type IdentitySource,
  type IgnoreReason,
  type ImpactTarget,
  type QueueMessage,
} from '../collector/index.js';
import { applyChangesToScope, type ChangeApplyDeps, type ScopeChangeResult } from './change-apply.js';

export interface ChangeBurstDeps extends Omit<ChangeApplyDeps, 'runId'> {
  sources: readonly IdentitySource[];
  includeRoles: boolean;
  /** Message ids already reported malformed: each is logged once, however often it comes back. */
  malformedSeen: Set<string>;
  /** Configured accounts that could not be opened: their changes stay on the queue for a later burst. */
  unavailableAccounts: ReadonlySet<string>;
  /** The Identity Center store could not be opened: its changes stay on the queue for a later burst. */
  identityCenterUnavailable?: boolean;
  /**
   * With --shard: the configured accounts, and whether the Identity Center store, of other shards. Their
   * changes are not this replica's to apply or to delete: they stay on the queue for their replica.
   */
  elsewhere?: { accountIds: ReadonlySet<string>; identityCenter: boolean };
  /** Accounts (and "identity-center") whose messages were already reported as another shard's. */
  elsewhereSeen?: Set<string>;
}

export interface ChangeBurstResult {
  received: number;
  /** Messages whose changes were applied (events sent or found unchanged). */
  applied: number;
  ignored: Partial<Record<IgnoreReason, number>>;
  malformed: number;
  /** Messages to delete, with the CloudTrail time of the change (for the lag). */
  done: { message: QueueMessage; eventTime?: number }[];
  /** Messages left on the queue: a read or a delivery failed, or the body is malformed. */
  kept: QueueMessage[];
  /** The kept messages that may succeed later (not the malformed ones): they come back after a backoff. */
  retry: QueueMessage[];
  scopes: ScopeChangeResult[];
}

type Planned =
  | { message: QueueMessage; verdict: 'ignored'; reason: IgnoreReason; eventTime?: number }
  | { message: QueueMessage; verdict: 'malformed' | 'retry' }
  | { message: QueueMessage; verdict: 'apply'; scopes: Set<string>; eventTime: number };

function scopeFor(
  target: ImpactTarget,
  accountId: string,
  sources: readonly IdentitySource[],
): IdentitySource | undefined {
  const identityCenter = target.kind.startsWith('identity_center');
  return sources.find((s) =>
    identityCenter ? s.kind === 'identity_center' : s.kind === 'aws_account' && s.accountId === accountId,
  );
}

function plan(
  message: QueueMessage,
  deps: ChangeBurstDeps,
  targets: Map<string, Map<string, ImpactTarget>>,
): Planned {
  const inScope = (accountId: string): boolean =>
    deps.unavailableAccounts.has(accountId) ||
    deps.elsewhere?.accountIds.has(accountId) === true ||
    deps.sources.some((s) => s.accountId === accountId);
  const decoded = decodeChangeMessage(message.body, inScope);
  if (decoded.kind === 'malformed') {
    if (!deps.malformedSeen.has(message.messageId)) {
      deps.malformedSeen.add(message.messageId);
      deps.logger.warn(
        { message_id: message.messageId, problem: decoded.problem },
        'change message cannot be decoded; left on the queue for its redrive policy',
      );
    }
    return { message, verdict: 'malformed' };
  }
  if (decoded.kind === 'ignored') return { message, verdict: 'ignored', reason: decoded.reason };
  const { record } = decoded;
  if (deps.unavailableAccounts.has(record.accountId)) return { message, verdict: 'retry' };
  if (deps.elsewhere?.accountIds.has(record.accountId) === true) {
    return otherShards(message, record.accountId, deps);
  }
  const scopes = new Set<string>();
  for (const t of changeImpact(record, { includeRoles: deps.includeRoles })) {
    const source = scopeFor(t, record.accountId, deps.sources);
    if (source === undefined && t.kind.startsWith('identity_center')) {
      if (deps.identityCenterUnavailable === true) return { message, verdict: 'retry' };
      if (deps.elsewhere?.identityCenter === true) return otherShards(message, 'identity-center', deps);
    }
    if (source === undefined) continue;
    scopes.add(source.scope);
    const forScope = targets.get(source.scope) ?? new Map<string, ImpactTarget>();
    forScope.set(impactTargetKey(t), t);
    targets.set(source.scope, forScope);
  }
  if (scopes.size === 0)
    return { message, verdict: 'ignored', reason: 'not_relevant', eventTime: record.eventTime };
  return { message, verdict: 'apply', scopes, eventTime: record.eventTime };
}

/**
 * A change of another shard's scope: left on the queue (not deleted, not applied), said once per scope. On
 * a queue that every replica reads, it comes back until its own replica receives it; a queue per shard
 * (an EventBridge rule on the shard's accounts) saves the detour.
 */
function otherShards(message: QueueMessage, scope: string, deps: ChangeBurstDeps): Planned {
  if (deps.elsewhereSeen !== undefined && !deps.elsewhereSeen.has(scope)) {
    deps.elsewhereSeen.add(scope);
    deps.logger.warn(
      { scope, message_id: message.messageId },
      "change of another shard's scope: left on the queue for the replica of that shard",
    );
  }
  return { message, verdict: 'retry' };
}

export async function applyChangeBurst(
  messages: readonly QueueMessage[],
  deps: ChangeBurstDeps,
): Promise<ChangeBurstResult> {
  const targets = new Map<string, Map<string, ImpactTarget>>();
  const planned = messages.map((m) => plan(m, deps, targets));
  const runId = randomUUID();
  const results = new Map<string, ScopeChangeResult>();
  for (const [scope, byKey] of targets) {
    const source = deps.sources.find((s) => s.scope === scope);
    if (source === undefined) continue;
    const result = await applyChangesToScope(source, [...byKey.values()], { ...deps, runId });
    for (const p of result.problems) deps.logger.error({ scope, err: p }, 'change not applied; message kept');
    results.set(scope, result);
  }
  const out: ChangeBurstResult = {
    received: messages.length,
    applied: 0,
    ignored: {},
    malformed: 0,
    done: [],
    kept: [],
    retry: [],
    scopes: [...results.values()],
  };
  for (const p of planned) {
    if (p.verdict === 'ignored') {
      out.ignored[p.reason] = (out.ignored[p.reason] ?? 0) + 1;
      out.done.push({ message: p.message, ...(p.eventTime !== undefined ? { eventTime: p.eventTime } : {}) });
    } else if (p.verdict === 'apply' && [...p.scopes].every((s) => results.get(s)?.ok === true)) {
      out.applied += 1;
      out.done.push({ message: p.message, eventTime: p.eventTime });
    } else {
      if (p.verdict === 'malformed') out.malformed += 1;
      else out.retry.push(p.message);
      out.kept.push(p.message);
    }
  }
  return out;
}
