/**
 * "Download events": every page of LookupEvents for the current filter, streamed as CSV or as JSON
 * (`{"Records":[…]}`, the trail log file's form, each record byte for byte as CloudTrailEvent holds it).
 * Each page is a LookupEvents call through the pipeline, so a download is authorized and audited like
 * any lookup. The first page is fetched before anything is sent, so a denied download answers with
 * AWS's error; a client that goes away stops the paging. A Lake query's results download the same way:
 * every page of GetQueryResults as CSV (streamQueryResults).
 */
import type { ServerResponse } from 'node:http';
import { callJson, type Caller } from './client.ts';
import { csvHeader, eventRow, queryRows } from './csv.ts';
import { SECURITY_HEADERS } from './respond.ts';

export type DownloadFormat = 'csv' | 'json';

/** Only the filter members of LookupEvents: paging is the server's. */
export function downloadFilter(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['LookupAttributes', 'StartTime', 'EndTime'] as const) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

function fileName(format: DownloadFormat, now: Date): string {
  return `event-history-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z.${format}`;
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return res.write(chunk)
    ? Promise.resolve()
    : new Promise((ok) => {
        res.once('drain', ok);
        res.once('close', ok);
      });
}

function startFile(res: ServerResponse, type: string, name: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
  });
}

export async function streamDownload(caller: Caller, res: ServerResponse, format: DownloadFormat, filter: Record<string, unknown>, now: Date): Promise<void> {
  const page = (NextToken?: string) => callJson(caller, 'cloudtrail', 'LookupEvents', { ...filter, MaxResults: 50, ...(NextToken ? { NextToken } : {}) });
  let current = await page();
  startFile(res, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', fileName(format, now));
  let first = true;
  await write(res, format === 'csv' ? csvHeader() : '{"Records":[');
  for (;;) {
    for (const e of (current.Events as Record<string, unknown>[] | undefined) ?? []) {
      if (format === 'csv') await write(res, eventRow(e));
      else await write(res, `${first ? '\n' : ',\n'}${String(e.CloudTrailEvent ?? '{}')}`);
      first = false;
    }
    const next = current.NextToken;
    if (typeof next !== 'string' || !next || res.destroyed) break;
    current = await page(next);
  }
  if (format === 'json') await write(res, '\n]}\n');
  res.end();
}

/**
 * A finished Lake query's results as CSV: a header of column names, then every row, from every page of
 * GetQueryResults (1,000 rows a page, the most it returns: docs/lake.md#queries). A query that is not
 * FINISHED answers no rows, so its file is empty.
 */
export async function streamQueryResults(caller: Caller, res: ServerResponse, queryId: string): Promise<void> {
  const page = (NextToken?: string) =>
    callJson(caller, 'cloudtrail', 'GetQueryResults', { QueryId: queryId, MaxQueryResults: 1000, ...(NextToken ? { NextToken } : {}) });
  let current = await page();
  startFile(res, 'text/csv; charset=utf-8', `lake-query-${queryId.replace(/[^a-f0-9-]/g, '')}.csv`);
  let first = true;
  for (;;) {
    await write(res, queryRows(current.QueryResultRows, first));
    first = false;
    const next = current.NextToken;
    if (typeof next !== 'string' || !next || res.destroyed) break;
    current = await page(next);
  }
  res.end();
}
