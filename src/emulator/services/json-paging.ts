// NextToken/MaxResults paging shared by the JSON 1.1 services. Tokens are opaque to callers and bound to
// the listing they came from (action + its parameters), as AWS rejects a token replayed elsewhere.
import type { EmuError } from '../service.js';

export interface PageLimits {
  /** What identifies the listing: e.g. "ListAccountsForParent:ou-abcd-12345678". */
  scope: string;
  defaultMaxResults: number;
  maxMaxResults: number;
  /** The service's error for bad input (InvalidInputException, ValidationException ...). */
  invalid: (message: string) => EmuError;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset }), 'utf8').toString('base64url');
}

function decodeToken(token: unknown, scope: string, limits: PageLimits): number {
  if (typeof token !== 'string' || token === '') throw limits.invalid('The NextToken is not valid.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw limits.invalid('The NextToken is not valid.');
  }
  const p = parsed as { s?: unknown; o?: unknown };
  if (p.s !== scope || typeof p.o !== 'number' || !Number.isInteger(p.o) || p.o < 0) {
    throw limits.invalid('The NextToken is not valid.');
  }
  return p.o;
}

export function paginate<T>(items: readonly T[], body: Record<string, unknown>, limits: PageLimits): Page<T> {
  let max = limits.defaultMaxResults;
  if (body.MaxResults !== undefined && body.MaxResults !== null) {
    const m = body.MaxResults;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > limits.maxMaxResults) {
      throw limits.invalid(`MaxResults must be an integer between 1 and ${limits.maxMaxResults}.`);
    }
    max = m;
  }
  const offset =
    body.NextToken === undefined || body.NextToken === null
      ? 0
      : decodeToken(body.NextToken, limits.scope, limits);
  const page = items.slice(offset, offset + max);
  const next = offset + page.length;
  return next < items.length ? { items: page, nextToken: encodeToken(limits.scope, next) } : { items: page };
}
