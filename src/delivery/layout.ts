/**
 * Where trail objects go (log files: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html;
 * digests: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
 *   [prefix/]AWSLogs/<acct>/CloudTrail/<region>/<Y>/<M>/<D>/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<Unique16>.json.gz
 *   [prefix/]AWSLogs/<acct>/CloudTrail-Digest/<region>/<Y>/<M>/<D>/<acct>_CloudTrail-Digest_<region>_<trail>_<home>_<YYYYMMDDTHHMMSSZ>.json.gz
 * An organization trail writes each account's files under `AWSLogs/<o-id>/<acct>/…` instead
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html).
 * The unique string is derived from (trail ARN, region, first and last sequence): a retried batch
 * lands on the same key (exactly once: docs/architecture.md#delivery).
 */
import { createHash } from 'node:crypto';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM:SSZ`: digest times. */
export function isoSeconds(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** `YYYYMMDDTHHMMSSZ` */
function basicSeconds(d: Date): string {
  return isoSeconds(d).replace(/[-:]/g, '');
}

/** `YYYY/MM/DD` */
function dateFolders(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 alphanumerics, a pure function of the batch (AWS: random; only there to prevent overwrites). */
export function uniqueString(trailArn: string, region: string, firstSeq: number, lastSeq: number): string {
  const h = createHash('sha256').update(`${trailArn}\n${region}\n${firstSeq}\n${lastSeq}`).digest();
  let s = '';
  for (let i = 0; i < 16; i++) s += ALNUM[h[i]! % ALNUM.length];
  return s;
}

const base = (p: { prefix?: string; organizationId?: string; accountId: string }, folder: string, region: string) =>
  `${p.prefix ? `${p.prefix}/` : ''}AWSLogs/${p.organizationId ? `${p.organizationId}/` : ''}${p.accountId}/${folder}/${region}`;

/** The account a trail belongs to: the one in its ARN (arn:aws:cloudtrail:<region>:<account>:trail/<name>). */
export const trailAccount = (t: { arn: string }): string => t.arn.split(':')[4] ?? '';

export interface LogFileKeyParts {
  prefix?: string;
  /** an organization trail's files */
  organizationId?: string;
  accountId: string;
  region: string;
  time: Date;
  unique: string;
}

export function logFileKey(p: LogFileKeyParts): string {
  const minute = basicSeconds(p.time).slice(0, 13) + 'Z';
  return `${base(p, 'CloudTrail', p.region)}/${dateFolders(p.time)}/${p.accountId}_CloudTrail_${p.region}_${minute}_${p.unique}.json.gz`;
}

export interface DigestKeyParts {
  prefix?: string;
  organizationId?: string;
  accountId: string;
  region: string;
  trailName: string;
  homeRegion: string;
  end: Date;
}

export function digestFileKey(p: DigestKeyParts): string {
  const file = `${p.accountId}_CloudTrail-Digest_${p.region}_${p.trailName}_${p.homeRegion}_${basicSeconds(p.end)}.json.gz`;
  return `${base(p, 'CloudTrail-Digest', p.region)}/${dateFolders(p.end)}/${file}`;
}
