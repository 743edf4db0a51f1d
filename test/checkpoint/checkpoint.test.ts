import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openCheckpoint, type DeliveredIdentity } from '../../src/checkpoint/index.js';

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-checkpoint-'));
});

function fresh(now?: () => number) {
  counter += 1;
  return openCheckpoint(join(dir, `state-${counter}.db`), { now });
}

const A = '111111111111';
const B = '222222222222';

function delivered(
  scope: string,
  key: string,
  fingerprint: string,
  createDateMs = 1_700_000_000_000,
): DeliveredIdentity {
  return {
    scope,
    key,
    kind: 'iam_user',
    name: key.split('/').pop() ?? key,
    createDateMs,
    fingerprint,
    event: { class_uid: 5003, user: { uid: key, name: key.split('/').pop() } },
  };
}

describe('watermarks', () => {
  it('stores the watermark with the keys delivered at that second, per scope', () => {
    const cp = fresh();
    expect(cp.getWatermark(A)).toBeUndefined();
    cp.setWatermark(A, 1_700_000_000_000, ['arn:aws:iam::1:user/b', 'arn:aws:iam::1:user/a']);
    cp.setWatermark(B, 1_600_000_000_000, []);
    expect(cp.getWatermark(A)).toEqual({
      watermarkMs: 1_700_000_000_000,
      keysAtWatermark: new Set(['arn:aws:iam::1:user/a', 'arn:aws:iam::1:user/b']),
    });
    cp.setWatermark(A, 1_700_000_001_000, new Set(['arn:aws:iam::1:user/c']));
    expect(cp.getWatermark(A)?.keysAtWatermark).toEqual(new Set(['arn:aws:iam::1:user/c']));
    expect(cp.getWatermark(B)?.watermarkMs).toBe(1_600_000_000_000);
    expect(() => cp.setWatermark(A, 1.5, [])).toThrow('integer ms');
    cp.close();
  });

  it('survives close and reopen', () => {
    const path = join(dir, 'reopen.db');
    const cp = openCheckpoint(path);
    cp.setWatermark(A, 42_000, ['k']);
    cp.close();
    const again = openCheckpoint(path);
    expect(again.getWatermark(A)).toEqual({ watermarkMs: 42_000, keysAtWatermark: new Set(['k']) });
    again.close();
  });
});

describe('identities', () => {
  it('records delivered identities and deletions, and forgets deletion on reappearance', () => {
    let now = 1_000;
    const cp = fresh(() => now);
    cp.commitDelivered([
      delivered(A, 'u/alice', 'f1'),
      delivered(A, 'u/bob', 'f2'),
      delivered(B, 'u/carol', 'f3'),
    ]);
    expect(cp.countKnown(A)).toBe(2);
    expect(cp.knownKeys(A)).toEqual(
      new Map([
        ['u/alice', { fingerprint: 'f1', createDateMs: 1_700_000_000_000, apiReadMs: null }],
        ['u/bob', { fingerprint: 'f2', createDateMs: 1_700_000_000_000, apiReadMs: null }],
      ]),
    );
    expect(cp.getLastEvent(A, 'u/bob')).toEqual({ class_uid: 5003, user: { uid: 'u/bob', name: 'bob' } });

    now = 2_000;
    cp.commitDelivered([delivered(A, 'u/alice', 'f1b')], [{ scope: A, key: 'u/bob' }]);
    expect(cp.getIdentity(A, 'u/alice')).toMatchObject({
      fingerprint: 'f1b',
      firstDeliveredMs: 1_000,
      lastDeliveredMs: 2_000,
      deleted: false,
    });
    expect(cp.getIdentity(A, 'u/bob')).toMatchObject({ deleted: true, deletedMs: 2_000 });
    expect([...cp.knownKeys(A).keys()]).toEqual(['u/alice']);
    expect(cp.countKnown(A)).toBe(1);
    // The deleted identity keeps its last event (what its deletion event carried).
    expect(cp.getLastEvent(A, 'u/bob')).toMatchObject({ user: { uid: 'u/bob' } });

    now = 3_000;
    cp.commitDelivered([delivered(A, 'u/bob', 'f2c')]);
    expect(cp.getIdentity(A, 'u/bob')).toMatchObject({ deleted: false, deletedMs: null, fingerprint: 'f2c' });
    expect(cp.countKnown(A)).toBe(2);
    expect(cp.countKnown(B)).toBe(1);
    cp.close();
  });

  it("records the change feed's API reads: the latest one stays, a delivery keeps it, a deleted identity gets none", () => {
    const cp = fresh();
    cp.commitDelivered([delivered(A, 'u/alice', 'f1'), delivered(A, 'u/bob', 'f2')]);
    cp.commitDelivered([], [{ scope: A, key: 'u/bob' }]);
    cp.recordApiReads(A, ['u/alice', 'u/bob', 'u/never-delivered'], 5_000);
    cp.recordApiReads(A, ['u/alice'], 4_000);
    // A full run's delivery (no API read of its own) leaves the read time as it was.
    cp.commitDelivered([delivered(A, 'u/alice', 'f1b')]);
    expect(cp.knownKeys(A).get('u/alice')).toMatchObject({ fingerprint: 'f1b', apiReadMs: 5_000 });
    cp.commitDelivered([delivered(A, 'u/bob', 'f2b')]);
    expect(cp.knownKeys(A).get('u/bob')).toMatchObject({ apiReadMs: null });
    expect(cp.getIdentity(A, 'u/never-delivered')).toBeUndefined();
    expect(cp.knownKeys(B).size).toBe(0);
    cp.close();
  });

  it('commits a batch atomically: a failure in the middle records nothing', () => {
    const cp = fresh();
    cp.commitDelivered([delivered(A, 'u/before', 'f0')]);
    const bad = { ...delivered(A, 'u/broken', 'fx'), kind: null as unknown as string };
    expect(() =>
      cp.commitDelivered([delivered(A, 'u/one', 'f1'), bad, delivered(A, 'u/two', 'f2')]),
    ).toThrow();
    expect([...cp.knownKeys(A).keys()]).toEqual(['u/before']);
    // Nor does a failing deletion half-apply the identities of its batch.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() =>
      cp.commitDelivered(
        [delivered(A, 'u/three', 'f3'), { ...delivered(A, 'u/four', 'f4'), event: cyclic }],
        [{ scope: A, key: 'u/before' }],
      ),
    ).toThrow();
    expect(cp.getIdentity(A, 'u/before')?.deleted).toBe(false);
    expect(cp.countKnown(A)).toBe(1);
    cp.close();
  });

  it('nests commits in an outer transaction', () => {
    const cp = fresh();
    expect(() =>
      cp.transaction(() => {
        cp.commitDelivered([delivered(A, 'u/x', 'f')]);
        cp.setWatermark(A, 5, ['u/x']);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(cp.countKnown(A)).toBe(0);
    expect(cp.getWatermark(A)).toBeUndefined();
    cp.close();
  });
});

describe('runs and dead letters', () => {
  it('tracks runs per scope and lists them newest first', () => {
    let now = 10_000;
    const cp = fresh(() => now);
    const id = cp.startRun({ scope: A, mode: 'full' });
    cp.startRun({ id, scope: B, mode: 'full' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(cp.lastRun(A)).toMatchObject({ id, status: 'running', startedMs: 10_000, finishedMs: null });
    now = 12_000;
    cp.finishRun(id, A, { status: 'succeeded', usersSeen: 10, eventsSent: 3 });
    cp.finishRun(id, B, {
      status: 'failed',
      usersSeen: 4,
      eventsSent: 0,
      error: 'AccessDenied on iam:ListUsers',
    });
    expect(cp.lastRun(A)).toMatchObject({
      status: 'succeeded',
      usersSeen: 10,
      eventsSent: 3,
      finishedMs: 12_000,
    });
    expect(cp.lastRun(B)).toMatchObject({ status: 'failed', error: 'AccessDenied on iam:ListUsers' });
    now = 13_000;
    const second = cp.startRun({ scope: A, mode: 'incremental' });
    expect(cp.listRuns(10).map((r) => [r.id, r.scope])).toEqual([
      [second, A],
      [id, B],
      [id, A],
    ]);
    expect(cp.listRuns(1)).toHaveLength(1);
    expect(() => cp.finishRun('nope', A, { status: 'failed', usersSeen: 0, eventsSent: 0 })).toThrow(
      'no run nope',
    );
    cp.close();
  });

  it('marks runs left running by a dead writer as interrupted when the next writer opens', () => {
    const path = join(dir, 'interrupted.db');
    const first = openCheckpoint(path);
    const id = first.startRun({ scope: A, mode: 'incremental' });
    // Simulate a process killed mid-run: its row is never finished. (The child-process version is in lock.test.)
    first.close();
    const reader = openCheckpoint(path, { readonly: true });
    expect(reader.lastRun(A)).toMatchObject({ id, status: 'interrupted' });
    reader.close();
    const next = openCheckpoint(path);
    expect(next.lastRun(A)).toMatchObject({
      id,
      status: 'interrupted',
      error: 'the process ended before the run finished',
    });
    expect(next.lastRun(A)?.finishedMs).not.toBeNull();
    next.close();
  });

  it('stores dead letters with their reason, details and event', () => {
    const cp = fresh(() => 77);
    const runId = cp.startRun({ scope: A, mode: 'full' });
    cp.addDeadLetter({ runId, scope: A, key: 'u/x', sink: 'siem', reason: 'HTTP 400', event: { a: 1 } });
    cp.addDeadLetter({
      runId,
      scope: B,
      key: 'u/y',
      sink: null,
      reason: 'invalid',
      errors: [{ path: '/user' }],
    });
    expect(cp.countDeadLetters()).toBe(2);
    expect(cp.countDeadLetters(A)).toBe(1);
    expect(cp.listDeadLetters(10)).toEqual([
      {
        id: 2,
        runId,
        scope: B,
        key: 'u/y',
        sink: null,
        reason: 'invalid',
        errors: [{ path: '/user' }],
        event: null,
        createdMs: 77,
      },
      {
        id: 1,
        runId,
        scope: A,
        key: 'u/x',
        sink: 'siem',
        reason: 'HTTP 400',
        errors: null,
        event: { a: 1 },
        createdMs: 77,
      },
    ]);
    cp.close();
  });
});

describe('summary and reset', () => {
  function populated() {
    let now = 1_700_000_500_000;
    const cp = fresh(() => now);
    cp.commitDelivered([delivered(A, 'u/a1', 'f'), delivered(A, 'u/a2', 'f'), delivered(B, 'u/b1', 'f')]);
    cp.commitDelivered([], [{ scope: A, key: 'u/a2' }]);
    cp.setWatermark(A, 1_700_000_000_000, ['u/a1', 'u/a2']);
    const runId = cp.startRun({ scope: A, mode: 'incremental' });
    now += 1000;
    cp.finishRun(runId, A, { status: 'succeeded', usersSeen: 2, eventsSent: 2 });
    cp.addDeadLetter({ runId, scope: B, key: 'u/b9', sink: 'siem', reason: 'too big' });
    return cp;
  }

  it('summarises every scope', () => {
    const cp = populated();
    const s = cp.summary();
    expect(s.schemaVersion).toBe(2);
    expect(s.deadLetters).toBe(1);
    expect(s.scopes).toEqual([
      {
        scope: A,
        watermark: { ms: 1_700_000_000_000, iso: '2023-11-14T22:13:20.000Z', keysAtWatermark: 2 },
        identitiesKnown: 1,
        identitiesDeleted: 1,
        lastRun: expect.objectContaining({ status: 'succeeded', mode: 'incremental', eventsSent: 2 }),
        deadLetters: 0,
      },
      { scope: B, watermark: null, identitiesKnown: 1, identitiesDeleted: 0, lastRun: null, deadLetters: 1 },
    ]);
    cp.close();
  });

  it('resets one scope, then everything', () => {
    const cp = populated();
    expect(cp.reset(A)).toEqual({ identities: 2, watermarks: 1, runs: 1, deadLetters: 0 });
    expect(cp.summary().scopes.map((s) => s.scope)).toEqual([B]);
    expect(cp.reset()).toEqual({ identities: 1, watermarks: 0, runs: 0, deadLetters: 1 });
    expect(cp.summary()).toMatchObject({ scopes: [], deadLetters: 0 });
    expect(cp.integrityCheck()).toBe('ok');
    cp.close();
  });

  it('refuses writes through a read-only handle', () => {
    const path = join(dir, 'ro.db');
    openCheckpoint(path).close();
    const ro = openCheckpoint(path, { readonly: true });
    expect(() => ro.setWatermark(A, 1, [])).toThrow(/readonly/);
    ro.close();
  });
});
