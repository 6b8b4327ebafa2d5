/**
 * Fan-out of one accepted message to a topic's confirmed subscriptions, inside the accepting call's
 * transaction (docs/sns.md#delivery): each subscription's filter policy decides whether it gets the
 * message (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html); `sqs`
 * subscriptions are delivered at once through SQS's service-delivery contract (queues.ts), so the
 * message commits with the call; `http`/`https` subscriptions get a durable outbox row the
 * background loop (src/notify/) sends. With `MessageStructure=json` each protocol gets its own
 * text, else `default` (https://docs.aws.amazon.com/sns/latest/dg/sns-send-custom-platform-specific-payloads-mobile-devices.html).
 * A raw subscription gets the bare message (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html),
 * others the signed JSON envelope (messages.ts).
 */
import type { Ids } from '../../ids.ts';
import type { Store, Subscription, Topic } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { matchesAttributes, matchesBody, parseFilterPolicy, type FilterScope } from './filter-policy.ts';
import { notificationJson, type MessageAttribute, type Signer } from './messages.ts';
import { outboxWritten } from './outbox-signal.ts';
import { deliverServiceMessage } from './queues.ts';
import { signingKey } from './signing.ts';

/** The SenderId SQS shows for messages SNS sends (as AWS's SNS deliveries carry). */
export const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
export const SNS_PRINCIPAL = 'sns.amazonaws.com';

export interface Accepted {
  messageId: string;
  /** the message, or with MessageStructure=json the parsed per-protocol texts (with `default`) */
  message: string | Record<string, string>;
  subject?: string;
  attributes: Record<string, MessageAttribute>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

export interface FanOutReport {
  delivered: number;
  queued: number;
  filtered: number;
  failed: number;
}

async function allSubscriptions(store: Store, topic: Topic): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let after: string | undefined;
  do {
    const page = await store.topics.listSubscriptions({ accountId: topic.accountId, region: topic.region, topicArn: topic.arn }, after, 1000);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** Does the subscription's filter policy let the message through? (A policy that no longer parses passes nothing.) */
export function passesFilter(sub: Subscription, text: string, attributes: Record<string, MessageAttribute>): boolean {
  const policy = sub.attributes.FilterPolicy;
  if (!policy) return true;
  const scope = (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
  try {
    const parsed = parseFilterPolicy(policy, scope);
    return scope === 'MessageBody' ? matchesBody(parsed, text) : matchesAttributes(parsed, attributes);
  } catch {
    return false;
  }
}

const textFor = (m: Accepted['message'], protocol: string) => (typeof m === 'string' ? m : (m[protocol] ?? m.default ?? ''));

export async function fanOut(store: Store, topic: Topic, m: Accepted, now: Date, ids: Ids, config: Config): Promise<FanOutReport> {
  const report: FanOutReport = { delivered: 0, queued: 0, filtered: 0, failed: 0 };
  const subs = (await allSubscriptions(store, topic)).filter((s) => s.confirmed);
  if (!subs.length) return report;
  const { key, privateKey } = await signingKey(store, now);
  const signer: Signer = { key, privateKey, publicUrl: config.publicUrl, cache: new Map() };
  const version = topic.attributes.SignatureVersion === '2' ? '2' : '1';
  const outbox = [];
  for (const sub of subs) {
    const text = textFor(m.message, sub.protocol);
    if (!passesFilter(sub, text, m.attributes)) {
      report.filtered++;
      continue;
    }
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const envelope = () =>
      notificationJson(
        {
          messageId: m.messageId,
          topicArn: topic.arn,
          subscriptionArn: sub.arn,
          ...(m.subject !== undefined ? { subject: m.subject } : {}),
          message: text,
          timestamp: now,
          attributes: m.attributes,
          ...(m.sequenceNumber !== undefined ? { sequenceNumber: m.sequenceNumber } : {}),
        },
        version,
        signer,
      );
    if (sub.protocol === 'sqs') {
      const body = raw ? text : envelope();
      const r = await deliverServiceMessage(
        store,
        {
          queueArn: sub.endpoint,
          body,
          ...(raw && Object.keys(m.attributes).length ? { messageAttributes: m.attributes } : {}),
          ...(m.messageGroupId !== undefined ? { messageGroupId: m.messageGroupId } : {}),
          ...(m.messageDeduplicationId !== undefined ? { messageDeduplicationId: m.messageDeduplicationId } : {}),
          senderId: SNS_SENDER_ID,
          servicePrincipal: SNS_PRINCIPAL,
          sourceArn: topic.arn,
          sourceAccount: topic.accountId,
        },
        now,
        ids,
      );
      if (r.ok) report.delivered++;
      else if (await toDeadLetterQueue(store, sub, topic, body, now, ids)) report.delivered++;
      else report.failed++;
      continue;
    }
    // http / https: sent by the background loop
    outbox.push({
      subscriptionArn: sub.arn,
      topicArn: topic.arn,
      endpoint: sub.endpoint,
      messageType: 'Notification',
      messageId: m.messageId,
      body: raw ? text : envelope(),
      raw,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
  }
  await store.topics.enqueueDeliveries(outbox);
  if (outbox.length) outboxWritten();
  report.queued = outbox.length;
  return report;
}

/**
 * A message a subscription could not take goes to its dead-letter queue when its RedrivePolicy names
 * one (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html); false when there is
 * none or the queue refuses it too (the message is then dropped, as AWS drops it).
 */
export async function toDeadLetterQueue(store: Store, sub: Subscription, topic: Topic, body: string, now: Date, ids: Ids): Promise<boolean> {
  const policy = sub.attributes.RedrivePolicy;
  if (!policy) return false;
  let dlq: unknown;
  try {
    dlq = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch {
    return false;
  }
  if (typeof dlq !== 'string') return false;
  const r = await deliverServiceMessage(
    store,
    { queueArn: dlq, body, senderId: SNS_SENDER_ID, servicePrincipal: SNS_PRINCIPAL, sourceArn: topic.arn, sourceAccount: topic.accountId },
    now,
    ids,
  );
  return r.ok;
}
