/**
 * A Lake query's evaluation, in a worker thread (docs/lake.md#evaluation): the statement is parsed
 * and run (sql/engine.ts) here, off the server's event loop, so a long query never delays a request;
 * the worker's heap is limited, so a query that would exhaust memory fails alone. A worker runs one
 * query at a time, each sent on `parentPort` (with its own page port), and stays for the next: its
 * start (loader, module compilation) is paid once, not per query.
 *
 * The engine is synchronous and reads stores as iterables; the records are in the database, which the
 * main thread reads. A page is asked for on a MessagePort and waited for with `Atomics.wait` on a
 * flag (an Int32Array both threads see) the main thread raises once the page is posted; `receiveMessageOnPort` then
 * takes — a synchronous read of an asynchronous store, a page (PAGE_SIZE records) at a time.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { LakeReadRow } from '../../../store/contracts/lake.ts';
import { cell, QueryError, runQuery, type ScanHint, type StoreRows } from './sql/engine.ts';
import { parseQuery } from './sql/parse.ts';
import { lakeRow } from './sql/values.ts';

/** What the runner asks the worker to do. */
export interface WorkerInput {
  statement: string;
  /** the event data store ids the statement reads */
  stores: string[];
  /** the query's clock (now()) */
  now: number;
  port: MessagePort;
  /** Int32Array over it: [0] is 1 once a page is waiting on the port */
  flag: SharedArrayBuffer;
  pageSize: number;
}

/** A page request: the store, the hint's bounds, and the last row read. */
export interface PageRequest {
  storeId: string;
  start?: number;
  end?: number;
  after?: { eventTime: number; seq: number };
  limit: number;
  descending?: boolean;
}

export type PageReply = { rows: LakeReadRow[] } | { error: string };

/** What the worker reports when it ends. */
export type WorkerOutcome =
  | { kind: 'done'; columns: string[]; rows: string[][]; matched: number; scanned: number; bytes: number }
  | { kind: 'failed'; message: string; scanned: number; bytes: number };

function main(input: WorkerInput): WorkerOutcome {
  const flag = new Int32Array(input.flag);
  let scanned = 0;
  let bytes = 0;
  const readPage = (req: PageRequest): LakeReadRow[] => {
    Atomics.store(flag, 0, 0);
    input.port.postMessage(req);
    Atomics.wait(flag, 0, 0);
    const reply = receiveMessageOnPort(input.port)?.message as PageReply | undefined;
    if (!reply) throw new Error('the store read returned nothing');
    if ('error' in reply) throw new Error(`the store read failed: ${reply.error}`);
    return reply.rows;
  };
  const source = (storeId: string) =>
    function* (hint: ScanHint) {
      let after: PageRequest['after'];
      for (;;) {
        const rows = readPage({
          storeId,
          start: hint.start,
          end: hint.end,
          after,
          limit: input.pageSize,
          ...(hint.order === 'desc' ? { descending: true } : {}),
        });
        for (const r of rows) {
          scanned++;
          bytes += Buffer.byteLength(r.record);
          yield lakeRow(r.record, r.eventTime, hint.columns);
        }
        if (rows.length < input.pageSize) return;
        const last = rows[rows.length - 1]!;
        after = { eventTime: last.eventTime, seq: last.seq };
      }
    };
  try {
    const { ast } = parseQuery(input.statement);
    const stores: StoreRows = new Map(input.stores.map((id) => [id, source(id)]));
    const rel = runQuery(ast, stores, input.now);
    return { kind: 'done', columns: rel.columns, rows: rel.rows.map((r) => r.map(cell)), matched: rel.matched, scanned, bytes };
  } catch (e) {
    // whatever the evaluation throws fails the query (a stack overflow too)
    const message = e instanceof QueryError || (e instanceof Error && 'code' in e) ? e.message : `Query failed: ${e instanceof Error ? e.message : String(e)}`;
    return { kind: 'failed', message: message.slice(0, 1000), scanned, bytes };
  }
}

const parent = parentPort;
if (parent && workerData?.data?.lakeQueryWorker === true) parent.on('message', (input: WorkerInput) => parent.postMessage(main(input)));
