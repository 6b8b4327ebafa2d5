/**
 * NextToken/MaxResults paging (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html:
 * "MaxResults … an upper limit", NextToken null on the last page). Organizations' lists are small, so a
 * page is a slice of the ordered list; the token carries the offset and the operation it belongs to.
 */
import { invalidToken } from './errors.ts';

const DEFAULT_MAX = 20;

export function page<T>(items: T[], input: { NextToken?: string; MaxResults?: number }, op: string): { items: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    } catch {
      throw invalidToken();
    }
    const t = v as { op?: unknown; offset?: unknown };
    if (typeof v !== 'object' || v === null || t.op !== op || typeof t.offset !== 'number' || !Number.isSafeInteger(t.offset) || t.offset < 0)
      throw invalidToken();
    start = t.offset;
  }
  const max = input.MaxResults ?? DEFAULT_MAX;
  const end = start + max;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { NextToken: Buffer.from(JSON.stringify({ op, offset: end }), 'utf8').toString('base64url') } : {}),
  };
}
