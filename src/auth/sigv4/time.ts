/** SigV4 request-time parsing and the clock-skew / presigned-expiry check (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
import { EXPIRED_PRESIGNED_MESSAGE, incomplete, SigV4Error } from './errors.ts';
import type { SigV4Auth } from './types.ts';

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** YYYYMMDDTHHMMSSZ (UTC, whole seconds). */
export function formatAmzDate(d: Date | number): string {
  return new Date(d)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Parses YYYYMMDDTHHMMSSZ strictly (no rollover: 20150231 is rejected). */
export function parseAmzDate(s: string): Date | undefined {
  const m = AMZ_DATE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const se = Number(m[6]);
  const date = new Date(Date.UTC(y, mo, d, h, mi, se));
  // every field as given: Date.UTC rolls 20150231 over to March, and reads years 0–99 as 1900–1999
  const same =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === se;
  return same ? date : undefined;
}

export function badAmzDate(value: string): SigV4Error {
  return incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

/**
 * Throws 'incomplete' when the request date's yyyymmdd differs from the scope date, and 'skew' when
 * the request time is more than `windowMinutes` before or after `now` ('expired': a presigned URL past its expiry). A presigned request is valid
 * from its X-Amz-Date until X-Amz-Expires seconds later (it may still not be from the future).
 */
export function checkRequestTime(auth: SigV4Auth, now: Date, windowMinutes = 15): void {
  const day = auth.amzDate.slice(0, 8);
  if (day !== auth.scopeDate) {
    throw incomplete(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${day}', from '${auth.amzDate}'.`,
    );
  }
  const t = auth.requestTime.getTime();
  const n = now.getTime();
  const w = windowMinutes * 60_000;
  if (t - n > w) {
    throw new SigV4Error(
      'skew',
      `Signature not yet current: ${formatAmzDate(t)} is still later than ${formatAmzDate(n + w)} (${formatAmzDate(n)} + ${windowMinutes} min.)`,
    );
  }
  if (auth.kind === 'query' && auth.expiresSeconds !== undefined) {
    if (n > t + auth.expiresSeconds * 1000) throw new SigV4Error('expired', EXPIRED_PRESIGNED_MESSAGE);
    return;
  }
  if (n - t > w) {
    throw new SigV4Error(
      'skew',
      `Signature expired: ${formatAmzDate(t)} is now earlier than ${formatAmzDate(n - w)} (${formatAmzDate(n)} - ${windowMinutes} min.)`,
    );
  }
}
