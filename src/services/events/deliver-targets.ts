/**
 * One event to one target of one rule (docs/eventbridge-delivery.md#targets), inside the matching
 * transaction. SQS queues and SNS topics get their message through the services' in-transaction
 * delivery functions (delivery/destinations.ts) as the service principal events.amazonaws.com with
 * the rule's ARN as aws:SourceArn; another event bus gets the event dispatched into it; an API
 * destination gets a delivery row, sent and retried by the bus loop (deliver-api.ts); a CloudWatch Logs
 * log group gets a log event (deliver-logs.ts).
 *
 * A target that is missing or whose policy denies EventBridge is not retried: "for errors that result
 * from missing permissions to a target, or a target resource that no longer exists ... EventBridge
 * sends these events directly to the DLQ, if you have one"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html); so here the event goes to
 * the target's dead-letter queue in the same transaction, or is dropped.
 */
import type { EventRule, EventTarget } from '../../store/contracts/event-buses.ts';
import type { Store } from '../../store/types.ts';
import { type DispatchEnv, dispatchEvents, type IncomingEvent } from './dispatch.ts';
import { applyInputPath, transformInput } from './input.ts';
import { deadLetter, type TargetFailure } from './deliver-dlq.ts';
import { deliverToLogGroup } from './deliver-logs.ts';

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
/** The SenderId an SQS receiver sees on EventBridge's messages (an id of the service's own, as S3's and SNS's are). */
export const EVENTS_SENDER_ID = 'AIDAEVENTBRIDGE00000';

/** What a stored delivery row holds as its target: the target as matched, and the event for the DLQ. */
export interface RowTarget {
  target: EventTarget;
  event: string;
}

/** What the target receives: Input (constant JSON), InputPath, InputTransformer, else the whole event (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html). */
export function targetBody(target: EventTarget, e: IncomingEvent, rule?: Pick<EventRule, 'arn' | 'name'>): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return applyInputPath(target.inputPath, e.event);
  // the predefined variables: <aws.events.rule-arn>, <aws.events.rule-name>, <aws.events.event.json> (the exact envelope)
  if (target.inputTransformer !== undefined)
    return transformInput(target.inputTransformer, e.event, { ...(rule ? { ruleArn: rule.arn, ruleName: rule.name } : {}), eventJson: e.json });
  return e.json;
}

export async function deliverToTarget(tx: Store, rule: EventRule, target: EventTarget, e: IncomingEvent, env: DispatchEnv, hops: number): Promise<void> {
  const failure = await attempt(tx, rule, target, e, env, hops);
  if (failure) await deadLetter(tx, rule, target, e.json, failure, 0, env);
}

async function attempt(tx: Store, rule: EventRule, target: EventTarget, e: IncomingEvent, env: DispatchEnv, hops: number): Promise<TargetFailure | undefined> {
  const [, , service = '', region = '', account = '', resource = ''] = target.arn.split(':');
  // a bus target gets the event itself; transformed input is for the target's own receiver
  if (service === 'events' && resource.startsWith('event-bus/'))
    return forward(tx, rule, e, env, hops, { region, account, name: resource.slice('event-bus/'.length) });
  let body: string;
  try {
    body = targetBody(target, e, rule);
  } catch (err) {
    return { code: 'INVALID_PARAMETER', message: err instanceof Error ? err.message : String(err) };
  }
  const source = { servicePrincipal: EVENTS_PRINCIPAL, sourceArn: rule.arn, sourceAccount: rule.accountId };
  if (service === 'sqs') {
    const fifo = target.arn.endsWith('.fifo');
    const r = await env.destinations.deliverServiceMessage(
      tx,
      {
        queueArn: target.arn,
        body,
        senderId: EVENTS_SENDER_ID,
        // FIFO queues: the group from SqsParameters, the event id as the deduplication id
        ...(fifo ? { messageGroupId: target.sqsMessageGroupId ?? rule.name, messageDeduplicationId: e.event.id } : {}),
        ...source,
      },
      env.now,
      env.ids,
    );
    if (r.ok) return undefined;
    if (r.reason === 'no-such-queue') return { code: 'NO_RESOURCE', message: 'The target queue does not exist.', final: true };
    if (r.reason === 'policy-denied')
      return { code: 'NO_PERMISSIONS', message: 'EventBridge is not allowed to send messages to the target queue.', final: true };
    return { code: 'INVALID_PARAMETER', message: 'The message is not valid for the target queue.', final: true };
  }
  if (service === 'sns') {
    const r = await env.destinations.publishFromService(tx, { topicArn: target.arn, message: body, ...source }, env.now, env.ids, env.config);
    if (r.ok) return undefined;
    return r.reason === 'no-such-topic'
      ? { code: 'NO_RESOURCE', message: 'The target topic does not exist.', final: true }
      : { code: 'NO_PERMISSIONS', message: 'EventBridge is not allowed to publish to the target topic.', final: true };
  }
  if (service === 'logs' && resource === 'log-group') return deliverToLogGroup(tx, rule, target, e, body, env);
  if (service === 'events' && resource.startsWith('api-destination/')) {
    const row: RowTarget = { target, event: e.json };
    await tx.eventDeliveries.add([
      {
        accountId: rule.accountId,
        region: rule.region,
        ruleArn: rule.arn,
        targetId: target.id,
        targetArn: target.arn,
        eventId: e.event.id,
        eventTime: eventDate(e, env.now),
        body,
        target: JSON.stringify(row),
        attempts: 0,
        nextAttemptAt: env.now,
        createdAt: env.now,
      },
    ]);
    return undefined;
  }
  return { code: 'NO_RESOURCE', message: `Target ${target.arn} is not a resource this server delivers to.`, final: true };
}

/**
 * Bus to bus. An event that already travelled from one bus to another is not forwarded again: AWS
 * answers such a hop THIRD_REGION_HOP_DETECTED / THIRD_ACCOUNT_HOP_DETECTED (the DLQ error codes of
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html), which also stops loops of rules
 * forwarding to each other.
 */
async function forward(
  tx: Store,
  rule: EventRule,
  e: IncomingEvent,
  env: DispatchEnv,
  hops: number,
  to: { region: string; account: string; name: string },
): Promise<TargetFailure | undefined> {
  if (hops >= 1) {
    const code = to.account !== rule.accountId ? 'THIRD_ACCOUNT_HOP_DETECTED' : 'THIRD_REGION_HOP_DETECTED';
    return { code, message: 'The event has already been forwarded from another event bus.', final: true };
  }
  const bus = await tx.eventBuses.getBus(to.account, to.region, to.name);
  if (!bus) return { code: 'NO_RESOURCE', message: `Event bus ${to.name} does not exist.`, final: true };
  await dispatchEvents(tx, { accountId: bus.accountId, region: bus.region, name: bus.name }, [e], env, hops + 1);
  return undefined;
}

const eventDate = (e: IncomingEvent, fallback: Date) => {
  const t = Date.parse(e.event.time);
  return Number.isNaN(t) ? fallback : new Date(t);
};
