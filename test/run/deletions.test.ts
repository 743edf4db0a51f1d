import { afterAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.js';
import { createEventPreparer } from '../../src/ocsf/event-preparer.js';
import { planDeletions, reportDeletions } from '../../src/run/deletions.js';
import { prepareEvent } from '../../src/ocsf/event-preparer.js';
import { mappingContext } from '../ocsf/identity-fixtures.js';
import { keyOf, ledgerFor, RecordingSink, RUN_ID, SCOPE, stateDir, T0, user } from './run-fixtures.js';

const state = stateDir();
afterAll(() => state.remove());

const guard = { maxDeleteFraction: 0.5, allowMassDelete: false };

describe('planDeletions', () => {
  it('reports what is gone up to the configured fraction of the known identities', () => {
    expect(planDeletions([], 10, guard)).toEqual({ deleted: [] });
    expect(planDeletions(['a', 'b'], 4, guard)).toEqual({ deleted: ['a', 'b'] });
  });

  it('refuses a mass deletion, with the numbers and the way out, unless it is allowed', () => {
    const plan = planDeletions(['a', 'b', 'c'], 4, guard);
    expect(plan).toEqual({
      refused:
        'refusing to report 3 of 4 known identities as deleted (75.0% > state.max_delete_fraction 0.5); ' +
        'if this is real, rerun with --allow-mass-delete',
    });
    expect(planDeletions(['a', 'b', 'c'], 4, { ...guard, allowMassDelete: true })).toEqual({
      deleted: ['a', 'b', 'c'],
    });
  });
});

describe('reportDeletions', () => {
  const preparer = createEventPreparer(
    { version: '1.8.0', event_time: 'collected' },
    { unused_days: 45, rotation_days: 90 },
  );

  it('sends a deletion event built from the stored last event and marks the identity deleted', async () => {
    const checkpoint = state.checkpoint();
    const last = prepareEvent(user('gone', T0), mappingContext, '1.8.0');
    if (!last.ok) throw new Error(last.errors.join('\n'));
    const stored = (name: string, event: Record<string, unknown>) => ({
      scope: SCOPE,
      key: keyOf(name),
      kind: 'iam_user',
      fingerprint: 'f',
      event,
    });
    checkpoint.commitDelivered(
      [stored('gone', last.event), stored('odd', { class_uid: 5003, user: 'x' })],
      [],
    );
    const sink = new RecordingSink();
    const { ledger, tally } = ledgerFor(checkpoint, [sink]);
    const deps = { scope: SCOPE, runId: RUN_ID, checkpoint, preparer, ledger, tally, log: silentLogger() };
    await reportDeletions([keyOf('gone'), keyOf('odd'), keyOf('never-stored')], 10, guard, deps);
    await ledger.finish();

    expect(sink.batches).toEqual([[keyOf('gone')]]);
    expect(checkpoint.getIdentity(SCOPE, keyOf('gone'))).toMatchObject({ deleted: true });
    // An unreadable stored event is a dead letter naming what does not fit, never a guessed deletion.
    const [dead] = checkpoint.listDeadLetters();
    expect(dead).toMatchObject({ key: keyOf('odd'), reason: 'invalid OCSF event', sink: null });
    expect(dead?.errors).toEqual(
      expect.arrayContaining(['/user: expected object, got string', '/metadata: missing']),
    );
    expect(checkpoint.getIdentity(SCOPE, keyOf('odd'))).toMatchObject({ deleted: false });
    const outcome = tally.finish({ interrupted: false, deliveryFailed: false });
    expect(outcome.summary).toMatchObject({ deletions: 1, deadLetters: 1, status: 'failed' });
    expect(outcome.errors).toContain(
      `${SCOPE}: no last event stored for ${keyOf('never-stored')}: its deletion cannot be reported`,
    );
    checkpoint.close();
  });

  it('records a refused mass deletion as the scope problem and sends nothing', async () => {
    const checkpoint = state.checkpoint();
    const sink = new RecordingSink();
    const { ledger, tally } = ledgerFor(checkpoint, [sink]);
    const deps = { scope: SCOPE, runId: RUN_ID, checkpoint, preparer, ledger, tally, log: silentLogger() };
    await reportDeletions(['a', 'b'], 2, guard, deps);
    await ledger.finish();
    expect(sink.batches).toEqual([]);
    expect(tally.finish({ interrupted: false, deliveryFailed: false }).summary.error).toMatch(
      /^refusing to report 2 of 2 known identities as deleted \(100\.0%/,
    );
    checkpoint.close();
  });
});
