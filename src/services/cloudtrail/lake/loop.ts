/**
 * CloudTrail Lake's background work (docs/lake.md), one round every `intervalMs` (rounds never
 * overlap; tests call `tick` with their own clock): (a) the `lake:stores` consumer copies new records
 * into the stores that select them (consumer.ts); (b) imports copy S3 log files (import-runner.ts);
 * queued queries run (runner.ts) — in a loop of their own when started, so that a long query never
 * holds back ingestion; (c) once a
 * minute the sweep: records older than their store's retention period go, stores pending deletion
 * for 7 days go with their records, queries that ended more than 7 days ago go with their results.
 */
import type { DeliveryTarget } from '../../../delivery/targets.ts';
import type { Store } from '../../../store/types.ts';
import { fillStores } from './consumer.ts';
import { deliverResults } from './delivery.ts';
import { RESULTS_KEPT_MS } from './queries.ts';
import { runNextImport } from './import-runner.ts';
import { type RunOptions, runNextQuery } from './runner.ts';
import type { ObjectStore } from '../../../objects/types.ts';
import { PENDING_DELETION_MS } from './stores.ts';

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 60_000;
const MAX_PAGES = 20;

/** Removes what retention and deletion say is gone; returns how many records went. */
export async function sweepLake(store: Store, now: Date): Promise<number> {
  let removed = 0;
  for (const s of await store.lake.listStores()) {
    if (s.deletedAt && now.getTime() - s.deletedAt.getTime() >= PENDING_DELETION_MS) {
      removed += await store.lake.countEvents(s.id);
      await store.lake.removeStore(s.id);
      continue;
    }
    removed += await store.lake.purgeEvents(s.id, new Date(now.getTime() - s.settings.retentionPeriod * DAY_MS));
  }
  await store.lake.purgeQueries(new Date(now.getTime() - RESULTS_KEPT_MS));
  // the `lake:stores` consumer stays: with no store it still advances, so it holds back no record for
  // long, and removing it could race a CreateEventDataStore on another node
  return removed;
}

export interface LakeLoopDeps {
  store: Store;
  clock: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  owner: string;
  target: (bucket: string) => DeliveryTarget;
  /** the embedded object store, StartImport's source */
  objects?: ObjectStore;
  intervalMs?: number;
  /** a query worker's heap limit (STARTRAIL_LAKE_QUERY_MEMORY_MB) */
  queryMemoryMb?: number;
}

export function createLakeLoop(d: LakeLoopDeps) {
  let lastSweep = 0;
  const deliver = deliverResults(d.target);

  const runOptions: RunOptions = { deliver, memoryMb: d.queryMemoryMb };
  async function runQueries(): Promise<number> {
    let n = 0;
    while (await runNextQuery(d.store, d.owner, d.clock, runOptions)) n++;
    return n;
  }

  /** One round of everything but queries. */
  async function ingest(now: Date): Promise<{ records: number; imports: number; swept: number }> {
    const report = { records: 0, imports: 0, swept: 0 };
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await fillStores(d.store, d.owner, now);
      report.records += r.consumed;
      if (!r.more) break;
    }
    while (await runNextImport(d.store, d.objects, d.owner, d.clock)) report.imports++;
    if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      report.swept = await sweepLake(d.store, now);
    }
    return report;
  }

  /** One whole round (tests): ingestion, then the queued queries, then the sweep's leftovers. */
  async function tick(now: Date): Promise<{ records: number; imports: number; queries: number; swept: number }> {
    const { records, imports, swept } = await ingest(now);
    return { records, imports, swept, queries: await runQueries() };
  }

  let timer: NodeJS.Timeout | undefined;
  let queryTimer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let querying: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const halt = new AbortController();
  runOptions.signal = halt.signal;
  const every = Math.max(10, d.intervalMs ?? 200);
  const loop = (): void => {
    if (stopped) return;
    running = ingest(d.clock())
      .catch((e) => d.log('lake round failed', { error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(loop, every);
          timer.unref();
        }
      });
  };
  const queryLoop = (): void => {
    if (stopped) return;
    querying = runQueries()
      .catch((e) => d.log('lake query round failed', { error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        if (!stopped) {
          queryTimer = setTimeout(queryLoop, every);
          queryTimer.unref();
        }
      });
  };
  return {
    tick,
    start(): void {
      loop();
      queryLoop();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (queryTimer) clearTimeout(queryTimer);
      // a running query is left RUNNING: its lease runs out and a node (this one, restarted) runs it again
      halt.abort();
      await Promise.all([running, querying]);
    },
  };
}
