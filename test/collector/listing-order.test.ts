// The ordered look-ahead of a listing page's enrichment, driven by hand: which identities are started, what
// is handed on when, and what a stop request leaves.
import { describe, expect, it } from '@jest/globals';
import pLimit from 'p-limit';
import type { CollectedItem } from '../../src/collector/index.js';
import { inListingOrder } from '../../src/collector/strategies/listing-order.js';

/** Enrichment whose results the test releases one by one. */
function scripted(): {
  enrich: (name: string) => Promise<CollectedItem>;
  started: string[];
  finish: (name: string, status?: 'ok' | 'failed') => void;
} {
  const waiting = new Map<string, (item: CollectedItem) => void>();
  const started: string[] = [];
  return {
    started,
    enrich: (name) =>
      new Promise((resolve) => {
        started.push(name);
        waiting.set(name, resolve);
      }),
    finish: (name, status = 'ok') => {
      const item: CollectedItem =
        status === 'ok'
          ? { status: 'vanished', key: name, name }
          : { status: 'failed', key: name, name, action: 'iam:ListMFADevices', error: 'aborted' };
      waiting.get(name)?.(item);
    },
  };
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `u${i}`);
const keys = (items: CollectedItem[]): string[] => items.map((i) => (i.status === 'ok' ? '?' : i.key));
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('inListingOrder', () => {
  it('hands on in listing order, finished runs together, and starts no more than the look-ahead', async () => {
    const s = scripted();
    const chunks = inListingOrder(names(10), s.enrich, { limit: pLimit(2), lookAhead: 4 });
    const first = chunks.next();
    await settle();
    expect(s.started).toEqual(['u0', 'u1']); // the limit: two at a time
    s.finish('u1');
    await settle();
    expect(s.started).toEqual(['u0', 'u1', 'u2']);
    s.finish('u2');
    await settle();
    s.finish('u3');
    await settle();
    // u0 still reads: u4 would be the fifth identity ahead of what was handed on
    expect(s.started).toEqual(['u0', 'u1', 'u2', 'u3']);
    s.finish('u0');
    expect(keys((await first).value as CollectedItem[])).toEqual(['u0', 'u1', 'u2', 'u3']);
    const second = chunks.next();
    await settle();
    expect(s.started).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
    s.finish('u4');
    const rest: string[] = keys((await second).value as CollectedItem[]);
    for (let i = 5; i < 10; i++) {
      await settle();
      s.finish(`u${i}`);
      rest.push(...keys((await chunks.next()).value as CollectedItem[]));
    }
    expect(rest).toEqual(names(10).slice(4));
    expect((await chunks.next()).done).toBe(true);
  });

  it('on a stop request hands on what was completed before the first read cut short, then throws', async () => {
    const s = scripted();
    const controller = new AbortController();
    const chunks = inListingOrder(names(8), s.enrich, {
      limit: pLimit(2),
      lookAhead: 2,
      signal: controller.signal,
    });
    const first = chunks.next();
    await settle();
    s.finish('u0');
    expect(keys((await first).value as CollectedItem[])).toEqual(['u0']);
    await settle();
    expect(s.started).toEqual(['u0', 'u1', 'u2']);
    controller.abort();
    s.finish('u1');
    s.finish('u2', 'failed');
    expect(keys((await chunks.next()).value as CollectedItem[])).toEqual(['u1']);
    await expect(chunks.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.started).toEqual(['u0', 'u1', 'u2']); // nothing started after the stop request
  });
});
