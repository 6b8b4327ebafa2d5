/**
 * Query results to S3 (docs/lake.md#results-in-s3): with DeliveryS3Uri, a finished query's rows are
 * written gzipped as CSV (a header of column names, then one line per row, RFC 4180 quoting) to
 * `<prefix>/AWSLogs/<account>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query id>/result_1.csv.gz`, the
 * layout of https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-download-cloudtrail-lake-query-results.html,
 * then its sign file `result_sign.json` beside it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-results-file-validation-sign-file-structure.html):
 * each result file's SHA-256, and an SHA256withRSA signature of those hashes joined by spaces, made
 * with the Region's digest-signing key (ListPublicKeys lists it), so `aws cloudtrail
 * verify-query-results` can check the files. Written through the delivery target (never the API
 * pipeline), so the writes leave no record.
 */
import { createHash, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { currentSigningKey, privateKeyOf } from '../../../delivery/signing-keys.ts';
import { DeliveryError, type DeliveryTarget } from '../../../delivery/targets.ts';
import type { Store } from '../../../store/types.ts';
import type { Deliver, QueryResult } from './runner.ts';
import { parseDeliveryUri } from './queries.ts';

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function resultsCsv(result: QueryResult): string {
  return [result.columns, ...result.rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The key of the query's file `name` (result_1.csv.gz, result_sign.json). */
export function resultKey(prefix: string, accountId: string, queryId: string, createdAt: Date, name = 'result_1.csv.gz'): string {
  const d = createdAt.toISOString();
  const path = `AWSLogs/${accountId}/CloudTrail-Lake/Query/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${queryId}/${name}`;
  return prefix ? `${prefix}/${path}` : path;
}

/** The sign file of result files (name → bytes as stored), signed with the Region's current key. */
export async function signFile(store: Store, region: string, completedAt: Date, files: [name: string, body: Buffer][]): Promise<string> {
  const key = await currentSigningKey(store, region, completedAt);
  const hashes = files.map(([fileName, body]) => ({ fileHashValue: createHash('sha256').update(body).digest('hex'), fileName }));
  const hashSignature = sign('sha256', Buffer.from(hashes.map((h) => h.fileHashValue).join(' '), 'utf8'), privateKeyOf(key)).toString('hex');
  return JSON.stringify({
    version: '1.0',
    region,
    files: hashes,
    hashAlgorithm: 'SHA-256',
    signatureAlgorithm: 'SHA256withRSA',
    queryCompleteTime: completedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    hashSignature,
    publicKeyFingerprint: key.fingerprint,
  });
}

export function deliverResults(target: (bucket: string) => DeliveryTarget): Deliver {
  return async (store, q, result) => {
    const { bucket, prefix } = parseDeliveryUri(q.uri);
    try {
      const body = gzipSync(resultsCsv(result));
      await target(bucket).putObject(bucket, resultKey(prefix, q.accountId, q.id, q.createdAt), {
        body,
        contentType: 'text/csv',
        contentEncoding: 'gzip',
        metadata: {},
      });
      // the sign file last: present, it vouches for files already in place
      const signed = await signFile(store, q.region, q.completedAt, [['result_1.csv.gz', body]]);
      await target(bucket).putObject(bucket, resultKey(prefix, q.accountId, q.id, q.createdAt, 'result_sign.json'), {
        body: Buffer.from(signed, 'utf8'),
        contentType: 'application/json',
        metadata: {},
      });
      return 'SUCCESS';
    } catch (e) {
      if (e instanceof DeliveryError) return e.code === 'NoSuchBucket' ? 'RESOURCE_NOT_FOUND' : e.code === 'AccessDenied' ? 'ACCESS_DENIED' : 'FAILED';
      throw e;
    }
  };
}
