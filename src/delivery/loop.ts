/**
 * The delivery loop (docs/architecture.md#delivery), off the request path. `tick(now)` does one round for every trail
 * with a logging session: log files, then digests, then removal of finished sessions (and of deleted
 * trails once flushed). A failure (bucket missing, policy withdrawn, service unreachable) commits
 * nothing, is shown by GetTrailStatus, and is retried with exponential backoff; nothing is dropped.
 * One node delivers a trail at a time (a lease on the trail row). The clock is injected.
 */
import type { Store, Trail } from '../store/types.ts';
import { randomIds } from '../ids.ts';
import { backoffMs } from './backoff.ts';
import { deliverLogs, LeaseLost, trailOrganization } from './batches.ts';
import { deliverToCloudWatchLogs } from './cloudwatch-logs.ts';
import { LOGS_PREFIX } from './sessions.ts';
import { trailAccount } from './layout.ts';
import { policyAllowsCloudTrail } from './bucket-policy.ts';
import { deliverDigests } from './digests.ts';
import type { Notifier } from './notifications.ts';
import { DeliveryError, type DeliveryTarget } from './targets.ts';

export interface DeliveryDeps {
  store: Store;
  target: (bucket: string) => DeliveryTarget;
  accountId: string;
  digestIntervalMs: number;
  /** this node, for the lease */
  owner: string;
  leaseMs: number;
  /** S3 events and CloudTrail's SNS notifications (delivery/notifications.ts); none without it */
  notifier?: Notifier;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface TickReport {
  records: number;
  digests: number;
  failed: string[];
}

export { backoffMs } from './backoff.ts';

export async function tick(d: DeliveryDeps, now: Date): Promise<TickReport> {
  const report: TickReport = { records: 0, digests: 0, failed: [] };
  for (const trail of await d.store.trails.listTrails({ withDeleted: true })) {
    const sessions = await d.store.trails.listSessions(trail.id);
    if (!sessions.length) {
      if (trail.deleted && !(await deliveringToLogs(d.store, trail))) await d.store.trails.deleteTrail(trail.id);
      continue;
    }
    const next = trail.status.nextAttemptAt;
    if (next && next.getTime() > now.getTime()) continue;
    const holdsLease = () => d.store.trails.claimTrail(trail.id, d.owner, now, new Date(now.getTime() + d.leaseMs));
    if (!(await holdsLease())) continue;
    let phase: 'logs' | 'digest' = 'logs';
    let written = 0;
    try {
      await checkBucket(d, trail);
      for (const session of sessions) {
        phase = 'logs';
        const records = await deliverLogs({ ...d, holdsLease }, trail, session, now);
        phase = 'digest';
        const digests = await deliverDigests(d, trail, session, now);
        report.records += records;
        report.digests += digests;
        written += records + digests;
        if (!session.stop) break;
      }
      if (trail.deleted && !(await d.store.trails.listSessions(trail.id)).length && !(await deliveringToLogs(d.store, trail)))
        await d.store.trails.deleteTrail(trail.id);
      else await succeeded(d.store, trail, now, written > 0);
    } catch (e) {
      if (e instanceof LeaseLost) {
        d.log('trail delivery handed over', { trail: trail.arn });
        continue;
      }
      report.failed.push(trail.arn);
      await failed(d, trail, phase, e, now);
    }
  }
  // trails with a CloudWatch Logs log group deliver there too, on consumers of their own (cloudwatch-logs.ts)
  const logs = await deliverToCloudWatchLogs({ store: d.store, owner: d.owner, ids: d.notifier?.ids ?? randomIds, log: d.log }, now);
  report.records += logs.records;
  report.failed.push(...logs.failed.filter((arn) => !report.failed.includes(arn)));
  return report;
}

/** A deleted trail stays (invisible) while its CloudWatch Logs delivery still has records to write (delivery/cloudwatch-logs.ts). */
async function deliveringToLogs(store: Store, t: Trail): Promise<boolean> {
  return (await store.recordConsumers.list(`${LOGS_PREFIX}${t.id}:`)).length > 0;
}

/** AWS stops delivering when the bucket goes away or its policy stops allowing CloudTrail: so do we. */
async function checkBucket(d: DeliveryDeps, t: Trail): Promise<void> {
  const target = d.target(t.s3BucketName);
  const state = await target.bucket(t.s3BucketName);
  if (!state.exists) throw new DeliveryError('NoSuchBucket', `The specified bucket does not exist: ${t.s3BucketName}`);
  const organizationId = await trailOrganization(d.store, t);
  if (
    target.kind === 'embedded' &&
    !policyAllowsCloudTrail(state.policy, {
      bucket: t.s3BucketName,
      ...(t.s3KeyPrefix ? { prefix: t.s3KeyPrefix } : {}),
      accountId: trailAccount(t),
      ...(organizationId ? { organizationId } : {}),
      trailArn: t.arn,
      regions: [t.homeRegion],
      validation: t.logFileValidationEnabled,
    })
  )
    throw new DeliveryError('AccessDenied', `Access Denied: the policy of bucket ${t.s3BucketName} does not let cloudtrail.amazonaws.com write`);
}

/** Records a successful attempt: at once after a failure or a write, else at most once a minute (an idle trail is attempted every tick). */
async function succeeded(store: Store, t: Trail, now: Date, wrote: boolean): Promise<void> {
  const s = t.status;
  if (!wrote && !s.failures && !s.latestDeliveryError && s.latestDeliverySucceededTime && now.getTime() - s.latestDeliverySucceededTime.getTime() < 60_000)
    return;
  await store.trails.updateTrail(t.id, {
    status: {
      failures: 0,
      nextAttemptAt: undefined,
      latestDeliveryError: undefined,
      latestDeliveryAttemptTime: now,
      latestDeliverySucceededTime: now,
    },
  });
}

async function failed(d: DeliveryDeps, t: Trail, phase: 'logs' | 'digest', e: unknown, now: Date): Promise<void> {
  const code = e instanceof DeliveryError ? e.code : ((e as { code?: string }).code ?? 'InternalError');
  const failures = t.status.failures + 1;
  d.log('trail delivery failed', { trail: t.arn, phase, code, failures, error: e instanceof Error ? e.message : String(e) });
  await d.store.trails.updateTrail(t.id, {
    status: {
      failures,
      nextAttemptAt: new Date(now.getTime() + backoffMs(failures)),
      latestDeliveryAttemptTime: now,
      ...(phase === 'logs' ? { latestDeliveryError: code } : { latestDigestDeliveryError: code }),
    },
  });
}
