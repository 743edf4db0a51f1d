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

async function* cursorPages<P>(p: Pagination<P>, next: (page: P) => Next): AsyncGenerator<P> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    p.signal?.throwIfAborted();
    let page: P;
    try {
      page = await p.fetchPage(cursor);
    } catch (error) {
      p.signal?.throwIfAborted();
      if (p.fail !== undefined) throw p.fail(error);
      throw error;
    }
    yield page;
    const after = next(page);
    if (after.done) return;
    if (after.cursor === undefined || seen.has(after.cursor)) {
      const stuck = new Error(after.stuck);
      throw p.fail !== undefined ? p.fail(stuck) : stuck;
    }
    seen.add(after.cursor);
    cursor = after.cursor;
  }
}

/** Every page of a Marker-paginated list, each requested once the one before was consumed. */
export function markerPages<P extends MarkerPage>(p: Pagination<P>): AsyncGenerator<P> {
  return cursorPages(p, (page) =>
    page.IsTruncated === true
      ? { done: false, cursor: page.Marker, stuck: 'IsTruncated without a new Marker' }
      : { done: true },
  );
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
