/**
 * One log file (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html; docs/architecture.md#delivery): gzip of `{"Records":[…]}` whose records are
 * the stored JSON texts byte for byte, in sequence order, with the hash and event-time span the
 * digest lists (hashValue is the SHA-256 of the *uncompressed* bytes:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TrailEvent } from '../store/types.ts';

export interface LogFile {
  body: Buffer;
  /** hex SHA-256 of the uncompressed JSON */
  hash: string;
  oldestEventTime: Date;
  newestEventTime: Date;
  records: number;
}

export function buildLogFile(events: TrailEvent[]): LogFile {
  if (!events.length) throw new Error('a log file needs at least one record');
  const raw = Buffer.from(`{"Records":[${events.map((e) => e.json).join(',')}]}`, 'utf8');
  let oldest = events[0]!.eventTime.getTime();
  let newest = oldest;
  for (const e of events) {
    const t = e.eventTime.getTime();
    if (t < oldest) oldest = t;
    if (t > newest) newest = t;
  }
  return {
    body: gzipSync(raw),
    hash: createHash('sha256').update(raw).digest('hex'),
    oldestEventTime: new Date(oldest),
    newestEventTime: new Date(newest),
    records: events.length,
  };
}

/** S3 object headers of log files and digests: JSON, gzip-encoded (what CloudTrail's objects carry). */
export const OBJECT_TYPE = { contentType: 'application/json', contentEncoding: 'gzip' } as const;
