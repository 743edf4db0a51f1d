// The two ways AWS pages a listing, written once: IAM's Marker (IsTruncated + Marker) and the NextToken of
// Organizations, Identity Store and SSO Admin. Both follow the same rules: only the service's "more" ends
// the loop (a short or empty page may come before the end), and a cursor that does not move would loop
// forever, so it fails the listing instead.

/** A page of a Marker-paginated IAM list. */
export interface MarkerPage {
  IsTruncated?: boolean;
  Marker?: string;
}

/** A page of a NextToken-paginated list. */
export interface TokenPage {
  NextToken?: string;
}

export interface Pagination<P> {
  /** "iam:ListUsers": what is listed, for errors. */
  action: string;
  /** One call: the first page without a cursor, the following ones with the cursor of the page before. */
  fetchPage: (cursor: string | undefined) => Promise<P>;
  /** The error to throw for a failed call or a cursor that does not move; default: the error as it is. */
  fail?: (cause: unknown) => Error;
  /** Checked before each call; an abort during a call is thrown as the abort, not as a failed call. */
  signal?: AbortSignal;
}

/** Where a page leaves the listing: at its end, or with the cursor of the next page. */
type Next = { done: true } | { done: false; cursor: string | undefined; stuck: string };

/**
 * A listing read one page at a time by whoever asks; it keeps only the cursor, never a page. (A generator
 * suspended at a yield keeps the page it yielded alive until it is resumed: a reader that holds on to the
 * listing between pages, as the streamed GAAD users do, would hold the raw page too.)
 */
export interface PageReader<P> {
  /** The next page; undefined once the service said there are no more. */
  read(): Promise<P | undefined>;
}

export class PageCursor<P> implements PageReader<P> {
  private cursor: string | undefined;
  private readonly seen = new Set<string>();
  private done = false;
  /** A cursor that did not move: thrown when the page after is asked for, as the listing cannot go on. */
  private stuck: string | undefined;

  constructor(
    private readonly p: Pagination<P>,
    private readonly after: (page: P) => Next,
  ) {}

  /** The next page; undefined once the service said there are no more. */
  async read(): Promise<P | undefined> {
    const p = this.p;
    if (this.stuck !== undefined) {
      const stuck = new Error(this.stuck);
      throw p.fail !== undefined ? p.fail(stuck) : stuck;
    }
    if (this.done) return undefined;
    p.signal?.throwIfAborted();
    let page: P;
    try {
      page = await p.fetchPage(this.cursor);
    } catch (error) {
      p.signal?.throwIfAborted();
      if (p.fail !== undefined) throw p.fail(error);
      throw error;
    }
    const next = this.after(page);
    if (next.done) this.done = true;
    else if (next.cursor === undefined || this.seen.has(next.cursor)) this.stuck = next.stuck;
    else {
      this.seen.add(next.cursor);
      this.cursor = next.cursor;
    }
    return page;
  }
}

async function* cursorPages<P>(p: Pagination<P>, next: (page: P) => Next): AsyncGenerator<P> {
  const cursor = new PageCursor(p, next);
  for (;;) {
    const page = await cursor.read();
    if (page === undefined) return;
    yield page;
  }
}

const markerNext = (page: MarkerPage): Next =>
  page.IsTruncated === true
    ? { done: false, cursor: page.Marker, stuck: 'IsTruncated without a new Marker' }
    : { done: true };

/** A Marker-paginated list read one page at a time (see PageCursor). */
export function markerCursor<P extends MarkerPage>(p: Pagination<P>): PageCursor<P> {
  return new PageCursor(p, markerNext);
}

/** Every page of a Marker-paginated list, each requested once the one before was consumed. */
export function markerPages<P extends MarkerPage>(p: Pagination<P>): AsyncGenerator<P> {
  return cursorPages(p, markerNext);
}

/** Whether another page follows this one: an absent or empty NextToken ends the list. */
export function hasNextToken(page: TokenPage): boolean {
  return page.NextToken !== undefined && page.NextToken !== '';
}

/** Every page of a NextToken-paginated list. */
export function tokenPages<P extends TokenPage>(p: Pagination<P>): AsyncGenerator<P> {
  return cursorPages(p, (page) =>
    hasNextToken(page)
      ? { done: false, cursor: page.NextToken, stuck: 'the same NextToken twice' }
      : { done: true },
  );
}

/** The items of every page, in order. */
export async function allItems<P, I>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => I[] | undefined,
): Promise<I[]> {
  const all: I[] = [];
  for await (const page of pages) all.push(...(itemsOf(page) ?? []));
  return all;
}
