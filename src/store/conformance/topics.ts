/**
 * TopicStore conformance (store/contracts/topics.ts, docs/sns.md): topics and subscriptions in ARN
 * order with paging, deletes that take dependants with them, the delivery outbox's claims (two
 * claims never share a row while its lease runs; a lapsed lease is claimed again), retries, and the
 * signing key (sealed at rest; the first stored wins).
 */
import assert from 'node:assert/strict';
import type { SnsDelivery, Subscription, Topic } from '../types.ts';
import { at, storeTest, T0, type Suite } from './harness.ts';

const ACCOUNT = '000000000000';
const topic = (name: string, region = 'us-east-1'): Topic => ({
  arn: `arn:aws:sns:${region}:${ACCOUNT}:${name}`,
  accountId: ACCOUNT,
  region,
  name,
  attributes: { DisplayName: `the ${name} topic` },
  tags: [{ Key: 'k', Value: 'v' }],
  createdAt: T0,
});
const sub = (t: Topic, id: string, over: Partial<Subscription> = {}): Subscription => ({
  arn: `${t.arn}:${id}`,
  topicArn: t.arn,
  accountId: ACCOUNT,
  owner: ACCOUNT,
  protocol: 'https',
  endpoint: `https://example.com/${id}`,
  confirmed: false,
  token: `token-${id}`,
  attributes: {},
  createdAt: T0,
  ...over,
});
const delivery = (s: Subscription, over: Partial<SnsDelivery> = {}): SnsDelivery => ({
  subscriptionArn: s.arn,
  topicArn: s.topicArn,
  endpoint: s.endpoint,
  messageType: 'Notification',
  messageId: 'm-1',
  body: '{"Type" : "Notification"}',
  raw: false,
  attempts: 0,
  nextAttemptAt: T0,
  createdAt: T0,
  ...over,
});

export function runTopicConformance(suite: Suite): void {
  storeTest(suite, 'topics: create once, read, list by account and region in ARN order with paging, update, delete', async (s) => {
    assert.equal(await s.topics.createTopic(topic('b')), true);
    assert.equal(await s.topics.createTopic({ ...topic('b'), attributes: {} }), false, 'a second create of the ARN changes nothing');
    await s.topics.createTopic(topic('a'));
    await s.topics.createTopic(topic('c'));
    await s.topics.createTopic(topic('a', 'eu-west-1'));
    assert.deepEqual(await s.topics.getTopic(topic('b').arn), topic('b'));
    assert.equal(await s.topics.getTopic(`${topic('b').arn}x`), undefined);
    const first = await s.topics.listTopics(ACCOUNT, 'us-east-1', undefined, 2);
    assert.deepEqual(
      first.items.map((t) => t.name),
      ['a', 'b'],
    );
    assert.equal(first.next, topic('b').arn);
    const rest = await s.topics.listTopics(ACCOUNT, 'us-east-1', first.next, 2);
    assert.deepEqual(
      rest.items.map((t) => t.name),
      ['c'],
    );
    assert.equal(rest.next, undefined);
    assert.equal(await s.topics.countTopics(ACCOUNT, 'us-east-1'), 3);
    await s.topics.updateTopic(topic('b').arn, { attributes: { Policy: '{"x":"ü"}' }, tags: [] });
    const b = await s.topics.getTopic(topic('b').arn);
    assert.deepEqual([b?.attributes, b?.tags], [{ Policy: '{"x":"ü"}' }, []]);
    await s.topics.deleteTopic(topic('b').arn);
    assert.equal(await s.topics.getTopic(topic('b').arn), undefined);
    assert.equal(await s.topics.countTopics(ACCOUNT, 'us-east-1'), 2);
  });

  storeTest(suite, 'subscriptions: by topic or by account, paged; deleting a topic removes its subscriptions and their deliveries', async (s) => {
    const t = topic('t');
    const u = topic('u');
    await s.topics.createTopic(t);
    await s.topics.createTopic(u);
    const s1 = sub(t, '00000000-0000-4000-8000-000000000001', { confirmed: true, attributes: { RawMessageDelivery: 'true' } });
    const s2 = sub(t, '00000000-0000-4000-8000-000000000002');
    const s3 = sub(u, '00000000-0000-4000-8000-000000000003', { protocol: 'sqs', endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` });
    for (const x of [s2, s3, s1]) await s.topics.putSubscription(x);
    assert.deepEqual(await s.topics.getSubscription(s1.arn), s1);
    const byTopic = await s.topics.listSubscriptions({ accountId: ACCOUNT, region: 'us-east-1', topicArn: t.arn }, undefined, 1);
    assert.deepEqual(
      byTopic.items.map((x) => x.arn),
      [s1.arn],
    );
    const next = await s.topics.listSubscriptions({ accountId: ACCOUNT, region: 'us-east-1', topicArn: t.arn }, byTopic.next, 1);
    assert.deepEqual([next.items.map((x) => x.arn), next.next], [[s2.arn], undefined]);
    const all = await s.topics.listSubscriptions({ accountId: ACCOUNT, region: 'us-east-1' }, undefined, 10);
    assert.deepEqual(
      all.items.map((x) => x.arn),
      [s1.arn, s2.arn, s3.arn],
    );
    await s.topics.updateSubscription(s2.arn, { confirmed: true, token: null, attributes: { FilterPolicy: '{"a":["b"]}' } });
    const s2after = await s.topics.getSubscription(s2.arn);
    assert.deepEqual([s2after?.confirmed, s2after?.token, s2after?.attributes], [true, undefined, { FilterPolicy: '{"a":["b"]}' }]);
    await s.topics.enqueueDeliveries([delivery(s1), delivery(s2), delivery(s3)]);
    await s.topics.deleteTopic(t.arn);
    assert.equal(await s.topics.getSubscription(s1.arn), undefined);
    assert.equal(await s.topics.pendingDeliveries(), 1);
    await s.topics.deleteSubscription(s3.arn);
    assert.equal(await s.topics.pendingDeliveries(), 0);
  });

  storeTest(suite, 'deliveries: claimed when due, never by two claims at once, again after the lease lapses; retries and finishing', async (s) => {
    const t = topic('t');
    const x = sub(t, '00000000-0000-4000-8000-000000000001');
    await s.topics.enqueueDeliveries([
      delivery(x, { messageId: 'due-1' }),
      delivery(x, { messageId: 'due-2', raw: true, body: 'bare' }),
      delivery(x, { messageId: 'later', nextAttemptAt: at('2026-01-01T00:05:00Z') }),
    ]);
    const now = at('2026-01-01T00:01:00Z');
    const lease = at('2026-01-01T00:02:00Z');
    const [a, b] = await Promise.all([s.topics.claimDeliveries('node-a', now, lease, 10), s.topics.claimDeliveries('node-b', now, lease, 10)]);
    const claimed = [...a, ...b].map((d) => d.messageId).sort();
    assert.deepEqual(claimed, ['due-1', 'due-2'], 'each due row once, the later one not yet');
    const raw = [...a, ...b].find((d) => d.messageId === 'due-2');
    assert.deepEqual([raw?.raw, raw?.body, raw?.attempts, raw?.endpoint], [true, 'bare', 0, x.endpoint]);
    assert.deepEqual(
      await s.topics.claimDeliveries('node-c', at('2026-01-01T00:01:30Z'), at('2026-01-01T00:03:00Z'), 10),
      [],
      'leased rows are not claimed again',
    );
    const again = await s.topics.claimDeliveries('node-c', at('2026-01-01T00:02:00Z'), at('2026-01-01T00:03:00Z'), 1);
    assert.equal(again.length, 1, 'a lapsed lease is claimed again, up to the limit');
    const first = again[0]!;
    await s.topics.retryDelivery(first.id!, 1, at('2026-01-01T00:10:00Z'));
    const second = (await s.topics.claimDeliveries('node-c', at('2026-01-01T00:06:00Z'), at('2026-01-01T00:07:00Z'), 10)).map((d) => d.messageId).sort();
    assert.ok(!second.includes(first.messageId), 'a retried row waits for its next attempt');
    assert.ok(second.includes('later'));
    const peeked = await s.topics.peekDeliveries(10);
    assert.deepEqual(
      peeked.map((d) => [d.messageId, d.attempts, d.leased]),
      [
        ['due-1', first.messageId === 'due-1' ? 1 : 0, first.messageId !== 'due-1'],
        ['due-2', first.messageId === 'due-2' ? 1 : 0, first.messageId !== 'due-2'],
        ['later', 0, true],
      ],
      'a retried row is unleased; the others are still held by their claims',
    );
    const retried = await s.topics.claimDeliveries('node-d', at('2026-01-01T00:10:00Z'), at('2026-01-01T00:11:00Z'), 10);
    assert.equal(retried.find((d) => d.messageId === first.messageId)?.attempts, 1);
    for (const d of retried) await s.topics.finishDelivery(d.id!);
    assert.equal(await s.topics.pendingDeliveries(), 0);
  });

  storeTest(suite, 'the signing key: none at first, the first stored wins, the private key round-trips', async (s) => {
    assert.equal(await s.topics.getSigningKey(), undefined);
    const k = { id: 'a'.repeat(32), privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n', certificatePem: 'CERT', createdAt: T0 };
    assert.deepEqual(await s.topics.putSigningKey(k), k);
    assert.deepEqual(await s.topics.putSigningKey({ ...k, id: 'b'.repeat(32) }), k);
    assert.deepEqual(await s.topics.getSigningKey(), k);
  });
}
