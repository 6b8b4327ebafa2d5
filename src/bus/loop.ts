/**
 * EventBridge's background work (docs/eventbridge-delivery.md), off the request path, one round every
 * `intervalMs` (STARTRAIL_EVENTS_INTERVAL_MS; rounds never overlap; tests call `tick` with their own
 * clock): (a) the record-stream consumer `events:cloudtrail` puts CloudTrail records on the default
 * buses (bus/cloudtrail.ts); (b) the delivery rows due are sent (bus/sender.ts); (c) scheduled rules
 * fire (bus/schedules.ts), checked once a second (schedules are to the minute).
 */
import type { Destinations } from '../delivery/destinations.ts';
import type { Ids } from '../ids.ts';
import type { Config } from '../services/types.ts';
import type { Store } from '../store/types.ts';
import { busCloudTrailRecords, ensureCloudTrailConsumer } from './cloudtrail.ts';
import { fireSchedules } from './schedules.ts';
import { sendDueDeliveries } from './sender.ts';

export interface BusLoopDeps {
  store: Store;
  config: Config;
  ids: Ids;
  destinations: Destinations;
  clock: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** this node, for the consumer's and the rows' leases */
  owner: string;
  /** ms between rounds (default 100) */
  intervalMs?: number;
}

export interface BusTickReport {
  records: number;
  deliveries: number;
  fired: number;
}

const SCHEDULE_EVERY_MS = 1_000;
/** consumer pages per round at most, so one round stays short under a burst */
const MAX_PAGES = 20;

export function createBusLoop(d: BusLoopDeps) {
  let lastSchedules = 0;
  const env = (now: Date) => ({ now, ids: d.ids, config: d.config, destinations: d.destinations });

  async function tick(now: Date): Promise<BusTickReport> {
    const report: BusTickReport = { records: 0, deliveries: 0, fired: 0 };
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await busCloudTrailRecords(d.store, d.owner, env(now));
      report.records += r.consumed;
      if (!r.more) break;
    }
    report.deliveries = await sendDueDeliveries(d.store, { owner: d.owner, now, ids: d.ids, destinations: d.destinations });
    if (now.getTime() - lastSchedules >= SCHEDULE_EVERY_MS) {
      lastSchedules = now.getTime();
      report.fired = await fireSchedules(d.store, env(now));
    }
    return report;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const loop = (): void => {
    if (stopped) return;
    running = tick(d.clock())
      .catch((e) => d.log('eventbridge round failed', { error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(loop, d.intervalMs ?? 100);
          timer.unref();
        }
      });
  };

  return {
    tick,
    /** Creates the CloudTrail consumer at the stream's end (if new), then starts the rounds. */
    async start(): Promise<void> {
      await ensureCloudTrailConsumer(d.store, d.clock());
      loop();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
