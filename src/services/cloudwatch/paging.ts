/**
 * NextToken of CloudWatch's list calls: the position after the page, bound to the query it pages
 * (base64url of {query hash, position}); a token no answer gave, or one of another query, is
 * refused with the operation's error for it.
 */
import { createHash } from 'node:crypto';

const hashOf = (query: unknown) => createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);

export const encodeToken = (query: unknown, position: string | number) => Buffer.from(JSON.stringify([hashOf(query), position]), 'utf8').toString('base64url');

/** The position the token holds, or 'invalid'; undefined without a token. */
export function decodeToken(token: string | undefined, query: unknown): string | number | undefined | 'invalid' {
  if (token === undefined || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== hashOf(query)) return 'invalid';
    const pos = parsed[1] as unknown;
    return typeof pos === 'string' || typeof pos === 'number' ? pos : 'invalid';
  } catch {
    return 'invalid';
  }
}
