/**
 * CloudWatch Logs log-group targets (docs/eventbridge-delivery.md#targets): the event (or its
 * transformed input) becomes one log event, timestamped with the event's time, in a log stream named
 * by the event's id, written through CloudWatch Logs' in-transaction ingest (services/logs/ingest.ts,
 * which creates the stream and applies the group's metric filters). The account's CloudWatch Logs
 * resource policies must let events.amazonaws.com create streams and put events in the group
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions).
 */
import type { EventRule, EventTarget } from '../../store/contracts/event-buses.ts';
import type { Store } from '../../store/types.ts';
import { logGroupAllowsService, putServiceLogEvents } from '../logs/ingest.ts';
import type { TargetFailure } from './deliver-dlq.ts';
import type { DispatchEnv, IncomingEvent } from './dispatch.ts';

export async function deliverToLogGroup(
  tx: Store,
  rule: EventRule,
  target: EventTarget,
  e: IncomingEvent,
  body: string,
  env: DispatchEnv,
): Promise<TargetFailure | undefined> {
  // arn:aws:logs:<region>:<account>:log-group:<name>[:*]
  const [, , , region = '', account = '', , ...rest] = target.arn.split(':');
  const name = rest.join(':').replace(/:\*$/, '');
  const allowed = await logGroupAllowsService(tx, account, region, name, 'events.amazonaws.com', rule.arn);
  if (allowed === 'no-such-group') return { code: 'NO_RESOURCE', message: `The log group ${name} does not exist.`, final: true };
  if (allowed === 'denied') return { code: 'NO_PERMISSIONS', message: `EventBridge is not allowed to write to the log group ${name}.`, final: true };
  const t = Date.parse(e.event.time);
  const r = await putServiceLogEvents(
    tx,
    { accountId: account, region, logGroupName: name, logStreamName: e.event.id },
    [{ timestamp: Number.isNaN(t) ? env.now.getTime() : t, message: body }],
    { now: env.now, ids: env.ids },
  );
  return r.ok ? undefined : { code: 'NO_RESOURCE', message: `The log group ${name} does not exist.`, final: true };
}
