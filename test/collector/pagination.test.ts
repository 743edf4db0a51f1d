// The Marker and NextToken pagination on plain fake pages: only the service's "more" ends a listing (short
// and empty pages do not), a cursor that does not move fails it, failures take the caller's error, and an
// abort is an abort.
import { describe, expect, it } from '@jest/globals';
import { allItems, markerPages, tokenPages } from '../../src/collector/aws/pagination.js';

interface Marked {
  IsTruncated?: boolean;
  Marker?: string;
  Items: number[];
}
interface Tokened {
  NextToken?: string;
  Items: number[];
}

/** Serves the pages in order and records the cursor of each request. */
function served<P>(pages: P[], cursors: (string | undefined)[]): (cursor: string | undefined) => Promise<P> {
  return async (cursor) => {
    cursors.push(cursor);
    const page = pages[cursors.length - 1];
    if (page === undefined) throw new Error('asked for a page after the last');
    return page;
  };
}

class ListingFailed extends Error {
  constructor(readonly cause: unknown) {
    super(`listing failed: ${(cause as Error).message}`);
  }
}

describe('markerPages', () => {
  it('follows IsTruncated through short and empty pages, sending each Marker', async () => {
    const cursors: (string | undefined)[] = [];
    const pages: Marked[] = [
      { IsTruncated: true, Marker: 'm1', Items: [1] },
      { IsTruncated: true, Marker: 'm2', Items: [] },
      { IsTruncated: false, Items: [2, 3] },
    ];
    const items = await allItems(
      markerPages({ action: 'iam:ListUsers', fetchPage: served(pages, cursors) }),
      (p) => p.Items,
    );
    expect(items).toEqual([1, 2, 3]);
    expect(cursors).toEqual([undefined, 'm1', 'm2']);
  });

  it('fails on IsTruncated without a Marker or with one already sent', async () => {
    for (const stuck of [
      [{ IsTruncated: true, Items: [1] }],
      [
        { IsTruncated: true, Marker: 'm1', Items: [1] },
        { IsTruncated: true, Marker: 'm1', Items: [2] },
      ],
    ]) {
      const listing = markerPages({ action: 'iam:ListUsers', fetchPage: served<Marked>(stuck, []) });
      await expect(allItems(listing, (p) => p.Items)).rejects.toThrow('IsTruncated without a new Marker');
    }
  });

  it("throws the caller's error for a failed call and for a stuck marker, after the pages before", async () => {
    const seen: number[] = [];
    let calls = 0;
    const listing = markerPages<Marked>({
      action: 'iam:ListUsers',
      fetchPage: async () => {
        calls += 1;
        if (calls === 2) throw new Error('AccessDenied');
        return { IsTruncated: true, Marker: 'm1', Items: [calls] };
      },
      fail: (cause) => new ListingFailed(cause),
    });
    await expect(
      (async () => {
        for await (const page of listing) seen.push(...page.Items);
      })(),
    ).rejects.toThrow('listing failed: AccessDenied');
    expect(seen).toEqual([1]);
  });
});

describe('tokenPages', () => {
  it('follows NextToken until it is absent or empty', async () => {
    for (const last of [{ Items: [3] }, { NextToken: '', Items: [3] }]) {
      const cursors: (string | undefined)[] = [];
      const pages: Tokened[] = [{ NextToken: 't1', Items: [1] }, { NextToken: 't2', Items: [2] }, last];
      const items = await allItems(
        tokenPages({ action: 'identitystore:ListUsers', fetchPage: served(pages, cursors) }),
        (p) => p.Items,
      );
      expect(items).toEqual([1, 2, 3]);
      expect(cursors).toEqual([undefined, 't1', 't2']);
    }
  });

  it('fails on a NextToken it already sent, with the error the caller asked for', async () => {
    const pages: Tokened[] = [
      { NextToken: 't1', Items: [1] },
      { NextToken: 't1', Items: [2] },
    ];
    const listing = tokenPages({
      action: 'identitystore:ListUsers',
      fetchPage: served(pages, []),
      fail: (cause) => new ListingFailed(cause),
    });
    await expect(allItems(listing, (p) => p.Items)).rejects.toThrow(
      'listing failed: the same NextToken twice',
    );
  });

  it('passes a failed call on as it is without a fail mapping', async () => {
    const denied = { name: 'AccessDeniedException', message: 'no' };
    const listing = tokenPages<Tokened>({
      action: 'organizations:ListAccounts',
      fetchPage: () => Promise.reject(denied),
    });
    await expect(allItems(listing, (p) => p.Items)).rejects.toBe(denied);
  });

  it('stops before the next call once the signal is aborted, and an abort during a call stays an abort', async () => {
    const controller = new AbortController();
    let calls = 0;
    const listing = tokenPages<Tokened>({
      action: 'identitystore:ListUsers',
      fetchPage: async () => {
        calls += 1;
        return { NextToken: `t${calls}`, Items: [calls] };
      },
      fail: (cause) => new ListingFailed(cause),
      signal: controller.signal,
    });
    const first = await listing.next();
    expect(first.value?.Items).toEqual([1]);
    controller.abort(new Error('stopped'));
    await expect(listing.next()).rejects.toThrow('stopped');
    expect(calls).toBe(1);

    const during = new AbortController();
    const aborting = tokenPages<Tokened>({
      action: 'identitystore:ListUsers',
      fetchPage: async () => {
        during.abort(new Error('stopped during the call'));
        throw new Error('request aborted');
      },
      fail: (cause) => new ListingFailed(cause),
      signal: during.signal,
    });
    await expect(aborting.next()).rejects.toThrow('stopped during the call');
  });
});
