import { afterAll, describe, expect, it } from '@jest/globals';
import type { Checkpoint } from '../../src/checkpoint/index.js';
import type { ListedIdentity } from '../../src/collector/index.js';
import { ScopeSelection, WatermarkTracker } from '../../src/run/selection.js';
import { keyOf, SCOPE, stateDir, T0 } from './run-fixtures.js';

const state = stateDir();
afterAll(() => state.remove());

const listed = (name: string, createDate?: number): ListedIdentity => ({
  key: keyOf(name),
  name,
  ...(createDate === undefined ? {} : { createDate }),
});

/** A state where `old` and `edge` were delivered, `edge` at the watermark second T0. */
function deliveredState(): Checkpoint {
  const checkpoint = state.checkpoint();
  checkpoint.commitDelivered(
    [
      {
        scope: SCOPE,
        key: keyOf('old'),
        kind: 'iam_user',
        createDateMs: T0 - 1000,
        fingerprint: 'f-old',
        event: {},
      },
      {
        scope: SCOPE,
        key: keyOf('edge'),
        kind: 'iam_user',
        createDateMs: T0,
        fingerprint: 'f-edge',
        event: {},
      },
      {
        scope: SCOPE,
        key: keyOf('late'),
        kind: 'iam_user',
        createDateMs: T0 + 5000,
        fingerprint: 'f',
        event: {},
      },
    ],
    [],
  );
  checkpoint.setWatermark(SCOPE, T0, [keyOf('edge')]);
  return checkpoint;
}

describe('ScopeSelection', () => {
  it('incremental: after the watermark, minus the keys at it and those an unfinished run delivered', () => {
    const checkpoint = deliveredState();
    const selection = ScopeSelection.load(checkpoint, SCOPE, { mode: 'incremental' });
    expect(selection.shouldEnrich(listed('old', T0 - 1000))).toBe(false);
    expect(selection.shouldEnrich(listed('edge', T0))).toBe(false);
    expect(selection.shouldEnrich(listed('twin', T0))).toBe(true);
    expect(selection.shouldEnrich(listed('late', T0 + 5000))).toBe(false);
    expect(selection.shouldEnrich(listed('new', T0 + 6000))).toBe(true);
    // No creation date, no watermark: such identities are synced by full runs.
    expect(selection.shouldEnrich(listed('undated'))).toBe(false);
    // A recreated identity (same key, another creation date) is new.
    expect(selection.shouldEnrich(listed('late', T0 + 9000))).toBe(true);
    checkpoint.close();
  });

  it('full enriches everything; backfill what was created since the date (or has no date)', () => {
    const checkpoint = deliveredState();
    const full = ScopeSelection.load(checkpoint, SCOPE, { mode: 'full' });
    expect(
      [listed('old', T0 - 1000), listed('edge', T0), listed('u')].every((l) => full.shouldEnrich(l)),
    ).toBe(true);
    const backfill = ScopeSelection.load(checkpoint, SCOPE, { mode: 'backfill', since: T0 });
    expect(backfill.shouldEnrich(listed('old', T0 - 1000))).toBe(false);
    expect(backfill.shouldEnrich(listed('edge', T0))).toBe(true);
    expect(backfill.shouldEnrich(listed('undated'))).toBe(true);
    checkpoint.close();
  });

  it('moves the watermark over delivered identities and those delivered before, and saves it', () => {
    const checkpoint = deliveredState();
    const selection = ScopeSelection.load(checkpoint, SCOPE, { mode: 'incremental' });
    const page = [
      listed('edge', T0),
      listed('late', T0 + 5000),
      listed('new', T0 + 6000),
      listed('other', T0 + 7000),
    ];
    // `new` is enriched (it counts once delivered); `late` was delivered before; `other` was never delivered.
    selection.listed(page);
    expect(selection.watermark.max).toBe(T0 + 5000);
    selection.watermark.delivered(T0 + 6000, keyOf('new'));
    selection.saveWatermark(checkpoint, SCOPE);
    expect(checkpoint.getWatermark(SCOPE)).toEqual({
      watermarkMs: T0 + 6000,
      keysAtWatermark: new Set([keyOf('new')]),
    });
    checkpoint.close();
  });

  it('names the known identities a listing did not contain', () => {
    const checkpoint = deliveredState();
    const selection = ScopeSelection.load(checkpoint, SCOPE, { mode: 'full' });
    selection.listed([listed('old', T0 - 1000)]);
    selection.listed([listed('late', T0 + 5000), listed('new', T0 + 6000)]);
    expect(selection.unlisted()).toEqual([keyOf('edge')]);
    expect(selection.alreadyDelivered(listed('old', T0 - 1000))).toBe(true);
    expect(selection.alreadyDelivered(listed('old', T0))).toBe(false);
    checkpoint.close();
  });

  it('saves no watermark when nothing with a creation date was ever delivered', () => {
    const checkpoint = state.checkpoint();
    const selection = ScopeSelection.load(checkpoint, SCOPE, { mode: 'full' });
    selection.watermark.delivered(undefined, 'identity-center-user');
    selection.saveWatermark(checkpoint, SCOPE);
    expect(checkpoint.getWatermark(SCOPE)).toBeUndefined();
    checkpoint.close();
  });
});

describe('WatermarkTracker', () => {
  it('keeps the greatest creation date and every key delivered at exactly that time', () => {
    const tracker = new WatermarkTracker({ watermarkMs: T0, keysAtWatermark: new Set(['a']) });
    tracker.delivered(T0, 'b');
    tracker.delivered(T0 - 1, 'c');
    expect([tracker.max, [...tracker.keys]]).toEqual([T0, ['a', 'b']]);
    tracker.delivered(T0 + 1, 'd');
    expect([tracker.max, [...tracker.keys]]).toEqual([T0 + 1, ['d']]);
    expect(new WatermarkTracker(undefined).hasMark).toBe(false);
  });
});
