/**
 * Checks the log files a valid digest lists (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html; CLI
 * `_download_log`): GetObject, gunzip as a stream, SHA-256 of the uncompressed bytes, compare with
 * `hashValue`. Verdicts: valid / hash value doesn't match / not found / invalid format; any other
 * S3 service error stops the run, as it does in the CLI. index.ts runs several checks at a time,
 * which is where this tool beats the sequential official one; decompression runs on libuv's pool.
 *
 * Deliberate deviation: the CLI's zlib inflater stops after the first gzip member and ignores the
 * bytes after it, so a log with an appended gzip member (extra records every gzip reader sees) or
 * trailing bytes passes there; here the whole object counts, so such a file is INVALID. Genuine
 * CloudTrail files are single-member, so no valid file is rejected. A truncated stream is hashed
 * as far as it goes (→ "hash value doesn't match"), as in the CLI.
 */
import { createHash } from 'node:crypto';
import { constants, createGunzip } from 'node:zlib';
import { FatalError, isServiceError } from './errors.ts';
import { isNoSuchKey, type ObjectReader } from './objects.ts';

export type LogVerdict = 'valid' | 'hash' | 'missing' | 'format';

export interface LogFileRef {
  s3Bucket: string;
  s3Object: string;
  hashValue?: unknown;
}

export interface LogResult {
  bucket: string;
  key: string;
  verdict: LogVerdict;
  bytes: number;
}

/** Reads one `logFiles[]` entry; a service error other than NoSuchKey is rethrown (fatal). */
export async function checkLogFile(objects: ObjectReader, log: LogFileRef): Promise<LogResult> {
  const base = { bucket: log.s3Bucket, key: log.s3Object };
  let body: Buffer;
  try {
    body = (await objects.getObject(log.s3Bucket, log.s3Object)).body;
  } catch (e) {
    if (isNoSuchKey(e)) return { ...base, verdict: 'missing', bytes: 0 };
    if (isServiceError(e)) throw new FatalError(e instanceof Error ? e.message : String(e));
    return { ...base, verdict: 'format', bytes: 0 };
  }
  try {
    const hash = await gunzipSha256(body);
    return { ...base, verdict: hash === log.hashValue ? 'valid' : 'hash', bytes: body.length };
  } catch {
    return { ...base, verdict: 'format', bytes: body.length };
  }
}

/** Hex SHA-256 of the decompressed bytes, without holding them in memory. */
function gunzipSha256(gz: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const inflater = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 256 * 1024 });
    inflater.on('data', (chunk: Buffer) => hash.update(chunk));
    inflater.on('error', reject);
    inflater.on('end', () => resolve(hash.digest('hex')));
    inflater.end(gz);
  });
}

/** The `logFiles[]` entries as the CLI reads them; a malformed entry is fatal there too (KeyError). */
export function logFileRefs(digest: Record<string, unknown>): LogFileRef[] {
  if (!('logFiles' in digest)) throw new FatalError("'logFiles'");
  const list = digest['logFiles'];
  if (!Array.isArray(list)) return [];
  return list.map((l) => {
    const e = (l ?? {}) as Record<string, unknown>;
    if (typeof e['s3Bucket'] !== 'string' || typeof e['s3Object'] !== 'string') throw new FatalError("'s3Bucket'");
    return { s3Bucket: e['s3Bucket'], s3Object: e['s3Object'], hashValue: e['hashValue'] };
  });
}
