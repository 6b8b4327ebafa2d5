/**
 * NextToken of EventBridge's list calls: the last name (or target id) of the page, base64url with a
 * kind prefix, so a token of one list is no token of another. Limit is 1–100
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html); without one a
 * page holds 100.
 */
import { invalidToken } from './errors.ts';

export const PAGE_SIZE = 100;

export const encodeToken = (kind: string, last: string) => Buffer.from(`${kind}:${last}`, 'utf8').toString('base64url');

export function decodeToken(kind: string, token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || encodeToken(kind, text.slice(kind.length + 1)) !== token) throw invalidToken();
  return text.slice(kind.length + 1);
}

/** A page of `limit` from `limit + 1` items read: the items, and a NextToken when there are more. */
export function page<T>(items: T[], limit: number, kind: string, key: (t: T) => string): { items: T[]; next?: string } {
  if (items.length <= limit) return { items };
  const shown = items.slice(0, limit);
  const last = shown[shown.length - 1];
  return last === undefined ? { items: shown } : { items: shown, next: encodeToken(kind, key(last)) };
}
