/**
 * Log group retention (docs/logs.md#retention): events whose timestamp is older than the group's
 * retentionInDays are deleted on startrail's clock, in short transactions so ingestion is never
 * held up. AWS deletes them "typically within 72 hours" of expiry
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention);
 * startrail within one timer interval (until then they are still returned, as on AWS).
 */
import type { Store } from '../../store/types.ts';
import { startPeriodic, type PeriodicLog, type PeriodicTimer } from '../../periodic.ts';

const DAY = 86_400_000;
const BATCH = 1_000;

/** Deletes every group's expired events at `now`; returns how many. */
export async function purgeExpiredLogEvents(store: Store, now: Date, batch = BATCH): Promise<number> {
  let removed = 0;
  for (const g of await store.logs.groupsWithRetention()) {
    if (g.retentionInDays === undefined) continue;
    const before = now.getTime() - g.retentionInDays * DAY;
    const scope = { accountId: g.accountId, region: g.region };
    for (;;) {
      const n = await store.transaction((tx) => tx.logs.purgeBefore(scope, g.name, before, batch));
      removed += n;
      if (n < batch) break;
    }
  }
  return removed;
}

export type LogRetentionTimer = PeriodicTimer;

/** Purges once now, then every interval (default 10 minutes; src/periodic.ts). */
export function startLogRetention(store: Store, opts: { clock: () => Date; intervalMs?: number; log?: PeriodicLog }): LogRetentionTimer {
  return startPeriodic(
    async () => {
      const removed = await purgeExpiredLogEvents(store, opts.clock());
      if (removed) opts.log?.('log events purged', { removed });
    },
    { intervalMs: opts.intervalMs ?? 10 * 60 * 1000, failure: 'log event purge failed', ...(opts.log ? { log: opts.log } : {}) },
  );
}
