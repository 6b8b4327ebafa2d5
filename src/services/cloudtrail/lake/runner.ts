/**
 * Running Lake queries off the request path (docs/lake.md#queries): a round claims the oldest QUEUED
 * query (or a RUNNING one whose runner's lease ran out: its node died) and evaluates it in a worker
 * thread (query-worker.ts; docs/lake.md#evaluation), serving the worker's page reads of the stores it
 * names — only those, by id, with bound parameters. While it runs, the lease is renewed every second;
 * when the renewal finds the query no longer RUNNING under this runner (CancelQuery), the worker is
 * stopped. A query still running an hour after it was made is stopped and TIMED_OUT; one that
 * exhausts the worker's heap FAILED. The state, statistics and rows are stored in one update that
 * holds only while the query is still RUNNING under this runner. Results with DeliveryS3Uri are also
 * written to S3 (lake/delivery.ts).
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { tsWorker } from '../../../ts-worker.ts';
import type { LakeQuery, LakeQueryStats, LakeReadRow, LakeResult } from '../../../store/contracts/lake.ts';
import type { Store } from '../../../store/types.ts';
import type { PageReply, PageRequest, WorkerInput, WorkerOutcome } from './query-worker.ts';

/** A query runs for at most an hour, then TIMED_OUT (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-results.html) */
export const QUERY_TIMEOUT_MS = 3_600_000;
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 1_000;
/** records per page read */
export const PAGE_SIZE = 2_000;
/** an idle query worker ends after this long without a query */
const IDLE_MS = 300_000;
/** the worker's heap limit (STARTRAIL_LAKE_QUERY_MEMORY_MB) */
export const DEFAULT_QUERY_MEMORY_MB = 2_048;

/** The stored result: column names and rendered rows. */
export type QueryResult = LakeResult;

export type Deliver = (
  store: Store,
  q: { id: string; accountId: string; region: string; uri: string; createdAt: Date; completedAt: Date },
  result: QueryResult,
) => Promise<string>;

export interface RunOptions {
  deliver?: Deliver;
  memoryMb?: number;
  /** aborted when the server stops: the running query is left to its lease */
  signal?: AbortSignal;
}

const WORKER_URL = new URL('./query-worker.ts', import.meta.url);

type Ending =
  | WorkerOutcome
  | { kind: 'stopped'; why: 'cancelled' | 'timeout' | 'shutdown' }
  | { kind: 'crashed'; message: string; scanned: number; bytes: number };

/** Serves a worker's page reads, reading the next page of the same scan ahead while the worker evaluates one. */
class PageReader {
  private ahead: { key: string; rows: Promise<LakeReadRow[]> } | undefined;
  constructor(private readonly store: Store) {}

  next(r: PageRequest): Promise<LakeReadRow[]> {
    const key = keyOf(r);
    const rows = this.ahead?.key === key ? this.ahead.rows : this.fetch(r);
    this.ahead = undefined;
    rows.then(
      (x) => {
        const last = x[x.length - 1];
        if (x.length !== r.limit || !last) return;
        const next = { ...r, after: { eventTime: last.eventTime, seq: last.seq } };
        this.ahead = { key: keyOf(next), rows: this.fetch(next) };
      },
      () => {},
    );
    return rows;
  }

  private fetch(r: PageRequest): Promise<LakeReadRow[]> {
    const p = this.store.lake.readEvents(r.storeId, {
      start: r.start,
      end: r.end,
      after: r.after,
      limit: r.limit,
      ...(r.descending ? { descending: true } : {}),
    });
    p.catch(() => {});
    return p;
  }
}

const keyOf = (r: PageRequest) => JSON.stringify([r.storeId, r.start, r.end, r.after, r.limit, r.descending === true]);

/**
 * The query workers: one kept warm per heap limit. A query takes the idle worker (or starts one) and
 * gives it back when its evaluation ends with an outcome; a worker stopped mid-query (cancel, timeout,
 * shutdown) or that crashed is terminated, and the next query starts a fresh one. An idle worker
 * does not keep the process alive, and ends after IDLE_MS without a query.
 */
class QueryWorkers {
  private readonly idle = new Map<number, { worker: Worker; timer: NodeJS.Timeout }>();
  /** workers started so far (tests) */
  started = 0;

  take(memoryMb: number): Worker {
    const kept = this.idle.get(memoryMb);
    this.idle.delete(memoryMb);
    if (kept) clearTimeout(kept.timer);
    if (!kept) this.started++;
    const worker = kept?.worker ?? tsWorker(WORKER_URL, { lakeQueryWorker: true }, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    worker.removeAllListeners();
    worker.ref();
    return worker;
  }

  give(memoryMb: number, worker: Worker): void {
    worker.removeAllListeners();
    if (this.idle.has(memoryMb)) {
      void worker.terminate();
      return;
    }
    worker.unref();
    const forget = () => {
      if (this.idle.get(memoryMb)?.worker !== worker) return;
      clearTimeout(this.idle.get(memoryMb)!.timer);
      this.idle.delete(memoryMb);
    };
    worker.once('exit', forget);
    worker.once('error', forget);
    const timer = setTimeout(() => {
      forget();
      void worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle.set(memoryMb, { worker, timer });
  }
}

const workers = new QueryWorkers();

/** How many query workers this process has started (tests: a worker is kept for the next query). */
export const queryWorkersStarted = (): number => workers.started;

/** Evaluates a claimed query in a worker; resolves with how it ended. */
function evaluate(store: Store, q: LakeQuery, owner: string, now: number, remainingMs: number, memoryMb: number, halt?: AbortSignal): Promise<Ending> {
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  const input: WorkerInput = { statement: q.statement, stores: q.stores, now, flag, pageSize: PAGE_SIZE, port: port2 };
  const worker = workers.take(memoryMb);
  worker.postMessage(input, [port2]);
  const reader = new PageReader(store);
  port1.on('message', (r: PageRequest) => {
    reader
      .next(r)
      .then(
        (rows): PageReply => ({ rows }),
        (e): PageReply => ({ error: e instanceof Error ? e.message : String(e) }),
      )
      .then((reply) => {
        port1.postMessage(reply);
        Atomics.store(signal, 0, 1);
        Atomics.notify(signal, 0);
      });
  });
  return new Promise<Ending>((resolve) => {
    let ended = false;
    const end = (e: Ending) => {
      if (ended) return;
      ended = true;
      clearInterval(renew);
      clearTimeout(timeout);
      port1.close();
      // an evaluation that ended with its outcome leaves the worker idle; any other is stopped
      if (e.kind === 'done' || e.kind === 'failed') workers.give(memoryMb, worker);
      else void worker.terminate();
      resolve(e);
    };
    const renew = setInterval(() => {
      store.lake
        .renewQueryLease(q.id, owner, new Date(Date.now() + LEASE_MS))
        .then((held) => {
          if (!held) end({ kind: 'stopped', why: 'cancelled' });
        })
        // a failed renewal is tried again in a second; the lease outlasts many
        .catch(() => {});
    }, RENEW_EVERY_MS);
    const timeout = setTimeout(() => end({ kind: 'stopped', why: 'timeout' }), Math.max(0, remainingMs));
    if (halt?.aborted) end({ kind: 'stopped', why: 'shutdown' });
    halt?.addEventListener('abort', () => end({ kind: 'stopped', why: 'shutdown' }), { once: true });
    worker.on('message', (m: WorkerOutcome) => end(m));
    worker.on('error', (e: Error & { code?: string }) =>
      end({
        kind: 'crashed',
        message: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `Query exhausted the memory available to it (${memoryMb} MB).` : `Query failed: ${e.message}`,
        scanned: 0,
        bytes: 0,
      }),
    );
    worker.on('exit', (code) => end({ kind: 'crashed', message: `Query failed: its evaluation ended (exit code ${code}).`, scanned: 0, bytes: 0 }));
  });
}

/** One round: runs at most one query; returns whether one ran. `clock` gives the time its run ended. */
export async function runNextQuery(store: Store, owner: string, clock: () => Date, opts: RunOptions = {}): Promise<boolean> {
  if (opts.signal?.aborted) return false;
  const start = clock();
  const q = await store.lake.claimQuery(owner, start, new Date(start.getTime() + LEASE_MS));
  if (!q) return false;
  const age = start.getTime() - q.createdAt.getTime();
  if (age > QUERY_TIMEOUT_MS) {
    await store.lake.finishQuery(q.id, owner, { status: 'TIMED_OUT', finishedAt: start, errorMessage: 'The query timed out.' });
    return true;
  }
  const began = Date.now();
  const ending = await evaluate(store, q, owner, start.getTime(), QUERY_TIMEOUT_MS - age, opts.memoryMb ?? DEFAULT_QUERY_MEMORY_MB, opts.signal);
  const elapsed = Date.now() - began;
  if (ending.kind === 'stopped') {
    // cancelled: CancelQuery already moved it on; shut down: the lease runs out; nothing of this run is kept
    if (ending.why === 'timeout') await store.lake.finishQuery(q.id, owner, { status: 'TIMED_OUT', finishedAt: clock(), errorMessage: 'The query timed out.' });
    return true;
  }
  const stats: LakeQueryStats = {
    eventsMatched: ending.kind === 'done' ? ending.matched : 0,
    eventsScanned: ending.scanned,
    bytesScanned: ending.bytes,
    executionTimeInMillis: elapsed,
    resultsCount: ending.kind === 'done' ? ending.rows.length : 0,
  };
  if (ending.kind !== 'done') {
    await store.lake.finishQuery(q.id, owner, {
      status: 'FAILED',
      finishedAt: clock(),
      stats,
      errorMessage: ending.message.slice(0, 1000),
      ...(q.deliveryS3Uri ? { deliveryStatus: 'FAILED' } : {}),
    });
    return true;
  }
  const result: QueryResult = { columns: ending.columns, rows: ending.rows };
  let deliveryStatus: string | undefined;
  if (q.deliveryS3Uri && opts.deliver) {
    deliveryStatus = await opts
      .deliver(store, { id: q.id, accountId: q.accountId, region: q.region, uri: q.deliveryS3Uri, createdAt: q.createdAt, completedAt: clock() }, result)
      .catch(() => 'FAILED');
  }
  await store.lake.finishQuery(q.id, owner, {
    status: 'FINISHED',
    finishedAt: clock(),
    stats,
    results: result,
    ...(deliveryStatus ? { deliveryStatus } : {}),
  });
  return true;
}
