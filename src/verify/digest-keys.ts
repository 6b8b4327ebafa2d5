/**
 * Digest key layout (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; CLI `DigestProvider`):
 * `[prefix/]AWSLogs/[org/]<acct>/CloudTrail-Digest/<sourceRegion>/<Y>/<M>/<D>/<acct>_CloudTrail-Digest_
 * <sourceRegion>_<trailName>_<homeRegion>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz`.
 * The listing marker, the filtering regex and the key-date cut are the CLI's, so both tools see the
 * same digests: the date is `key[-24:-8]` (`key[-33:-17]` for backfill) and compared as text.
 */
import { addHours, addMinutes, formatDate, formatYmd } from './dates.ts';

export interface DigestScope {
  accountId: string;
  trailName: string;
  homeRegion: string;
  /** the region whose digests are read: the CLI's own region */
  sourceRegion: string;
  organizationId?: string;
  prefix?: string;
}

const isBackfillDigestKey = (key: string) => key.endsWith('_backfill.json.gz');

/** The 16-character `YYYYMMDDTHHMMSSZ` cut out of a digest key. */
export function extractDigestKeyDate(key: string): string {
  return isBackfillDigestKey(key) ? key.slice(-33, -17) : key.slice(-24, -8);
}

/** `[prefix/]AWSLogs/[org/]<acct>/CloudTrail-Digest/<sourceRegion>`: the listing prefix. */
export function digestListPrefix(s: DigestScope): string {
  const base = `AWSLogs/${s.organizationId ? `${s.organizationId}/` : ''}${s.accountId}/CloudTrail-Digest/${s.sourceRegion}`;
  return s.prefix ? `${s.prefix}/${base}` : base;
}

/** The key a digest ending at `date` would have; used (one minute before the start) as the listing marker. */
export function digestKey(s: DigestScope, date: Date, backfill = false): string {
  const file = `${s.accountId}_CloudTrail-Digest_${s.sourceRegion}_${s.trailName}_${s.homeRegion}_${formatDate(date)}${backfill ? '_backfill' : ''}.json.gz`;
  return `${digestListPrefix(s)}/${formatYmd(date)}/${file}`;
}

export const listingMarker = (s: DigestScope, start: Date) => digestKey(s, addMinutes(start, -1));

const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Keys of this trail only (the CLI's `_create_digest_key_regex`). */
export function digestKeyRegex(s: DigestScope): RegExp {
  const acct = esc(s.accountId);
  const org = s.organizationId ? `${s.organizationId}/` : '';
  const body =
    `AWSLogs/${org}${acct}/CloudTrail\\-Digest/${esc(s.sourceRegion)}/\\d+/\\d+/\\d+/${acct}_CloudTrail\\-Digest_` +
    `${esc(s.sourceRegion)}_${esc(s.trailName)}_${esc(s.homeRegion)}_.+(?:_backfill)?\\.json\\.gz`;
  return new RegExp(`^${s.prefix ? `${esc(s.prefix)}/` : ''}${body}$`);
}

export interface DigestKeys {
  standard: string[];
  backfill: string[];
}

/**
 * Filters a listing (in S3 order, starting after the marker) to this trail's digests dated in
 * [start, end + 1 h], stopping at the first key past the end, and splits standard from backfill.
 */
export async function selectDigestKeys(keys: AsyncIterable<string>, s: DigestScope, start: Date, end: Date): Promise<DigestKeys> {
  const re = digestKeyRegex(s);
  const from = formatDate(start);
  const to = formatDate(addHours(end, 1));
  const out: DigestKeys = { standard: [], backfill: [] };
  for await (const key of keys) {
    if (!key || !re.test(key)) continue;
    const date = extractDigestKeyDate(key);
    if (date > to) break;
    if (date < from) continue;
    (isBackfillDigestKey(key) ? out.backfill : out.standard).push(key);
  }
  return out;
}
