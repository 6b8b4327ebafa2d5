/**
 * Delivery's announcements through the real SQS and SNS services (delivery/live-destinations.ts) on
 * a real store: the S3 event for a log file is a message in the queue, committed with the batch —
 * a commit that fails leaves no message, its replay leaves exactly one — and CloudTrail's
 * notification passes the topic policy check (or records SNS's AuthorizationError). On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKENDS, openTestStore, type Backend } from '../store/testing.ts';
import type { Store } from '../store/types.ts';
import { liveDestinations } from './live-destinations.ts';
import { ACCOUNT, MemoryTarget, at, delivery, loggingTrail, plus, record } from './testing.ts';

const T0 = at('2026-03-04T05:06:07Z');
const REGION = 'us-east-1';
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:siem`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:trail-files`;

const allow = (resource: string, service: string, action: string, sourceArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: service }, Action: action, Resource: resource, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } },
    ],
  });

async function setup(backend: Backend, topicPolicyFor: string) {
  const store: Store = await openTestStore(backend, { schemaPrefix: 'notify' });
  const target = new MemoryTarget().addBucket('logs');
  await store.queues.createQueue({
    accountId: ACCOUNT,
    name: 'siem',
    arn: QUEUE,
    fifo: false,
    attributes: { Policy: allow(QUEUE, 's3.amazonaws.com', 'sqs:SendMessage', 'arn:aws:s3:::logs') },
    tags: {},
    createdAt: T0,
    modifiedAt: T0,
  });
  await store.topics.createTopic({
    arn: TOPIC,
    accountId: ACCOUNT,
    region: REGION,
    name: 'trail-files',
    attributes: { Policy: allow(TOPIC, 'cloudtrail.amazonaws.com', 'SNS:Publish', topicPolicyFor) },
    tags: [],
    createdAt: T0,
  });
  const trail = await loggingTrail(store, T0, { snsTopicName: TOPIC });
  await store.bucketNotifications.put(
    ACCOUNT,
    'logs',
    { rules: [{ id: 'siem', kind: 'queue', arn: QUEUE, events: ['s3:ObjectCreated:Put'], filter: [] }] },
    T0,
  );
  return { store, target, trail };
}

const messages = async (store: Store, now: Date) => (await store.queues.claim(ACCOUNT, 'siem', { now, max: 10, fifo: false })).map((m) => JSON.parse(m.body));

for (const backend of BACKENDS) {
  test(`${backend}: the log file S3 event lands in the queue with its commit: none from a failed commit, one from its replay`, async () => {
    const { store, target, trail } = await setup(backend, `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`);
    await record(store);
    // the commit transaction fails after everything in it ran: the cursor, the files and the message roll back together
    const transaction = store.transaction.bind(store);
    let fail = true;
    store.transaction = (fn) =>
      transaction(async (tx) => {
        const r = await fn(tx);
        if (fail) {
          fail = false;
          throw new Error('crash at commit');
        }
        return r;
      });
    const d = delivery(store, target, 3600, liveDestinations);
    await d.tick(plus(T0, 1)).catch(() => {});
    assert.equal((await store.queues.counts(ACCOUNT, 'siem', plus(T0, 2))).visible, 0);
    store.transaction = transaction;
    await d.tick(plus(T0, 10));
    await d.tick(plus(T0, 20));
    const got = await messages(store, plus(T0, 30));
    assert.deepEqual(
      got.map((m) => [m.Records[0].eventName, m.Records[0].s3.object.key.split('/')[2]]),
      [['ObjectCreated:Put', 'CloudTrail']],
    );
    const status = (await store.trails.getTrail(trail.id))!.status;
    assert.equal(status.latestNotificationError, undefined);
    assert.ok(status.latestNotificationTime);
    await store.close();
  });

  test(`${backend}: a topic policy that does not allow this trail: SNS's AuthorizationError in the trail status`, async () => {
    const { store, target, trail } = await setup(backend, `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other`);
    await record(store);
    await delivery(store, target, 3600, liveDestinations).tick(plus(T0, 1));
    const status = (await store.trails.getTrail(trail.id))!.status;
    assert.equal(status.latestNotificationError, 'AuthorizationError');
    assert.equal((await store.queues.counts(ACCOUNT, 'siem', plus(T0, 2))).visible, 1, 'the S3 event does not depend on the topic');
    await store.close();
  });
}
