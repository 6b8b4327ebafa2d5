/**
 * Alarm evaluation on startrail's clock (docs/cloudwatch.md#evaluation): every
 * `STARTRAIL_ALARMS_INTERVAL` seconds each alarm is evaluated (services/cloudwatch/evaluate.ts)
 * and, when its state should change, moved in a transaction of its own with its history and SNS
 * actions (services/cloudwatch/alarm-state.ts). The state write is a compare-and-set on the alarm's
 * version, so when several nodes evaluate the same alarm one transition commits and its actions run
 * once. Evaluation writes go through the store directly: no API call, no record. Each tick also
 * drops datapoints older than CloudWatch's 15-month retention
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention).
 */
import type { Destinations } from '../delivery/destinations.ts';
import type { Ids } from '../ids.ts';
import { changeState } from '../services/cloudwatch/alarm-state.ts';
import { evaluateAlarm } from '../services/cloudwatch/evaluate.ts';
import type { Config } from '../services/types.ts';
import type { Store } from '../store/types.ts';

export interface AlarmLoopDeps {
  store: Store;
  config: Config;
  ids: Ids;
  destinations: Destinations;
  clock: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** ms between rounds (default 60,000: CloudWatch evaluates alarms every minute) */
  intervalMs?: number;
}

const RETENTION_MS = 455 * 24 * 3600_000;

export interface AlarmTickReport {
  evaluated: number;
  transitions: number;
}

export async function tickAlarms(d: AlarmLoopDeps, now: Date): Promise<AlarmTickReport> {
  const report: AlarmTickReport = { evaluated: 0, transitions: 0 };
  for (const alarm of await d.store.metrics.allAlarms()) {
    report.evaluated++;
    try {
      const next = await evaluateAlarm(d.store, alarm, now);
      if (!next) continue;
      const moved = await d.store.transaction((tx) => changeState(tx, alarm, next, { now, ids: d.ids, config: d.config, destinations: d.destinations }));
      if (moved) report.transitions++;
    } catch (e) {
      d.log('alarm evaluation failed', { alarm: alarm.arn, error: e instanceof Error ? e.message : String(e) });
    }
  }
  await d.store.metrics.purgeData(new Date(now.getTime() - RETENTION_MS), 1000);
  return report;
}

export function startAlarms(d: AlarmLoopDeps): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const round = () => {
    running = tickAlarms(d, d.clock())
      .catch((e: unknown) => d.log('alarm round failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(round, d.intervalMs ?? 60_000);
      });
  };
  timer = setTimeout(round, d.intervalMs ?? 60_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
