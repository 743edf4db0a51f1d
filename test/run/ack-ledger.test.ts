import { afterAll, describe, expect, it } from '@jest/globals';
import { keyOf, ledgerFor, outbound, RecordingSink, RUN_ID, SCOPE, stateDir, T0 } from './run-fixtures.js';

const state = stateDir();
afterAll(() => state.remove());

const upsert = (createDateMs: number) =>
  ({ type: 'upsert', kind: 'iam_user', name: 'n', createDateMs, fingerprint: `fp-${createDateMs}` }) as const;

describe('AckLedger', () => {
  it('commits what every sink acknowledged, batch by batch, and reports each committed identity', async () => {
    const checkpoint = state.checkpoint();
    const sinks = [new RecordingSink('a'), new RecordingSink('b')];
    const committed: [string, number | undefined][] = [];
    const { ledger, tally } = ledgerFor(checkpoint, sinks, {
      onCommitted: (key, createDateMs) => committed.push([key, createDateMs]),
    });
    for (const [i, name] of ['u1', 'u2', 'u3'].entries())
      await ledger.add(outbound(keyOf(name)), upsert(T0 + i));
    await ledger.finish();
    for (const sink of sinks) expect(sink.batches).toEqual([[keyOf('u1'), keyOf('u2')], [keyOf('u3')]]);
    expect([...checkpoint.knownKeys(SCOPE).keys()].sort()).toEqual([keyOf('u1'), keyOf('u2'), keyOf('u3')]);
    expect(checkpoint.getIdentity(SCOPE, keyOf('u2'))).toMatchObject({
      fingerprint: `fp-${T0 + 1}`,
      createDateMs: T0 + 1,
    });
    expect(checkpoint.getLastEvent(SCOPE, keyOf('u3'))).toEqual(outbound(keyOf('u3')).event);
    expect(committed).toEqual([
      [keyOf('u1'), T0],
      [keyOf('u2'), T0 + 1],
      [keyOf('u3'), T0 + 2],
    ]);
    expect(tally.get('eventsSent')).toBe(3);
    expect(tally.finish({ interrupted: false, deliveryFailed: ledger.failed }).summary.status).toBe(
      'succeeded',
    );
    checkpoint.close();
  });

  it('keeps one batch in flight while the caller goes on, and commits nothing before the acknowledgement', async () => {
    const checkpoint = state.checkpoint();
    const sink = new RecordingSink();
    sink.hold = true;
    const { ledger } = ledgerFor(checkpoint, [sink]);
    for (const name of ['u1', 'u2', 'u3']) await ledger.add(outbound(keyOf(name)), upsert(T0));
    // The first batch is out and not acknowledged: the third add returned without waiting for it.
    expect(sink.inFlight).toBe(1);
    expect(checkpoint.countKnown(SCOPE)).toBe(0);
    const more = (async () => {
      await ledger.add(outbound(keyOf('u4')), upsert(T0));
      await ledger.add(outbound(keyOf('u5')), upsert(T0)); // full batch 2 waits for batch 1
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.inFlight).toBe(1);
    sink.release();
    await more;
    await ledger.finish();
    expect(sink.maxInFlight).toBe(1);
    expect(sink.batches.flat()).toHaveLength(5);
    expect(checkpoint.countKnown(SCOPE)).toBe(5);
    checkpoint.close();
  });

  it('dead-letters what a sink refused for good and does not record it as delivered', async () => {
    const checkpoint = state.checkpoint();
    const refusing = new RecordingSink('refusing');
    refusing.refuse.add(keyOf('u2'));
    const { ledger, tally } = ledgerFor(checkpoint, [new RecordingSink('ok'), refusing]);
    await ledger.add(outbound(keyOf('u1')), upsert(T0));
    await ledger.add(outbound(keyOf('u2')), upsert(T0));
    await ledger.finish();
    expect([...checkpoint.knownKeys(SCOPE).keys()]).toEqual([keyOf('u1')]);
    expect(checkpoint.listDeadLetters()).toEqual([
      expect.objectContaining({
        runId: RUN_ID,
        scope: SCOPE,
        key: keyOf('u2'),
        sink: 'refusing',
        reason: 'too large',
        event: outbound(keyOf('u2')).event,
      }),
    ]);
    const outcome = tally.finish({ interrupted: false, deliveryFailed: ledger.failed });
    expect(outcome.summary).toMatchObject({ status: 'failed', eventsSent: 1, deadLetters: 1 });
    expect(outcome.errors).toEqual([`${SCOPE}: sink refusing refused ${keyOf('u2')}: too large`]);
    checkpoint.close();
  });

  it('commits nothing of a batch one sink failed, and sends nothing after it', async () => {
    const checkpoint = state.checkpoint();
    const failing = new RecordingSink('down');
    failing.failWith = 'connect ECONNREFUSED';
    const healthy = new RecordingSink('up');
    const { ledger, tally } = ledgerFor(checkpoint, [healthy, failing]);
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await ledger.add(outbound(keyOf(name)), upsert(T0));
    await ledger.finish();
    expect(ledger.failed).toBe(true);
    expect(healthy.batches).toEqual([[keyOf('u1'), keyOf('u2')]]);
    expect(checkpoint.countKnown(SCOPE)).toBe(0);
    const outcome = tally.finish({ interrupted: false, deliveryFailed: ledger.failed });
    expect(outcome.summary).toMatchObject({ status: 'failed', eventsSent: 0 });
    expect(outcome.errors).toEqual([`${SCOPE}: sink down: connect ECONNREFUSED`]);
    checkpoint.close();
  });

  it('records a deletion once acknowledged, and an invalid event as a dead letter without sending it', async () => {
    const checkpoint = state.checkpoint();
    const sink = new RecordingSink();
    const { ledger: first } = ledgerFor(checkpoint, [sink]);
    await first.add(outbound(keyOf('gone')), upsert(T0));
    await first.finish();
    const { ledger, tally } = ledgerFor(checkpoint, [sink]);
    await ledger.add(outbound(keyOf('gone'), { activity_id: 99 }), { type: 'deletion' });
    ledger.deadLetterInvalid(keyOf('bad'), { user: {} }, ['/user/name: missing']);
    await ledger.finish();
    expect(sink.batches).toEqual([[keyOf('gone')], [keyOf('gone')]]);
    expect(checkpoint.getIdentity(SCOPE, keyOf('gone'))).toMatchObject({ deleted: true });
    expect(checkpoint.listDeadLetters()).toEqual([
      expect.objectContaining({
        key: keyOf('bad'),
        sink: null,
        reason: 'invalid OCSF event',
        errors: ['/user/name: missing'],
      }),
    ]);
    const outcome = tally.finish({ interrupted: false, deliveryFailed: false });
    expect(outcome.summary).toMatchObject({ eventsSent: 1, deletions: 1, deadLetters: 1, status: 'failed' });
    expect(outcome.validationErrors).toEqual(new Map([['/user/name: missing', keyOf('bad')]]));
    checkpoint.close();
  });
});
