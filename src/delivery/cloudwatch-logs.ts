/**
 * Trails to CloudWatch Logs (docs/trail-logs.md,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html):
 * every logging trail with a log group has a record-stream consumer `trail-logs:<trail id>`; each
 * round hands the records its scope selects to CloudWatch Logs as log events — message = the record's
 * JSON text exactly, timestamp = its eventTime — in stream `<account>_CloudTrail_<region>` of the
 * group, in the transaction that advances the consumer's cursor (exactly once, across kill -9 and
 * nodes). A failure (group gone, role no longer assumable or allowed) commits nothing, shows in
 * GetTrailStatus (LatestCloudWatchLogsDeliveryError) and is retried with backoff; nothing is dropped.
 * When logging stops, records up to the StopLogging call's own record are still delivered, then the
 * consumer goes.
 */
import type { Ids } from '../ids.ts';
import { putServiceLogEvents } from '../services/logs/ingest.ts';
import type { Store, Trail, TrailEvent } from '../store/types.ts';
import { type AccessProblem, checkTrailLogsAccess, trailLogGroup, trailStreamName } from './cloudwatch-logs-access.ts';
import { backoffMs } from './loop.ts';
import { consumeRecords } from './record-consumer.ts';
import { inScope } from './scope.ts';

export const TRAIL_LOGS_PREFIX = 'trail-logs:';
export const trailLogsConsumer = (trailId: number) => `${TRAIL_LOGS_PREFIX}${trailId}`;

/** Starts delivery for a logging trail with a log group (inside the API call's transaction): from the records after the last one stored now. */
export async function startTrailLogs(store: Store, trail: Trail, now: Date): Promise<void> {
  if (!trail.cloudWatchLogsLogGroupArn) return;
  await store.recordConsumers.ensure(trailLogsConsumer(trail.id), await store.trails.lastEventSeq(), now);
}

/** Stops delivery at once (log group cleared, trail deleted). */
export async function stopTrailLogs(store: Store, trailId: number): Promise<void> {
  await store.recordConsumers.remove(trailLogsConsumer(trailId));
}

export interface TrailLogsDeps {
  store: Store;
  ids: Ids;
  /** this node, for the consumer lease */
  owner: string;
  /** records per transaction; PutLogEvents' batch limits are kept below it (default 500) */
  limit?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** What stops a delivery, as GetTrailStatus's LatestCloudWatchLogsDeliveryError shows it. */
class TrailLogsFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const ERROR_CODES: Record<AccessProblem, string> = {
  'no-such-group': 'ResourceNotFoundException',
  'role-not-assumable': 'AccessDenied',
  'role-denied': 'AccessDeniedException',
};

/** Is this record the successful StopLogging call that stopped `trail` (its own record is still delivered)? */
function isStopRecord(trail: Trail, e: TrailEvent): boolean {
  if (e.eventName !== 'StopLogging' || e.eventSource !== 'cloudtrail.amazonaws.com' || !trail.status.stopLoggingTime) return false;
  if (Math.abs(e.eventTime.getTime() - trail.status.stopLoggingTime.getTime()) >= 1000) return false;
  const r = JSON.parse(e.json) as { errorCode?: string; requestParameters?: { name?: string } };
  const name = r.requestParameters?.name;
  return r.errorCode === undefined && (name === trail.name || name === trail.arn);
}

/** One round for every trail's CloudWatch Logs consumer; returns how many log events were written. */
export async function deliverTrailLogs(d: TrailLogsDeps, now: Date): Promise<number> {
  let written = 0;
  for (const consumer of await d.store.recordConsumers.list(TRAIL_LOGS_PREFIX)) {
    const id = Number(consumer.name.slice(TRAIL_LOGS_PREFIX.length));
    const trail = await d.store.trails.getTrail(id);
    if (!trail?.cloudWatchLogsLogGroupArn || !trail.cloudWatchLogsRoleArn) {
      await d.store.recordConsumers.remove(consumer.name);
      continue;
    }
    const next = trail.status.cloudWatchLogsNextAttemptAt;
    if (next && next.getTime() > now.getTime()) continue;
    try {
      const round = await deliverOne(d, trail, consumer.name, now);
      written += round.events;
      if (round.drained) await d.store.recordConsumers.remove(consumer.name);
    } catch (e) {
      const code = e instanceof TrailLogsFailure ? e.code : 'InternalError';
      const failures = (trail.status.cloudWatchLogsFailures ?? 0) + 1;
      d.log?.('trail CloudWatch Logs delivery failed', { trail: trail.arn, code, failures, error: e instanceof Error ? e.message : String(e) });
      await d.store.trails.updateTrail(trail.id, {
        status: {
          cloudWatchLogsFailures: failures,
          cloudWatchLogsNextAttemptAt: new Date(now.getTime() + backoffMs(failures)),
          latestCloudWatchLogsDeliveryError: code,
        },
      });
    }
  }
  return written;
}

async function deliverOne(d: TrailLogsDeps, trail: Trail, name: string, now: Date): Promise<{ events: number; drained: boolean }> {
  const groupArn = trail.cloudWatchLogsLogGroupArn ?? '';
  const group = trailLogGroup(groupArn);
  const limit = d.limit ?? 500;
  let events = 0;
  let drained = false;
  for (;;) {
    const result = await consumeRecords(d.store, { name, owner: d.owner, now, limit }, async (tx, records) => {
      let selected = records;
      if (!trail.status.isLogging) {
        // Stopped: deliver up to the StopLogging record; once it is behind the cursor, nothing more.
        const stop = records.findIndex((e) => isStopRecord(trail, e));
        if (stop >= 0) selected = records.slice(0, stop + 1);
        else if (records.length < limit) selected = [];
        drained = stop >= 0 || records.length < limit;
      }
      const scope = {
        homeRegion: trail.homeRegion,
        isMultiRegionTrail: trail.isMultiRegionTrail,
        includeGlobalServiceEvents: trail.includeGlobalServiceEvents,
        selectors: trail.selectors,
      };
      const byStream = new Map<string, { timestamp: number; message: string }[]>();
      for (const e of selected) {
        if (!inScope(scope, e)) continue;
        const stream = trailStreamName(group?.accountId ?? '', e.region ?? trail.homeRegion);
        const list = byStream.get(stream) ?? [];
        list.push({ timestamp: e.eventTime.getTime(), message: e.json });
        byStream.set(stream, list);
      }
      if (byStream.size === 0 && drained) return;
      const problem = await checkTrailLogsAccess(tx, groupArn, trail.cloudWatchLogsRoleArn ?? '', trail.arn, [...byStream.keys()]);
      if (problem || !group) throw new TrailLogsFailure(ERROR_CODES[problem ?? 'no-such-group']);
      for (const [stream, list] of byStream) {
        const r = await putServiceLogEvents(tx, { accountId: group.accountId, region: group.region, logGroupName: group.name, logStreamName: stream }, list, {
          now,
          ids: d.ids,
        });
        if (!r.ok) throw new TrailLogsFailure(ERROR_CODES['no-such-group']);
        events += list.length;
      }
      const s = trail.status;
      const wrote = byStream.size > 0;
      if (wrote || s.latestCloudWatchLogsDeliveryError || s.cloudWatchLogsFailures) {
        await tx.trails.updateTrail(trail.id, {
          status: {
            ...(wrote ? { latestCloudWatchLogsDeliveryTime: now } : {}),
            latestCloudWatchLogsDeliveryError: undefined,
            cloudWatchLogsFailures: 0,
            cloudWatchLogsNextAttemptAt: undefined,
          },
        });
        trail.status = { ...s, latestCloudWatchLogsDeliveryError: undefined, cloudWatchLogsFailures: 0, cloudWatchLogsNextAttemptAt: undefined };
      }
    });
    if (!result.more || drained) break;
  }
  return { events, drained };
}
