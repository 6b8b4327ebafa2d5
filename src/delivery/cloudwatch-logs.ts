/**
 * Trails to CloudWatch Logs (docs/trail-logs.md;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html): each logging
 * session of a trail with a log group is a consumer of the record stream (`trail-logs:<trail>:<session>`,
 * delivery/sessions.ts). Every record the trail's scope selects — the same records its S3 log files
 * hold — becomes one log event in the stream `<account>_CloudTrail_<region of the record>` (an
 * organization trail: `<o-id>_<member account>_CloudTrail_<region>`, docs/accounts.md#trails): its
 * message the record's JSON text exactly, its timestamp the record's eventTime. The events, the
 * consumer's cursor and GetTrailStatus's LatestCloudWatchLogsDeliveryTime commit in one transaction,
 * so each record reaches the group exactly once, across kill -9 and nodes.
 *
 * Each round checks, as CloudTrail does when it writes, that the group exists and that
 * `cloudtrail.amazonaws.com` may use the trail's role to create the stream and put events into it. A
 * failure commits nothing, is shown by LatestCloudWatchLogsDeliveryError and retried with the S3
 * delivery's backoff; nothing is dropped. A session ends at its closing call (StopLogging,
 * DeleteTrail), which is itself delivered: the consumer finds that call's record in the stream.
 */
import type { Ids } from '../ids.ts';
import { cloudTrailStream, cloudWatchLogsAccess, logGroupOf } from '../services/cloudtrail/trail-settings.ts';
import { putServiceLogEvents, type ServiceLogEvent } from '../services/logs/ingest.ts';
import type { Store, Trail, TrailEvent } from '../store/types.ts';
import { backoffMs } from './backoff.ts';
import { consumeRecords } from './record-consumer.ts';
import { inScope } from './scope.ts';
import { scopeOf } from './batches.ts';
import { trailAccount } from './layout.ts';
import { LOGS_PREFIX } from './sessions.ts';
import { DeliveryError } from './targets.ts';

export interface LogsDeliveryDeps {
  store: Store;
  /** this node, for the consumers' leases */
  owner: string;
  ids: Ids;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/** One round for every trail session delivering to CloudWatch Logs; returns how many records reached a log group. */
export async function deliverToCloudWatchLogs(d: LogsDeliveryDeps, now: Date): Promise<{ records: number; failed: string[] }> {
  const out = { records: 0, failed: [] as string[] };
  for (const consumer of await d.store.recordConsumers.list(LOGS_PREFIX)) {
    const trail = await d.store.trails.getTrail(Number(consumer.name.slice(LOGS_PREFIX.length).split(':')[0]));
    if (!trail?.cloudWatchLogsLogGroupArn || !trail.cloudWatchLogsRoleArn) {
      await d.store.recordConsumers.remove(consumer.name); // the trail or its log group is gone: nothing more to deliver
      continue;
    }
    const next = trail.status.cloudWatchLogsNextAttemptAt;
    if (next && next.getTime() > now.getTime()) continue;
    let delivered = 0;
    try {
      for (let more = true; more; ) {
        const r = await consumeRecords(d.store, { name: consumer.name, owner: d.owner, now, limit: 1000 }, async (tx, records) => {
          const { done, events } = await deliverRecords(tx, trail, records, d.ids, now);
          delivered += events;
          return done ? { done } : undefined;
        });
        more = r.more;
      }
      out.records += delivered;
      if (trail.status.cloudWatchLogsFailures) await succeeded(d.store, trail);
    } catch (e) {
      out.failed.push(trail.arn);
      await failed(d, trail, e, now);
    }
  }
  return out;
}

/** The records' log events, written in `tx`: done when the session's closing call was among them. */
async function deliverRecords(tx: Store, trail: Trail, records: TrailEvent[], ids: Ids, now: Date): Promise<{ done: boolean; events: number }> {
  const groupArn = trail.cloudWatchLogsLogGroupArn ?? '';
  const group = logGroupOf(groupArn);
  if (!group) throw new DeliveryError('InvalidCloudWatchLogsLogGroupArn', `CloudTrail cannot validate the log group ARN ${groupArn}`);
  const scope = await scopeOf(tx, trail);
  const org = scope.organization;
  const accountId = trailAccount(trail);
  // an organization trail's stream per member account: <o-id>_<account>_CloudTrail_<region>
  const streams = new Map<string, { streamAccount: string; region: string; list: ServiceLogEvent[] }>();
  let done = false;
  for (const r of records) {
    if (inScope(scope, r) && r.region) {
      const streamAccount = org ? `${org.id}_${r.accountId}` : accountId;
      const id = `${streamAccount}/${r.region}`;
      const stream = streams.get(id) ?? { streamAccount, region: r.region, list: [] };
      stream.list.push({ timestamp: r.eventTime.getTime(), message: r.json });
      streams.set(id, stream);
    }
    if (closes(trail, accountId, r)) {
      done = true;
      break;
    }
  }
  let events = 0;
  for (const { streamAccount, region, list } of streams.values()) {
    const role = { arn: trail.arn, accountId, streamAccount, groupArn, roleArn: trail.cloudWatchLogsRoleArn ?? '' };
    const access = await cloudWatchLogsAccess(tx, role, region);
    if (access !== 'allowed')
      throw new DeliveryError('AccessDenied', `Access denied: CloudTrail cannot use role ${trail.cloudWatchLogsRoleArn} to write to log group ${group.name}`);
    const target = { accountId: group.accountId, region: group.region, logGroupName: group.name, logStreamName: cloudTrailStream(streamAccount, region) };
    const r = await putServiceLogEvents(tx, target, list, { now, ids });
    if (!r.ok) throw new DeliveryError('ResourceNotFoundException', `The specified log group does not exist: ${group.name}`);
    events += list.length;
  }
  if (events) await tx.trails.updateTrail(trail.id, { status: { latestCloudWatchLogsDeliveryTime: now } });
  return { done, events };
}

/** Is this record the successful StopLogging / DeleteTrail of the trail (in its account), which ends its logging session? */
function closes(trail: Trail, accountId: string, r: TrailEvent): boolean {
  if (r.accountId !== accountId) return false;
  if (r.eventSource !== 'cloudtrail.amazonaws.com' || (r.eventName !== 'StopLogging' && r.eventName !== 'DeleteTrail') || r.region !== trail.homeRegion)
    return false;
  const record = JSON.parse(r.json) as { errorCode?: unknown; requestParameters?: { name?: unknown } | null };
  const name = record.requestParameters?.name;
  return record.errorCode === undefined && (name === trail.name || name === trail.arn);
}

async function succeeded(store: Store, t: Trail): Promise<void> {
  await store.trails.updateTrail(t.id, {
    status: { cloudWatchLogsFailures: 0, cloudWatchLogsNextAttemptAt: undefined, latestCloudWatchLogsDeliveryError: undefined },
  });
}

async function failed(d: LogsDeliveryDeps, t: Trail, e: unknown, now: Date): Promise<void> {
  const failures = (t.status.cloudWatchLogsFailures ?? 0) + 1;
  const message = e instanceof DeliveryError ? e.message : 'InternalError';
  d.log('trail CloudWatch Logs delivery failed', { trail: t.arn, failures, error: e instanceof Error ? e.message : String(e) });
  await d.store.trails.updateTrail(t.id, {
    status: {
      cloudWatchLogsFailures: failures,
      cloudWatchLogsNextAttemptAt: new Date(now.getTime() + backoffMs(failures)),
      latestCloudWatchLogsDeliveryError: message,
    },
  });
}
