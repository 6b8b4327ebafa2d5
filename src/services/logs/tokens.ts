/**
 * Paging tokens. AWS's are opaque; startrail's carry the position they resume from, so a page is
 * one index range. GetLogEvents' tokens keep AWS's visible form, `f/<56 digits>` forward and
 * `b/<56 digits>` backward (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html):
 * the digits are the event's timestamp (20) and sequence (36). Other tokens are base64url JSON.
 * A token that does not parse is InvalidParameterException.
 */
import type { LogPosition } from '../../store/types.ts';
import { invalidToken } from './errors.ts';

export function positionToken(direction: 'f' | 'b', p: LogPosition): string {
  return `${direction}/${String(p.timestamp).padStart(20, '0')}${String(p.seq).padStart(36, '0')}/s`;
}

/** A GetLogEvents token: its direction and position. */
export function parsePositionToken(token: string): { direction: 'f' | 'b'; position: LogPosition } {
  const m = /^([fb])\/(\d{20})(\d{36})(?:\/s)?$/.exec(token);
  if (!m) throw invalidToken();
  const timestamp = Number(m[2]);
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) throw invalidToken();
  return { direction: m[1] === 'f' ? 'f' : 'b', position: { timestamp, seq } };
}

export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The token's value if it is an object whose members have the types `check` wants, else InvalidParameterException. */
export function decodeToken<T>(token: string, check: (v: Record<string, unknown>) => v is Record<string, unknown> & T): T {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !check(v as Record<string, unknown>)) throw invalidToken();
  return v as T;
}

/** The 56-digit sequence token of a stream's upload count (AWS still returns one: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html). */
export const sequenceToken = (uploads: number) => `49${String(uploads).padStart(54, '0')}`;

/** A FilterLogEvents eventId: the event's position, 56 digits as AWS's are. */
export const eventId = (p: LogPosition) => `${String(p.timestamp).padStart(20, '0')}${String(p.seq).padStart(36, '0')}`;
