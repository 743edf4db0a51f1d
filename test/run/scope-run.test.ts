import { afterAll, describe, expect, it } from '@jest/globals';
import type { Checkpoint } from '../../src/checkpoint/index.js';
import type { CollectedItem, IdentitySource, ListedIdentity } from '../../src/collector/index.js';
import type { IamUser, Identity } from '../../src/identity/identity.js';
import { silentLogger } from '../../src/log.js';
import { createEventPreparer, type EventPreparer } from '../../src/ocsf/event-preparer.js';
import { createIdentityEmitter } from '../../src/run/identity-emitter.js';
import { runScope, type ScopeRunDeps } from '../../src/run/scope-run.js';
import type { RunMode } from '../../src/run/types.js';
import { keyOf, ledgerFor, RecordingSink, SCOPE, stateDir, T0, user } from './run-fixtures.js';

// runScope as the sequence of its parts, over an in-test IdentitySource (our interface) and a real checkpoint.

const state = stateDir();
afterAll(() => state.remove());

const preparer = createEventPreparer(
  { version: '1.8.0', event_time: 'collected' },
  { unused_days: 45, rotation_days: 90 },
);

interface SourceScript {
  scope?: string;
  /** Enrichment results that are not the identity itself, by user name. */
  failed?: Set<string>;
  /** The listing throws after this many pages. */
  failAfterPages?: number;
}

/** Lists `users` two per page, enriching those the run selects (or failing them as scripted). */
function sourceOf(users: IamUser[], script: SourceScript = {}): IdentitySource {
  const scope = script.scope ?? SCOPE;
  return {
    scope,
    kind: 'aws_account',
    accountId: scope,
    hasCreationCheckpoint: true,
    async *pages({ shouldEnrich }) {
      for (let i = 0; i < users.length; i += 2) {
        if (script.failAfterPages !== undefined && i / 2 >= script.failAfterPages) {
          throw new Error('ListUsers: Throttling: Rate exceeded');
        }
        const page = users.slice(i, i + 2);
        const listed: ListedIdentity[] = page.map((u) => ({
          key: u.arn,
          name: u.userName,
          createDate: u.createDate,
        }));
        yield { kind: 'page', listed };
        const items: CollectedItem[] = page
          .filter((_, j) => shouldEnrich(listed[j]!))
          .map((u) =>
            script.failed?.has(u.userName)
              ? { status: 'failed', key: u.arn, name: u.userName, action: 'GetUser', error: 'Throttling' }
              : { status: 'ok', identity: u },
          );
        yield { kind: 'items', items };
      }
    },
  };
}

let runs = 0;

function deps(
  checkpoint: Checkpoint,
  sink: RecordingSink,
  mode: RunMode,
  over: Partial<ScopeRunDeps> = {},
): ScopeRunDeps {
  return {
    config: {
      delivery: { batch_max_events: 2, batch_max_bytes: 1_000_000 },
      state: { max_delete_fraction: 0.5, fingerprint_ignore: [] },
    },
    options: { mode, logger: silentLogger() },
    runId: `run-${++runs}`,
    checkpoint,
    sinks: [sink],
    preparer,
    logger: silentLogger(),
    ...over,
  };
}

const users = [user('u1', T0), user('u2', T0 + 1000), user('u3', T0 + 2000)];

describe('runScope', () => {
  it('a full run sends what changed and what is gone, and moves the watermark', async () => {
    const checkpoint = state.checkpoint();
    const first = new RecordingSink();
    const initial = await runScope(sourceOf(users), deps(checkpoint, first, 'full'));
    expect(initial.summary).toMatchObject({ status: 'succeeded', usersSeen: 3, eventsSent: 3, deletions: 0 });
    expect(initial.errors).toEqual([]);
    expect(checkpoint.getWatermark(SCOPE)).toEqual({
      watermarkMs: T0 + 2000,
      keysAtWatermark: new Set([keyOf('u3')]),
    });

    // u1 changed, u2 did not, u3 is gone.
    const second = new RecordingSink();
    const changed = [{ ...users[0]!, path: '/ops/' }, users[1]!];
    const outcome = await runScope(sourceOf(changed), deps(checkpoint, second, 'full'));
    expect(second.batches.flat()).toEqual([keyOf('u1'), keyOf('u3')]);
    expect(outcome.summary).toMatchObject({
      status: 'succeeded',
      usersSeen: 2,
      usersCollected: 2,
      eventsSent: 2,
      deletions: 1,
    });
    expect(checkpoint.getIdentity(SCOPE, keyOf('u3'))).toMatchObject({ deleted: true });
    expect(checkpoint.lastRun(SCOPE)).toMatchObject({ status: 'succeeded', eventsSent: 2 });
    checkpoint.close();
  });

  it('an incremental run sends only what is newer than the watermark', async () => {
    const checkpoint = state.checkpoint();
    await runScope(sourceOf(users.slice(0, 2)), deps(checkpoint, new RecordingSink(), 'incremental'));
    const sink = new RecordingSink();
    const outcome = await runScope(sourceOf(users), deps(checkpoint, sink, 'incremental'));
    expect(sink.batches).toEqual([[keyOf('u3')]]);
    expect(outcome.summary).toMatchObject({ usersSeen: 3, usersCollected: 1, eventsSent: 1 });
    checkpoint.close();
  });

  it('returns its errors in the outcome, per scope, and does not advance a scope that had one', async () => {
    const checkpoint = state.checkpoint();
    const [bad, good] = await Promise.all([
      runScope(
        sourceOf(users, { scope: 'A', failed: new Set(['u2']) }),
        deps(checkpoint, new RecordingSink(), 'incremental'),
      ),
      runScope(sourceOf(users, { scope: 'B' }), deps(checkpoint, new RecordingSink(), 'incremental')),
    ]);
    expect(bad!.summary).toMatchObject({
      status: 'failed',
      failedUsers: 1,
      eventsSent: 2,
      error: 'u2: GetUser failed: Throttling',
    });
    expect(bad!.errors).toEqual(['A: u2: GetUser failed: Throttling']);
    expect(checkpoint.getWatermark('A')).toBeUndefined();
    expect(good!.errors).toEqual([]);
    expect(checkpoint.getWatermark('B')?.watermarkMs).toBe(T0 + 2000);
    checkpoint.close();
  });

  it('infers no deletion from a listing that failed part way', async () => {
    const checkpoint = state.checkpoint();
    await runScope(sourceOf(users), deps(checkpoint, new RecordingSink(), 'full'));
    const sink = new RecordingSink();
    const outcome = await runScope(sourceOf(users, { failAfterPages: 1 }), deps(checkpoint, sink, 'full'));
    expect(outcome.summary).toMatchObject({
      status: 'failed',
      deletions: 0,
      error: 'ListUsers: Throttling: Rate exceeded',
    });
    expect(checkpoint.countKnown(SCOPE)).toBe(3);
    checkpoint.close();
  });

  it('dead-letters an identity whose event fails validation and reports the distinct errors', async () => {
    const checkpoint = state.checkpoint();
    const breaking: EventPreparer = {
      ...preparer,
      prepare(identity: Identity, ctx) {
        const prepared = preparer.prepare(identity, ctx);
        return prepared.ok && prepared.event.user.name === 'u2'
          ? { ok: false, event: prepared.event, errors: ['/user/type_id: must be integer'] }
          : prepared;
      },
    };
    const sink = new RecordingSink();
    const outcome = await runScope(sourceOf(users), deps(checkpoint, sink, 'full', { preparer: breaking }));
    expect(sink.batches.flat()).toEqual([keyOf('u1'), keyOf('u3')]);
    expect(outcome.summary).toMatchObject({ status: 'failed', deadLetters: 1 });
    expect(outcome.validationErrors).toEqual(new Map([['/user/type_id: must be integer', keyOf('u2')]]));
    expect(checkpoint.listDeadLetters()).toEqual([expect.objectContaining({ key: keyOf('u2'), sink: null })]);
    checkpoint.close();
  });
});

describe('createIdentityEmitter', () => {
  it('sends a handful of identities outside a listing, each only when its fingerprint changed', async () => {
    const checkpoint = state.checkpoint();
    await runScope(sourceOf(users), deps(checkpoint, new RecordingSink(), 'full'));
    const sink = new RecordingSink();
    const { ledger, tally } = ledgerFor(checkpoint, [sink]);
    const unchanged: string[] = [];
    const emit = createIdentityEmitter({
      preparer,
      ledger,
      runId: 'notification-1',
      fingerprintIgnore: [],
      deliveredFingerprint: (key) => checkpoint.getIdentity(SCOPE, key)?.fingerprint,
      onUnchanged: (key) => unchanged.push(key),
    });
    expect(await emit(users[0]!)).toBe('unchanged');
    expect(await emit({ ...users[1]!, path: '/moved/' })).toBe('queued');
    await ledger.finish();
    expect(unchanged).toEqual([keyOf('u1')]);
    expect(sink.batches).toEqual([[keyOf('u2')]]);
    expect(tally.get('eventsSent')).toBe(1);
    expect(checkpoint.getLastEvent(SCOPE, keyOf('u2'))).toMatchObject({
      unmapped: { aws: { path: '/moved/' } },
    });
    checkpoint.close();
  });
});
