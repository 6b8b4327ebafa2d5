/**
 * Subscription operations (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html and the
 * pages of ConfirmSubscription, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 * Get/SetSubscriptionAttributes). startrail delivers to `sqs`, `http` and `https` endpoints. An SQS
 * queue of the topic's own account is confirmed at once; any other subscription is
 * `PendingConfirmation` until ConfirmSubscription gets the token the SubscriptionConfirmation message
 * carried (https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html), for three days.
 * docs/sns.md#subscriptions.
 */
import { randomBytes } from 'node:crypto';
import type { Ids } from '../../ids.ts';
import type { Store, Subscription, Topic } from '../../store/types.ts';
import type { Config, OperationContext, OperationDefs } from '../types.ts';
import { onSubscription, onTopic } from './access.ts';
import { parseQueueArn, parseSubscriptionArn } from './arns.ts';
import { checkSubscriptionAttribute, subscriptionAttributes } from './attributes.ts';
import { invalidParameter, subscriptionNotFound } from './errors.ts';
import { subscriptionConfirmationJson } from './messages.ts';
import { outboxWritten } from './outbox-signal.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, encodeToken, PAGE_SIZE } from './pagination.ts';
import { SNS_PRINCIPAL, SNS_SENDER_ID } from './publish.ts';
import { deliverServiceMessage } from './queues.ts';
import { signingKey } from './signing.ts';
import { allSubscriptionsOf, findTopic } from './topics.ts';

const SERVED = new Set(['http', 'https', 'sqs']);
const KNOWN = new Set(['email', 'email-json', 'sms', 'application', 'lambda', 'firehose']);
/** A confirmation token is valid for three days (SendMessageToHttp.confirm). */
export const TOKEN_TTL_MS = 3 * 24 * 3600 * 1000;
export const PENDING = 'pending confirmation';

const resource = (arn: string, ctx: OperationContext) => [{ accountId: ctx.accountId, type: 'AWS::SNS::Topic', ARN: arn }];

function checkEndpoint(protocol: string, endpoint: string | undefined): string {
  if (endpoint === undefined || endpoint === '') throw invalidParameter('Endpoint');
  if (protocol === 'sqs') {
    if (!parseQueueArn(endpoint)) throw invalidParameter('SQS endpoint ARN');
    return endpoint;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidParameter('Endpoint must match the specified protocol');
  }
  if (url.protocol !== `${protocol}:` || !endpoint.toLowerCase().startsWith(`${protocol}://`))
    throw invalidParameter('Endpoint must match the specified protocol');
  return endpoint;
}

/** Sends a SubscriptionConfirmation (or UnsubscribeConfirmation) for `sub`: an outbox row for HTTP/S, an SQS message for a queue. */
export async function sendConfirmation(
  store: Store,
  topic: Topic,
  sub: Subscription,
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  token: string,
  now: Date,
  ids: Ids,
  config: Config,
): Promise<void> {
  const { key, privateKey } = await signingKey(store, now);
  const messageId = ids.uuid();
  const version = topic.attributes.SignatureVersion === '2' ? '2' : '1';
  const body = subscriptionConfirmationJson({ messageId, topicArn: topic.arn, token, timestamp: now, type }, version, {
    key,
    privateKey,
    publicUrl: config.publicUrl,
  });
  if (sub.protocol === 'sqs') {
    await deliverServiceMessage(
      store,
      { queueArn: sub.endpoint, body, senderId: SNS_SENDER_ID, servicePrincipal: SNS_PRINCIPAL, sourceArn: topic.arn, sourceAccount: topic.accountId },
      now,
      ids,
    );
    return;
  }
  await store.topics.enqueueDeliveries([
    {
      subscriptionArn: sub.arn,
      topicArn: topic.arn,
      endpoint: sub.endpoint,
      messageType: type,
      messageId,
      body,
      raw: false,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    },
  ]);
  outboxWritten();
}

/** The subscription named by an ARN the caller sent: InvalidParameter when malformed, NotFound when absent. */
async function findSubscription(ctx: OperationContext, arn: string): Promise<Subscription> {
  if (!parseSubscriptionArn(arn)) throw invalidParameter('SubscriptionArn');
  const s = await ctx.store.topics.getSubscription(arn);
  if (!s) throw subscriptionNotFound();
  return s;
}

/** ConfirmSubscription's effect, shared by the API call and the unsigned SubscribeURL (public.ts). */
export async function confirm(
  store: Store,
  topicArn: string,
  token: string,
  now: Date,
  authenticated: boolean,
  authenticateOnUnsubscribe: boolean,
): Promise<Subscription> {
  const topic = await store.topics.getTopic(topicArn);
  if (!topic) throw invalidParameter('Topic');
  let after: string | undefined;
  let found: Subscription | undefined;
  do {
    const page = await store.topics.listSubscriptions({ accountId: topic.accountId, region: topic.region, topicArn }, after, 1000);
    found = page.items.find((s) => s.token === token);
    after = found ? undefined : page.next;
  } while (after);
  if (!found || (!found.confirmed && now.getTime() - found.createdAt.getTime() > TOKEN_TTL_MS)) throw invalidParameter('Token');
  if (!found.confirmed) {
    const attributes: Record<string, string> = { ...found.attributes, ConfirmationWasAuthenticated: String(authenticated) };
    if (authenticateOnUnsubscribe) attributes.AuthenticateOnUnsubscribe = 'true';
    await store.topics.updateSubscription(found.arn, { confirmed: true, attributes });
  }
  return found;
}

/** Unsubscribe's effect, shared by the API call and the unsigned UnsubscribeURL (public.ts). */
export async function unsubscribe(store: Store, sub: Subscription, now: Date, ids: Ids, config: Config): Promise<void> {
  await store.topics.deleteSubscription(sub.arn);
  const topic = await store.topics.getTopic(sub.topicArn);
  if (topic && sub.confirmed && (sub.protocol === 'http' || sub.protocol === 'https'))
    await sendConfirmation(store, topic, sub, 'UnsubscribeConfirmation', sub.token ?? randomBytes(32).toString('hex'), now, ids, config);
}

const entry = (s: Subscription) => ({
  SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

export const subscriptionHandlers = {
  Subscribe: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'Subscribe'>> {
      const topic = await findTopic(ctx, input.TopicArn);
      const protocol = input.Protocol.toLowerCase();
      if (!SERVED.has(protocol)) {
        if (KNOWN.has(protocol)) throw invalidParameter(`Protocol Reason: startrail does not deliver to ${protocol} endpoints`);
        throw invalidParameter(`Amazon SNS does not support this protocol string: ${input.Protocol}`);
      }
      const endpoint = checkEndpoint(protocol, input.Endpoint);
      // FIFO topics deliver to FIFO queues only, standard topics to standard queues only
      // (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html)
      const fifoTopic = topic.attributes.FifoTopic === 'true';
      if (fifoTopic && protocol !== 'sqs') throw invalidParameter('Invalid protocol type: FIFO topics only support SQS endpoints');
      if (protocol === 'sqs' && fifoTopic !== endpoint.endsWith('.fifo'))
        throw invalidParameter(
          fifoTopic
            ? 'Endpoint Reason: FIFO topics can only deliver to FIFO queues'
            : 'Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
        );
      // an entry sent without a value (`Attributes.entry.1.key` alone) has the empty value
      const given = Object.fromEntries(Object.entries(input.Attributes ?? {}).map(([k, v]) => [k, v ?? '']));
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(given)) attributes[k] = checkSubscriptionAttribute(k, v, protocol, given, true);
      for (const k of Object.keys(attributes)) if (attributes[k] === '') delete attributes[k];
      const existing = (await allSubscriptionsOf(ctx, topic)).find((s) => s.protocol === protocol && s.endpoint === endpoint);
      if (existing) {
        const mine = Object.fromEntries(
          Object.entries(existing.attributes).filter(([k]) => k !== 'ConfirmationWasAuthenticated' && k !== 'AuthenticateOnUnsubscribe'),
        );
        const same = Object.keys({ ...mine, ...attributes }).every((k) => (mine[k] ?? '') === (attributes[k] ?? ''));
        if (!same) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
        // still pending: the confirmation is sent again, with the same token
        if (!existing.confirmed && existing.token)
          await sendConfirmation(ctx.store, topic, existing, 'SubscriptionConfirmation', existing.token, ctx.now, ctx.ids, ctx.config);
        return { SubscriptionArn: existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : PENDING };
      }
      const arn = `${topic.arn}:${ctx.ids.uuid()}`;
      const sameAccount = protocol === 'sqs' && parseQueueArn(endpoint)!.account === topic.accountId;
      const token = sameAccount ? undefined : randomBytes(64).toString('hex');
      const sub: Subscription = {
        arn,
        topicArn: topic.arn,
        accountId: topic.accountId,
        owner: ctx.principal.accountId,
        protocol,
        endpoint,
        confirmed: sameAccount,
        ...(token ? { token } : {}),
        attributes,
        createdAt: ctx.now,
      };
      await ctx.store.topics.putSubscription(sub);
      if (token) await sendConfirmation(ctx.store, topic, sub, 'SubscriptionConfirmation', token, ctx.now, ctx.ids, ctx.config);
      return { SubscriptionArn: sub.confirmed || input.ReturnSubscriptionArn ? arn : PENDING };
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  ConfirmSubscription: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'ConfirmSubscription'>> {
      await findTopic(ctx, input.TopicArn);
      const sub = await confirm(ctx.store, input.TopicArn, input.Token, ctx.now, true, input.AuthenticateOnUnsubscribe?.toLowerCase() === 'true');
      return { SubscriptionArn: sub.arn };
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  Unsubscribe: {
    readOnly: false,
    authorize: (input, ctx) => onSubscription(ctx, input.SubscriptionArn),
    async handler(input, ctx): Promise<Output<'Unsubscribe'>> {
      if (!parseSubscriptionArn(input.SubscriptionArn)) throw invalidParameter('SubscriptionArn');
      const sub = await ctx.store.topics.getSubscription(input.SubscriptionArn);
      if (sub) await unsubscribe(ctx.store, sub, ctx.now, ctx.ids, ctx.config);
      return {};
    },
    resources: (input, _out, ctx) => {
      const topic = parseSubscriptionArn(input.SubscriptionArn)?.topicArn;
      return topic ? resource(topic, ctx) : [];
    },
  },

  ListSubscriptions: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListSubscriptions'>> {
      const page = await ctx.store.topics.listSubscriptions({ accountId: ctx.accountId, region: ctx.region }, decodeToken(input.NextToken), PAGE_SIZE);
      return { Subscriptions: page.items.map(entry), ...(page.next ? { NextToken: encodeToken(page.next) } : {}) };
    },
  },

  ListSubscriptionsByTopic: {
    readOnly: true,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'ListSubscriptionsByTopic'>> {
      const topic = await findTopic(ctx, input.TopicArn);
      const page = await ctx.store.topics.listSubscriptions(
        { accountId: topic.accountId, region: topic.region, topicArn: topic.arn },
        decodeToken(input.NextToken),
        PAGE_SIZE,
      );
      return { Subscriptions: page.items.map(entry), ...(page.next ? { NextToken: encodeToken(page.next) } : {}) };
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  GetSubscriptionAttributes: {
    readOnly: true,
    authorize: (input, ctx) => onSubscription(ctx, input.SubscriptionArn),
    async handler(input, ctx): Promise<Output<'GetSubscriptionAttributes'>> {
      const sub = await findSubscription(ctx, input.SubscriptionArn);
      return { Attributes: subscriptionAttributes(sub, await ctx.store.topics.getTopic(sub.topicArn)) };
    },
  },

  SetSubscriptionAttributes: {
    readOnly: false,
    authorize: (input, ctx) => onSubscription(ctx, input.SubscriptionArn),
    async handler(input, ctx): Promise<Output<'SetSubscriptionAttributes'>> {
      const sub = await findSubscription(ctx, input.SubscriptionArn);
      const value = input.AttributeValue ?? '';
      const next = { ...sub.attributes, [input.AttributeName]: value };
      checkSubscriptionAttribute(input.AttributeName, value, sub.protocol, next, false);
      const stored = input.AttributeName === 'RawMessageDelivery' ? value.toLowerCase() : value;
      const attributes = { ...sub.attributes, [input.AttributeName]: stored };
      if (stored === '') delete attributes[input.AttributeName];
      await ctx.store.topics.updateSubscription(sub.arn, { attributes });
      return {};
    },
  },
} satisfies OperationDefs<
  Ops,
  | 'Subscribe'
  | 'ConfirmSubscription'
  | 'Unsubscribe'
  | 'ListSubscriptions'
  | 'ListSubscriptionsByTopic'
  | 'GetSubscriptionAttributes'
  | 'SetSubscriptionAttributes'
>;
