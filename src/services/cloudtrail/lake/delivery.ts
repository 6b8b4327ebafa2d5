/**
 * Query results to S3 (docs/lake.md#results-in-s3): with DeliveryS3Uri, a finished query's rows are
 * written gzipped as CSV (a header of column names, then one line per row, RFC 4180 quoting) to
 * `<prefix>/AWSLogs/<account>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query id>/result_1.csv.gz`, the
 * layout of https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-download-cloudtrail-lake-query-results.html (its sign file, result_sign.json, is not written: docs/lake.md#not-served).
 * Written through the delivery target (never the API pipeline), so the write leaves no record.
 */
import { gzipSync } from 'node:zlib';
import { DeliveryError, type DeliveryTarget } from '../../../delivery/targets.ts';
import type { Deliver, QueryResult } from './runner.ts';
import { parseDeliveryUri } from './queries.ts';

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function resultsCsv(result: QueryResult): string {
  return [result.columns, ...result.rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

export function resultKey(prefix: string, accountId: string, queryId: string, createdAt: Date): string {
  const d = createdAt.toISOString();
  const path = `AWSLogs/${accountId}/CloudTrail-Lake/Query/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${queryId}/result_1.csv.gz`;
  return prefix ? `${prefix}/${path}` : path;
}

export function deliverResults(target: (bucket: string) => DeliveryTarget): Deliver {
  return async (_store, q, result) => {
    const { bucket, prefix } = parseDeliveryUri(q.uri);
    try {
      await target(bucket).putObject(bucket, resultKey(prefix, q.accountId, q.id, q.createdAt), {
        body: gzipSync(resultsCsv(result)),
        contentType: 'text/csv',
        contentEncoding: 'gzip',
        metadata: {},
      });
      return 'SUCCESS';
    } catch (e) {
      if (e instanceof DeliveryError) return e.code === 'NoSuchBucket' ? 'RESOURCE_NOT_FOUND' : e.code === 'AccessDenied' ? 'ACCESS_DENIED' : 'FAILED';
      throw e;
    }
  };
}
