/**
 * nextToken/maxResults for every CodeStar List operation (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html: token 1–512
 * `^[\w/+=]+$`, maxResults 1–100). The token is standard base64 of (listing, scope, last seq): rows are
 * listed in insertion order, so the next page is "everything after that row" and stays put while rows
 * are added. A token from another listing or scope, or one we did not issue, is InvalidNextTokenException.
 */
import type { Seq } from '../../store/types.ts';
import { invalidNextToken } from './errors.ts';

export interface PageInput {
  nextToken?: string;
  maxResults?: number;
}

const DEFAULT_MAX_RESULTS = 100;

const encode = (listing: string, scope: string, seq: number) => Buffer.from(`${listing}\n${scope}\n${seq}`, 'utf8').toString('base64');

/** The seq a token stands for (undefined: first page). */
export function cursor(input: PageInput, listing: string, scope = ''): number | undefined {
  const token = input.nextToken;
  if (token === undefined) return undefined;
  const [l, s, n, ...rest] = Buffer.from(token, 'base64').toString('utf8').split('\n');
  const seq = Number(n);
  if (rest.length || l !== listing || s !== scope || !Number.isSafeInteger(seq) || seq < 1 || encode(listing, scope, seq) !== token) throw invalidNextToken();
  return seq;
}

/**
 * One page: fetches one row more than asked to learn whether another page follows.
 * `fetch(after, limit)` returns rows with seq > after, in seq order.
 */
export async function page<T>(
  input: PageInput,
  listing: string,
  scope: string,
  fetch: (after: number | undefined, limit: number) => Promise<Seq<T>[]>,
): Promise<{ items: Seq<T>[]; nextToken?: string }> {
  const after = cursor(input, listing, scope);
  const limit = input.maxResults ?? DEFAULT_MAX_RESULTS;
  const rows = await fetch(after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, nextToken: encode(listing, scope, last.seq) } : { items };
}
