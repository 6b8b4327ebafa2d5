/**
 * One digest file (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/validate-logs.html): the JSON in AWS's field order, gzipped, signed RSA PKCS#1 v1.5 / SHA-256 over
 *   digestEndTime \n bucket/key \n sha256hex(uncompressed digest) \n previousDigestSignature|null
 * with the hex signature in S3 metadata `signature` and `signature-algorithm: SHA256withRSA`.
 * Pure: the same inputs give the same bytes and signature, so a retried digest is the same object.
 */
import { createHash, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { DigestChain, PendingLogFile, SigningKey } from '../store/types.ts';
import { digestFileKey, isoSeconds } from './layout.ts';
import { privateKeyOf } from './signing-keys.ts';

export interface DigestInput {
  accountId: string;
  /** an organization trail's digest: under AWSLogs/<organizationId>/<accountId>/ */
  organizationId?: string;
  trailName: string;
  homeRegion: string;
  region: string;
  bucket: string;
  prefix?: string;
  start: Date;
  end: Date;
  previous?: DigestChain['previous'];
  files: PendingLogFile[];
  key: SigningKey;
}

export interface DigestFile {
  bucket: string;
  key: string;
  body: Buffer;
  metadata: Record<string, string>;
  signature: string;
  /** hex SHA-256 of the uncompressed JSON: the next digest's previousDigestHashValue */
  hash: string;
}

export function buildDigest(d: DigestInput): DigestFile {
  const key = digestFileKey({
    ...(d.prefix ? { prefix: d.prefix } : {}),
    ...(d.organizationId ? { organizationId: d.organizationId } : {}),
    accountId: d.accountId,
    region: d.region,
    trailName: d.trailName,
    homeRegion: d.homeRegion,
    end: d.end,
  });
  const times = d.files.flatMap((f) => [f.oldestEventTime.getTime(), f.newestEventTime.getTime()]);
  const p = d.previous;
  const json = {
    awsAccountId: d.accountId,
    digestStartTime: isoSeconds(d.start),
    digestEndTime: isoSeconds(d.end),
    digestS3Bucket: d.bucket,
    digestS3Object: key,
    digestPublicKeyFingerprint: d.key.fingerprint,
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: times.length ? isoSeconds(new Date(Math.max(...times))) : null,
    oldestEventTime: times.length ? isoSeconds(new Date(Math.min(...times))) : null,
    previousDigestS3Bucket: p?.bucket ?? null,
    previousDigestS3Object: p?.key ?? null,
    previousDigestHashValue: p?.hash ?? null,
    previousDigestHashAlgorithm: p ? 'SHA-256' : null,
    previousDigestSignature: p?.signature ?? null,
    logFiles: d.files.map((f) => ({
      s3Bucket: f.bucket,
      s3Object: f.key,
      hashValue: f.hash,
      hashAlgorithm: 'SHA-256',
      newestEventTime: isoSeconds(f.newestEventTime),
      oldestEventTime: isoSeconds(f.oldestEventTime),
    })),
  };
  const raw = Buffer.from(JSON.stringify(json), 'utf8');
  const hash = createHash('sha256').update(raw).digest('hex');
  const toSign = `${json.digestEndTime}\n${d.bucket}/${key}\n${hash}\n${p?.signature ?? 'null'}`;
  const signature = sign('sha256', Buffer.from(toSign, 'utf8'), privateKeyOf(d.key)).toString('hex');
  return { bucket: d.bucket, key, body: gzipSync(raw), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' }, signature, hash };
}
