/**
 * GetObject's Range header and conditional headers (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html; RFC 9110 §13, §14).
 * S3 serves one byte range (`bytes=first-last`, `bytes=first-`, `bytes=-suffix`); a header it cannot
 * parse, or several ranges, is ignored and the whole object is served. If-Match / If-Unmodified-Since
 * failing is 412; If-None-Match / If-Modified-Since matching is 304 (dates compared to the second).
 */
import type { ByteRange, ObjectInfo, RangeSpec } from '../../objects/index.ts';
import { notModified, preconditionFailed } from './errors.ts';

export function parseRange(header: string): RangeSpec | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const first = m[1] === '' ? undefined : Number(m[1]);
  const last = m[2] === '' ? undefined : Number(m[2]);
  if (first === undefined) return { suffix: last! };
  if (last !== undefined && last < first) return undefined;
  return last === undefined ? { first } : { first, last };
}

export const contentRange = (r: ByteRange, size: number) => `bytes ${r.start}-${r.end}/${size}`;

interface Conditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

function etagMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === etag || `"${t}"` === etag);
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Throws PreconditionFailed (412) or NotModified (304) as S3 evaluates the four conditional headers. */
export function checkConditions(info: ObjectInfo, c: Conditions): void {
  if (c.IfMatch !== undefined && !etagMatches(c.IfMatch, info.etag)) throw preconditionFailed('If-Match');
  if (c.IfMatch === undefined && c.IfUnmodifiedSince && seconds(info.lastModified) > seconds(c.IfUnmodifiedSince))
    throw preconditionFailed('If-Unmodified-Since');
  if (c.IfNoneMatch !== undefined && etagMatches(c.IfNoneMatch, info.etag)) throw notModified();
  if (c.IfNoneMatch === undefined && c.IfModifiedSince && seconds(info.lastModified) <= seconds(c.IfModifiedSince)) throw notModified();
}
