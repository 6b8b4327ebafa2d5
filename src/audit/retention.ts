/**
 * Event history keeps 90 days (docs/architecture.md#event-history): a periodic purge removes
 * older records from history. Trail log files are not touched. Retention counts from when a record
 * entered history — its eventTime for calls this server recorded, the import time for imported
 * records (so old logs someone imports stay searchable for 90 days instead of vanishing at once).
 * A record a trail has not delivered yet (past the lowest cursor of a logging or flushing session)
 * stays until it is delivered, however old: retention never loses a trail's records. The same holds
 * for the other consumers of the record stream (EventBridge, CloudWatch Logs delivery): past the
 * lowest consumer cursor, records stay.
 */
import type { Store } from '../store/types.ts';
import { startPeriodic, type PeriodicLog, type PeriodicTimer } from '../periodic.ts';

const RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Removes records older than the retention period at `now`; returns how many left history. */
export async function purgeExpiredEvents(store: Store, now: Date): Promise<number> {
  // Read before purging: cursors only move forward, and a session opened later starts past every old record.
  const cursors = [await store.trails.lowestCursor(), await store.recordConsumers.lowestCursor()].filter((c) => c !== undefined);
  const keepAfter = cursors.length ? Math.min(...cursors) : undefined;
  return store.events.purge(new Date(now.getTime() - RETENTION_DAYS * DAY_MS), keepAfter === undefined ? {} : { keepAfterSeq: keepAfter });
}

export type RetentionTimer = PeriodicTimer;

export interface RetentionOptions {
  clock: () => Date;
  /** default hourly; a record leaves history at most this long after it expired */
  intervalMs?: number;
  log?: PeriodicLog;
}

/** Purges once now, then every interval (src/periodic.ts). */
export function startEventRetention(store: Store, opts: RetentionOptions): RetentionTimer {
  return startPeriodic(
    async () => {
      const removed = await purgeExpiredEvents(store, opts.clock());
      if (removed) opts.log?.('event history purged', { removed, retentionDays: RETENTION_DAYS });
    },
    { intervalMs: opts.intervalMs ?? 60 * 60 * 1000, failure: 'event history purge failed', ...(opts.log ? { log: opts.log } : {}) },
  );
}
