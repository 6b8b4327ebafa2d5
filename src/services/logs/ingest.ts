/**
 * Log events written on a service's behalf (docs/logs.md#service-ingestion): a trail's CloudWatch
 * Logs delivery, an EventBridge log-group target. Not API calls: no record of their own. The same
 * batch rules and metric filters as PutLogEvents (ingest-core.ts), in the caller's transaction.
 */
import { evaluate, parsePolicy } from '../../auth/policy/index.ts';
import type { Ids } from '../../ids.ts';
import type { Store } from '../../store/types.ts';
import { appendBatch, checkBatch, EVENT_OVERHEAD, MAX_BATCH_BYTES } from './ingest-core.ts';
import { groupArn, streamArn } from './names.ts';

export interface ServiceLogEvent {
  timestamp: number;
  message: string;
}
export interface LogTarget {
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
}

/** Batches of at most 10,000 events and 1 MB, in time order, each within 24 hours: what one PutLogEvents takes. */
function batches(events: ServiceLogEvent[]): ServiceLogEvent[][] {
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  const out: ServiceLogEvent[][] = [];
  let cur: ServiceLogEvent[] = [];
  let bytes = 0;
  for (const e of sorted) {
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD;
    const first = cur[0];
    if (first && (cur.length === 10_000 || bytes + size > MAX_BATCH_BYTES || e.timestamp - first.timestamp > 86_400_000)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(e);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Appends log events on a service's behalf (a trail's delivery, an EventBridge target), inside `tx`:
 * creates the stream if absent, applies the group's metric filters (→ putServiceMetricData).
 * Not an API call: no record. 'no-such-group' when the group does not exist. Events the batch
 * rules reject (too old, too new, expired) are dropped, as PutLogEvents drops them.
 */
export async function putServiceLogEvents(
  tx: Store,
  target: LogTarget,
  events: ServiceLogEvent[],
  env: { now: Date; ids: Ids },
): Promise<{ ok: true } | { ok: false; reason: 'no-such-group' }> {
  const scope = { accountId: target.accountId, region: target.region };
  const group = await tx.logs.getGroup(scope, target.logGroupName);
  if (!group) return { ok: false, reason: 'no-such-group' };
  if (!(await tx.logs.getStream(scope, target.logGroupName, target.logStreamName)))
    await tx.logs.createStream(scope, target.logGroupName, { name: target.logStreamName, createdAt: env.now.getTime(), uploads: 0 });
  for (const batch of batches(events)) {
    const checked = checkBatch(group, batch, env.now.getTime());
    await appendBatch(tx, group, target.logStreamName, checked.accepted, env.now);
  }
  return { ok: true };
}

/**
 * Does one of the account's resource policies (PutResourcePolicy) let `servicePrincipal` write to
 * the group (logs:CreateLogStream and logs:PutLogEvents), for `sourceArn`? As EventBridge requires
 * of a log-group target (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions).
 */
export async function logGroupAllowsService(
  tx: Store,
  accountId: string,
  region: string,
  logGroupName: string,
  servicePrincipal: string,
  sourceArn: string,
): Promise<'allowed' | 'no-such-group' | 'denied'> {
  const scope = { accountId, region };
  if (!(await tx.logs.getGroup(scope, logGroupName))) return 'no-such-group';
  const docs: ReturnType<typeof parsePolicy>[] = [];
  for (const p of await tx.logs.listResourcePolicies(scope)) {
    try {
      docs.push(parsePolicy(p.policyDocument, 'resource'));
    } catch {
      // a policy the engine cannot read grants nothing
    }
  }
  if (docs.length === 0) return 'denied';
  const sourceAccount = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(sourceArn)?.[1] ?? accountId;
  const allows = (action: string, resource: string) =>
    docs.some(
      (doc) =>
        evaluate(
          {
            action,
            resource,
            principalArn: servicePrincipal,
            principalAccount: sourceAccount,
            isRoot: false,
            servicePrincipal,
            keys: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
          },
          { identity: [], resource: doc },
        ).effect === 'Allow',
    );
  const stream = streamArn(region, accountId, logGroupName, '*');
  const group = `${groupArn(region, accountId, logGroupName)}:*`;
  return allows('logs:CreateLogStream', group) && allows('logs:PutLogEvents', stream) ? 'allowed' : 'denied';
}
