/**
 * Running Lake queries off the request path (docs/lake.md#queries): a round claims the oldest QUEUED
 * query (or a RUNNING one whose runner's lease ran out: its node died), reads the records of the
 * stores it names — only those, by id, with bound parameters — runs the statement (sql/engine.ts) and
 * stores its state, statistics and rows in one update that holds only while the query is still
 * RUNNING under this runner (a CancelQuery meanwhile wins). Results with DeliveryS3Uri are also
 * written to S3 (lake/delivery.ts).
 */
import type { LakeQueryStats, Store } from '../../../store/types.ts';
import { cell, QueryError, runQuery, type StoreRows } from './sql/engine.ts';
import { parseQuery } from './sql/parse.ts';
import { lakeRow, type Struct } from './sql/values.ts';

/** A query runs for at most an hour, then TIMED_OUT (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-results.html) */
export const QUERY_TIMEOUT_MS = 3_600_000;
const LEASE_MS = 60_000;

/** The stored result: column names and rendered rows. */
export interface QueryResult {
  columns: string[];
  rows: string[][];
}

export type Deliver = (
  store: Store,
  q: { id: string; accountId: string; region: string; uri: string; createdAt: Date },
  result: QueryResult,
) => Promise<string>;

async function loadStores(store: Store, ids: string[]): Promise<{ rows: StoreRows; scanned: number; bytes: number }> {
  const rows: StoreRows = new Map();
  let scanned = 0;
  let bytes = 0;
  for (const id of ids) {
    const events = await store.lake.readEvents(id);
    const list: Struct[] = [];
    for (const e of events) {
      list.push(lakeRow(e.record, e.eventTime));
      bytes += Buffer.byteLength(e.record);
    }
    scanned += events.length;
    rows.set(id, list);
  }
  return { rows, scanned, bytes };
}

/** One round: runs at most one query; returns whether one ran. `clock` gives the time its run ended. */
export async function runNextQuery(store: Store, owner: string, clock: () => Date, deliver?: Deliver): Promise<boolean> {
  const start = clock();
  const q = await store.lake.claimQuery(owner, start, new Date(start.getTime() + LEASE_MS));
  if (!q) return false;
  if (start.getTime() - q.createdAt.getTime() > QUERY_TIMEOUT_MS) {
    await store.lake.finishQuery(q.id, owner, { status: 'TIMED_OUT', finishedAt: start, errorMessage: 'The query timed out.' });
    return true;
  }
  const began = Date.now();
  let stats: LakeQueryStats = { eventsMatched: 0, eventsScanned: 0, bytesScanned: 0, executionTimeInMillis: 0, resultsCount: 0 };
  const loaded = await loadStores(store, q.stores);
  let result: QueryResult;
  let matched = 0;
  try {
    const { ast } = parseQuery(q.statement);
    const rel = runQuery(ast, loaded.rows, start.getTime());
    result = { columns: rel.columns, rows: rel.rows.map((r) => r.map(cell)) };
    matched = rel.matched;
  } catch (e) {
    // whatever the evaluation throws fails the query (a stack overflow too), never the loop
    const message = e instanceof QueryError || (e instanceof Error && 'code' in e) ? e.message : `Query failed: ${e instanceof Error ? e.message : String(e)}`;
    await store.lake.finishQuery(q.id, owner, {
      status: 'FAILED',
      finishedAt: clock(),
      stats: { ...stats, eventsScanned: loaded.scanned, bytesScanned: loaded.bytes, executionTimeInMillis: Date.now() - began },
      errorMessage: message.slice(0, 1000),
      ...(q.deliveryS3Uri ? { deliveryStatus: 'FAILED' } : {}),
    });
    return true;
  }
  stats = {
    eventsMatched: matched,
    eventsScanned: loaded.scanned,
    bytesScanned: loaded.bytes,
    executionTimeInMillis: Date.now() - began,
    resultsCount: result.rows.length,
  };
  let deliveryStatus: string | undefined;
  if (q.deliveryS3Uri && deliver) {
    deliveryStatus = await deliver(store, { id: q.id, accountId: q.accountId, region: q.region, uri: q.deliveryS3Uri, createdAt: q.createdAt }, result).catch(
      () => 'FAILED',
    );
  }
  await store.lake.finishQuery(q.id, owner, {
    status: 'FINISHED',
    finishedAt: clock(),
    stats,
    results: JSON.stringify(result),
    ...(deliveryStatus ? { deliveryStatus } : {}),
  });
  return true;
}
