/**
 * The HTTP/S delivery loop (loop.ts, send.ts) on a store of its own with a recording poster and a
 * fixed clock: what a POST carries, which outcomes are retried and when (the delivery policy's
 * schedule), what is dropped, and that a row is removed once sent.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { randomIds } from '../ids.ts';
import type { Config } from '../services/types.ts';
import { openTestStore } from '../store/testing.ts';
import type { SnsDelivery, Store, Subscription, Topic } from '../store/types.ts';
import { outboxWritten } from '../services/sns/outbox-signal.ts';
import { startSnsDelivery, tickSnsDelivery, type SnsDeliveryDeps } from './loop.ts';
import type { Poster } from './send.ts';

const T0 = new Date('2026-03-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const config: Config = { accountId: '000000000000', region: 'us-east-1', maxBodyBytes: 1 << 20, publicUrl: 'http://127.0.0.1:4600' };
const topic: Topic = {
  arn: 'arn:aws:sns:us-east-1:000000000000:t',
  accountId: '000000000000',
  region: 'us-east-1',
  name: 't',
  attributes: {},
  tags: [],
  createdAt: T0,
};
const sub = (attributes: Record<string, string> = {}): Subscription => ({
  arn: `${topic.arn}:00000000-0000-4000-8000-000000000001`,
  topicArn: topic.arn,
  accountId: '000000000000',
  owner: '000000000000',
  protocol: 'http',
  endpoint: 'http://127.0.0.1:1/hook',
  confirmed: true,
  attributes,
  createdAt: T0,
});
const row = (over: Partial<SnsDelivery> = {}): SnsDelivery => ({
  subscriptionArn: sub().arn,
  topicArn: topic.arn,
  endpoint: sub().endpoint,
  messageType: 'Notification',
  messageId: 'msg-1',
  body: 'hello',
  raw: true,
  attempts: 0,
  nextAttemptAt: T0,
  createdAt: T0,
  ...over,
});

let store: Store;
let posts: { url: string; headers: Record<string, string>; body: string }[];
let answers: (number | Error)[];
const poster: Poster = async (url, init) => {
  posts.push({ url, headers: init.headers, body: init.body });
  const a = answers.shift() ?? 200;
  if (a instanceof Error) throw a;
  return a;
};
const deps = (): SnsDeliveryDeps => ({ store, config, ids: randomIds, clock: () => T0, log: () => {}, owner: 'test', post: poster });

beforeEach(async () => {
  store = await openTestStore('sqlite');
  posts = [];
  answers = [];
  await store.topics.createTopic(topic);
});
afterEach(() => store.close());

test('a 2xx sends the row once and removes it; the POST carries SNS headers', async () => {
  await store.topics.putSubscription(sub());
  await store.topics.enqueueDeliveries([row()]);
  assert.deepEqual(await tickSnsDelivery(deps(), T0), { sent: 1, retried: 0, dropped: 0 });
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0], {
    url: 'http://127.0.0.1:1/hook',
    body: 'hello',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': 'msg-1',
      'x-amz-sns-topic-arn': topic.arn,
      'x-amz-sns-subscription-arn': sub().arn,
      'x-amz-sns-rawdelivery': 'true',
    },
  });
  assert.equal(await store.topics.pendingDeliveries(), 0);
  assert.deepEqual(await tickSnsDelivery(deps(), at(100)), { sent: 0, retried: 0, dropped: 0 });
});

test("server errors are retried by AWS's default policy (3 retries, 20 s apart), then the message is dropped", async () => {
  await store.topics.putSubscription(sub());
  await store.topics.enqueueDeliveries([row()]);
  answers = [500, 429, new Error('ECONNREFUSED'), 503];
  assert.deepEqual(await tickSnsDelivery(deps(), T0), { sent: 0, retried: 1, dropped: 0 });
  assert.deepEqual(await tickSnsDelivery(deps(), at(19)), { sent: 0, retried: 0, dropped: 0 }, 'not due before 20 s');
  assert.deepEqual(await tickSnsDelivery(deps(), at(20)), { sent: 0, retried: 1, dropped: 0 });
  assert.deepEqual(await tickSnsDelivery(deps(), at(40)), { sent: 0, retried: 1, dropped: 0 });
  assert.deepEqual(await tickSnsDelivery(deps(), at(60)), { sent: 0, retried: 0, dropped: 1 });
  assert.equal(posts.length, 4);
  assert.equal(await store.topics.pendingDeliveries(), 0);
});

test("the subscription's delivery policy sets the schedule and the content type; a client error is not retried", async () => {
  const policy = { healthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 5, numRetries: 1 }, requestPolicy: { headerContentType: 'application/json' } };
  await store.topics.putSubscription(sub({ DeliveryPolicy: JSON.stringify(policy) }));
  await store.topics.enqueueDeliveries([row(), row({ messageId: 'msg-2' })]);
  answers = [500, 404];
  const first = await tickSnsDelivery(deps(), T0);
  assert.deepEqual(first, { sent: 0, retried: 1, dropped: 1 });
  assert.equal(posts[0]?.headers['content-type'], 'application/json');
  assert.deepEqual(await tickSnsDelivery(deps(), at(5)), { sent: 1, retried: 0, dropped: 0 });
  assert.equal(await store.topics.pendingDeliveries(), 0);
});

test('a notification for a subscription that is gone is dropped unsent; a SubscriptionConfirmation needs none', async () => {
  await store.topics.enqueueDeliveries([row(), row({ messageType: 'SubscriptionConfirmation', messageId: 'c-1', raw: false })]);
  assert.deepEqual(await tickSnsDelivery(deps(), T0), { sent: 1, retried: 0, dropped: 1 });
  assert.deepEqual(
    posts.map((p) => [p.headers['x-amz-sns-message-type'], p.headers['x-amz-sns-subscription-arn']]),
    [['SubscriptionConfirmation', undefined]],
  );
});

test('startSnsDelivery runs a round soon after this node writes outbox rows, without waiting for its interval; stop waits for it', async () => {
  await store.topics.putSubscription(sub());
  let posted!: () => void;
  const sent = new Promise<void>((resolve) => {
    posted = resolve;
  });
  const loop = startSnsDelivery({
    ...deps(),
    clock: () => new Date(),
    intervalMs: 3_600_000,
    post: async (url, init) => {
      await poster(url, init);
      posted();
      return 200;
    },
  });
  try {
    await store.topics.enqueueDeliveries([row({ nextAttemptAt: new Date(0), createdAt: new Date(0) })]);
    outboxWritten();
    await sent;
  } finally {
    await loop.stop();
  }
  assert.equal(posts.length, 1);
  assert.equal(await store.topics.pendingDeliveries(), 0);
});
