/**
 * LookupEvents NextToken (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): opaque to callers, it holds the position of
 * the last event returned and a digest of the query it belongs to, so it must be replayed with the
 * same attributes, time range and category (MaxResults may change between pages) or it is refused.
 */
import { createHash } from 'node:crypto';
import type { EventPosition, EventQuery } from '../../store/types.ts';
import { invalidNextToken } from './errors.ts';

export interface TokenQuery {
  attributes: EventQuery['attributes'];
  start?: Date;
  end?: Date;
  category?: string;
  /** the Region whose history is read: a token does not cross Regions */
  region?: string;
}

/** The attributes combine with AND, so their order does not change the query. */
function digest(q: TokenQuery): string {
  const attrs = q.attributes.map((a) => `${a.key}\u0000${a.value}`).sort();
  const key = JSON.stringify([attrs, q.start?.getTime() ?? null, q.end?.getTime() ?? null, q.category ?? null, ...(q.region ? [q.region] : [])]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

export function writeToken(position: EventPosition, q: TokenQuery): string {
  return Buffer.from(JSON.stringify({ t: position.time, s: position.seq, q: digest(q) })).toString('base64url');
}

export function readToken(token: string, q: TokenQuery): EventPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  const p = parsed as { t?: unknown; s?: unknown; q?: unknown } | null;
  if (!p || !Number.isSafeInteger(p.t) || !Number.isSafeInteger(p.s) || p.q !== digest(q)) throw invalidNextToken();
  return { time: p.t as number, seq: p.s as number };
}
