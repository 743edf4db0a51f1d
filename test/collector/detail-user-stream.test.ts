// The streamed users of GetAccountAuthorizationDetails: each listing page's users are read when the page
// asks for them and dropped with the next page, so memory holds about one page; any order is still right.
import { describe, expect, it } from '@jest/globals';
import type {
  GetAccountAuthorizationDetailsCommandOutput as GaadPage,
  UserDetail,
} from '@aws-sdk/client-iam';
import { markerCursor, type PageCursor } from '../../src/collector/aws/pagination.js';
import { DetailUserStream } from '../../src/collector/iam/authorization-details.js';

const arn = (i: number): string => `arn:aws:iam::123456789012:user/u${String(i).padStart(3, '0')}`;
const detail = (i: number): UserDetail => ({ Arn: arn(i), UserId: `AIDA${i}`, GroupList: [`g${i % 3}`] });

/** GAAD user pages of `size` users in the given order (Marker-paginated), counting the pages read. */
function gaad(order: number[], size: number): { pages: PageCursor<GaadPage>; read: () => number } {
  let read = 0;
  const pages = markerCursor<GaadPage>({
    action: 'iam:GetAccountAuthorizationDetails',
    fetchPage: async (marker) => {
      read += 1;
      const from = Number(marker ?? 0);
      const more = from + size < order.length;
      return {
        UserDetailList: order.slice(from, from + size).map(detail),
        IsTruncated: more,
        ...(more ? { Marker: String(from + size) } : {}),
        $metadata: {},
      };
    },
  });
  return { pages, read: () => read };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('DetailUserStream', () => {
  it('reads GAAD as the listing pages ask and drops each page once the next one comes', async () => {
    const source = gaad(range(0, 300), 100);
    const stream = new DetailUserStream(source.pages, false);
    for (let page = 0; page < 3; page++) {
      const listed = range(page * 100, page * 100 + 100).map(arn);
      await stream.prepare(listed, listed);
      expect(source.read()).toBe(page + 1);
      expect(stream.get(arn(page * 100 + 7))?.groupNames).toEqual([`g${(page * 100 + 7) % 3}`]);
      // The page before is gone: memory holds one page.
      if (page > 0) expect(stream.get(arn(page * 100 - 1))).toBeUndefined();
    }
  });

  it('finds every user when GAAD lists them in another order, and reads only what the page needs', async () => {
    const source = gaad(range(0, 300).reverse(), 100);
    const stream = new DetailUserStream(source.pages, false);
    const first = range(0, 100).map(arn);
    // Users not to enrich are not waited for.
    await stream.prepare(first, []);
    expect(source.read()).toBe(0);
    await stream.prepare(first, first);
    expect(source.read()).toBe(3);
    for (const a of first) expect(stream.get(a)?.userId).toBeDefined();
    // A user GAAD never lists is absent (read per user by the caller) once GAAD has no more.
    await stream.prepare([arn(999)], [arn(999)]);
    expect(stream.get(arn(999))).toBeUndefined();
    expect(stream.get(arn(150))?.userId).toBe('AIDA150');
  });
});
