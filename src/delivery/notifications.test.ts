/**
 * What delivery announces, in the commit of each batch and digest (delivery/notifications.ts;
 * docs/notifications.md): CloudTrail's SNS notification per log file, S3's ObjectCreated:Put for
 * log files and digests written into the embedded store, once each across a crash between writing
 * and committing, and notification errors in the trail's status without holding up delivery.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { CLOUDTRAIL_WRITER } from './notifications.ts';
import { ACCOUNT, MemoryDestinations, MemoryTarget, at, delivery, loggingTrail, memoryStore, plus, record } from './testing.ts';

const T0 = at('2026-03-04T05:06:07Z');
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:trail-files`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:siem`;
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

async function setup(topic = TOPIC) {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  const dest = new MemoryDestinations().addTopic(TOPIC).addQueue(QUEUE);
  const trail = await loggingTrail(store, T0, { snsTopicName: topic });
  await store.bucketNotifications.put(
    ACCOUNT,
    'logs',
    { rules: [{ id: 'siem', kind: 'queue', arn: QUEUE, events: ['s3:ObjectCreated:*'], filter: [{ name: 'Prefix', value: 'AWSLogs/' }] }] },
    T0,
  );
  return { store, target, dest, trail, d: delivery(store, target, 60, dest) };
}

const s3Events = (dest: MemoryDestinations) => dest.messages(QUEUE).map((m) => JSON.parse(m.body).Records[0]);

test('one SNS notification per log file, and an S3 event for each log file and digest written', async () => {
  const { store, target, dest, trail, d } = await setup();
  await record(store);
  await record(store);
  await d.tick(plus(T0, 1));
  const [logKey] = target.keys('logs/AWSLogs/000000000000/CloudTrail/').map((k) => k.slice('logs/'.length));
  assert.ok(logKey);
  assert.deepEqual(
    dest.published(TOPIC).map((p) => [p.message, p.subject, p.servicePrincipal, p.sourceArn, p.sourceAccount]),
    [[JSON.stringify({ s3Bucket: 'logs', s3ObjectKey: [logKey] }), undefined, 'cloudtrail.amazonaws.com', TRAIL, ACCOUNT]],
  );
  const [logEvent] = s3Events(dest);
  const body = target.objects.get(`logs/${logKey}`)!.body;
  assert.deepEqual(
    [
      logEvent.eventName,
      logEvent.s3.object.key,
      logEvent.s3.object.size,
      logEvent.s3.object.eTag,
      logEvent.userIdentity.principalId,
      logEvent.s3.configurationId,
    ],
    ['ObjectCreated:Put', logKey, body.length, createHash('md5').update(body).digest('hex'), CLOUDTRAIL_WRITER, 'siem'],
  );
  assert.deepEqual(dest.messages(QUEUE)[0]!.sourceArn, 'arn:aws:s3:::logs');
  const status = (await store.trails.getTrail(trail.id))!.status;
  assert.equal(status.latestNotificationTime?.getTime(), plus(T0, 1).getTime());
  assert.equal(status.latestNotificationError, undefined);
  // two digest periods (60 s here) later: each digest announced by S3, never by CloudTrail's topic
  await d.tick(plus(T0, 120));
  const keys = s3Events(dest).map((e) => e.s3.object.key as string);
  assert.equal(keys.length, 3, keys.join(' '));
  for (const k of keys.slice(1)) assert.match(k, /^AWSLogs\/000000000000\/CloudTrail-Digest\/us-east-1\//);
  assert.equal(dest.published(TOPIC).length, 1);
  await store.close();
});

test('a crash between writing and committing announces nothing; the replay announces each file once', async () => {
  const { store, target, dest, d } = await setup();
  await record(store);
  target.afterPut = () => {
    target.afterPut = undefined;
    throw new Error('process killed');
  };
  await d.tick(plus(T0, 1)).catch(() => {});
  assert.equal(target.keys('logs/AWSLogs/000000000000/CloudTrail/').length, 1, 'the file was written');
  assert.equal(dest.published(TOPIC).length, 0);
  assert.equal(dest.messages(QUEUE).length, 0);
  await d.tick(plus(T0, 10));
  await d.tick(plus(T0, 20));
  assert.equal(dest.published(TOPIC).length, 1);
  assert.equal(s3Events(dest).filter((e) => e.s3.object.key.includes('/CloudTrail/')).length, 1);
  await store.close();
});

test('a topic that went away: LatestNotificationError NotFound, the files still delivered', async () => {
  const { store, target, trail, d } = await setup(`arn:aws:sns:us-east-1:${ACCOUNT}:gone`);
  await record(store);
  const report = await d.tick(plus(T0, 1));
  assert.deepEqual(report.failed, []);
  assert.equal(target.keys('logs/AWSLogs/000000000000/CloudTrail/').length, 1);
  const status = (await store.trails.getTrail(trail.id))!.status;
  assert.equal(status.latestNotificationError, 'NotFound');
  assert.equal(status.latestNotificationAttemptTime?.getTime(), plus(T0, 1).getTime());
  assert.equal(status.latestNotificationTime, undefined);
  await store.close();
});
