/**
 * S3 event notifications through the pipeline (docs/notifications.md), with queues and topics in
 * memory: the configuration's wire form both ways, AWS's refusal of destinations that do not
 * exist or do not allow s3.amazonaws.com, the s3:TestEvent, and the event messages object calls raise.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MemoryDestinations } from '../delivery/testing.ts';
import { EmbeddedObjectStore } from '../objects/index.ts';
import { s3Service } from '../services/s3/index.ts';
import { harness, type Harness } from './testing.ts';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:events';
const DENYING = 'arn:aws:sqs:us-east-1:000000000000:closed';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:objects';
const MISSING_TOPIC = 'arn:aws:sns:us-east-1:000000000000:nowhere';
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

let h: Harness;
let dest: MemoryDestinations;

before(async () => {
  dest = new MemoryDestinations().addQueue(QUEUE).addQueue(DENYING, false).addTopic(TOPIC);
  const objects = await EmbeddedObjectStore.open(join(await mkdtemp(join(tmpdir(), 'startrail-notify-')), 'objects'));
  h = await harness({ services: (real) => real.map((s) => (s.name === 's3' ? s3Service(objects, dest) : s)) });
  assert.equal((await h.send({ service: 's3', method: 'PUT', path: '/trail-logs' })).status, 200);
});
after(() => h.close());

const queueRule = (arn: string, events: string[], extra = '') =>
  `<QueueConfiguration><Id>${arn.split(':').pop()}</Id><Queue>${arn}</Queue>${events.map((e) => `<Event>${e}</Event>`).join('')}${extra}</QueueConfiguration>`;
const topicRule = (arn: string, events: string[], extra = '') =>
  `<TopicConfiguration><Topic>${arn}</Topic>${events.map((e) => `<Event>${e}</Event>`).join('')}${extra}</TopicConfiguration>`;
const prefix = (p: string) => `<Filter><S3Key><FilterRule><Name>prefix</Name><Value>${p}</Value></FilterRule></S3Key></Filter>`;

const putConfig = (rules: string, headers: Record<string, string> = {}) =>
  h.send({
    service: 's3',
    method: 'PUT',
    path: '/trail-logs',
    query: { notification: '' },
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<NotificationConfiguration xmlns="${NS}">${rules}</NotificationConfiguration>`,
  });
const getConfig = () => h.send({ service: 's3', method: 'GET', path: '/trail-logs', query: { notification: '' } });

test('destinations that do not exist or do not let S3 send are refused as S3 refuses them, one ArgumentName/ArgumentValue pair each', async () => {
  const r = await putConfig(queueRule(DENYING, ['s3:ObjectCreated:*']) + topicRule(MISSING_TOPIC, ['s3:ObjectRemoved:*']));
  assert.equal(r.status, 400);
  const e = r.xml().Error;
  assert.equal(e.Code, 'InvalidArgument');
  assert.equal(e.Message, 'Unable to validate the following destination configurations');
  // topics come first in the configuration S3 checks
  assert.equal(e.ArgumentName1, MISSING_TOPIC);
  assert.equal(e.ArgumentValue1, 'The destination topic does not exist');
  assert.equal(e.ArgumentName2, DENYING);
  assert.equal(e.ArgumentValue2, 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket');
  assert.deepEqual(dest.checks.at(-1), ['s3.amazonaws.com', 'arn:aws:s3:::trail-logs', '000000000000']);
  assert.equal((await getConfig()).text.includes('<QueueConfiguration>'), false, 'nothing was stored');
  assert.equal(dest.messages(DENYING).length, 0);
  const overlap = await putConfig(queueRule(QUEUE, ['s3:ObjectCreated:*']) + topicRule(TOPIC, ['s3:ObjectCreated:Put']));
  assert.equal(overlap.status, 400);
  assert.equal(overlap.xml().Error.Message, 'Configurations overlap. Configurations on the same bucket cannot share a common event type.');
});

test('a configuration is set (with an s3:TestEvent to each destination) and read back in its wire form', async () => {
  const r = await putConfig(
    queueRule(QUEUE, ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], prefix('AWSLogs/')) + topicRule(TOPIC, ['s3:ObjectCreated:Copy'], prefix('copies/')),
  );
  assert.equal(r.status, 200, r.text);
  const test = JSON.parse(dest.messages(QUEUE)[0]?.body ?? '');
  assert.deepEqual(Object.keys(test), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
  assert.equal(test.Event, 's3:TestEvent');
  assert.equal(test.Bucket, 'trail-logs');
  assert.equal(test.RequestId, r.headers['x-amz-request-id']);
  assert.equal(dest.published(TOPIC)[0]?.subject, 'Amazon S3 Notification');
  const g = await getConfig();
  assert.equal(g.status, 200);
  assert.match(
    g.text,
    /<NotificationConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><TopicConfiguration><Id>[A-Za-z0-9+/=]+<\/Id><Topic>arn:aws:sns:us-east-1:000000000000:objects<\/Topic><Event>s3:ObjectCreated:Copy<\/Event><Filter><S3Key><FilterRule><Name>Prefix<\/Name><Value>copies\/<\/Value><\/FilterRule><\/S3Key><\/Filter><\/TopicConfiguration><QueueConfiguration><Id>events<\/Id><Queue>arn:aws:sqs:us-east-1:000000000000:events<\/Queue><Event>s3:ObjectCreated:\*<\/Event><Event>s3:ObjectRemoved:Delete<\/Event><Filter><S3Key><FilterRule><Name>Prefix<\/Name><Value>AWSLogs\/<\/Value><\/FilterRule><\/S3Key><\/Filter><\/QueueConfiguration><\/NotificationConfiguration>/,
  );
});

test('object calls raise their events in order, for matching keys only, with the call’s request id and the object’s size and ETag', async () => {
  const before = dest.messages(QUEUE).length;
  const put = await h.send({ service: 's3', method: 'PUT', path: '/trail-logs/AWSLogs/a%20b%3D1.json', body: 'hello' });
  assert.equal(put.status, 200);
  await h.send({ service: 's3', method: 'PUT', path: '/trail-logs/elsewhere.txt', body: 'x' });
  const copy = await h.send({ service: 's3', method: 'PUT', path: '/trail-logs/copies/c.json', headers: { 'x-amz-copy-source': '/trail-logs/elsewhere.txt' } });
  assert.equal(copy.status, 200, copy.text);
  assert.equal((await h.send({ service: 's3', method: 'DELETE', path: '/trail-logs/AWSLogs/a%20b%3D1.json' })).status, 204);
  const sent = dest.messages(QUEUE).slice(before);
  assert.deepEqual(
    sent.map((m) => [m.servicePrincipal, m.sourceArn, m.sourceAccount]),
    sent.map(() => ['s3.amazonaws.com', 'arn:aws:s3:::trail-logs', '000000000000']),
  );
  const records = sent.map((m) => JSON.parse(m.body).Records[0]);
  assert.deepEqual(
    records.map((r) => [r.eventName, r.s3.object.key]),
    [
      ['ObjectCreated:Put', 'AWSLogs/a+b%3D1.json'],
      ['ObjectRemoved:Delete', 'AWSLogs/a+b%3D1.json'],
    ],
  );
  const [created] = records;
  assert.equal(created.eventVersion, '2.1');
  assert.equal(created.s3.configurationId, 'events');
  assert.equal(created.s3.object.size, 5);
  assert.equal(created.s3.object.eTag, '5d41402abc4b2a76b9719d911017c592');
  assert.equal(created.responseElements['x-amz-request-id'], put.headers['x-amz-request-id']);
  assert.equal(created.responseElements['x-amz-id-2'], put.headers['x-amz-id-2']);
  assert.equal(created.requestParameters.sourceIPAddress, '127.0.0.1');
  const seq = records.map((r) => r.s3.object.sequencer);
  assert.deepEqual([...seq].sort(), seq, 'sequencers increase');
  assert.equal(new Set(seq).size, 2);
  // the copy matched the topic's rule only; the PUT of elsewhere.txt matched nothing
  const copied = dest
    .published(TOPIC)
    .slice(1)
    .map((p) => JSON.parse(p.message).Records[0]);
  assert.deepEqual(
    copied.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size]),
    [['ObjectCreated:Copy', 'copies/c.json', 1]],
  );
  assert.ok(copied[0].s3.object.sequencer > seq[0] && copied[0].s3.object.sequencer < seq[1], 'one sequence per bucket');
});

test('CompleteMultipartUpload and DeleteObjects raise their events: one per deleted key', async () => {
  const before = dest.messages(QUEUE).length;
  const created = await h.send({ service: 's3', method: 'POST', path: '/trail-logs/AWSLogs/big.bin', query: { uploads: '' } });
  const uploadId = created.xml().InitiateMultipartUploadResult.UploadId;
  const part = await h.send({ service: 's3', method: 'PUT', path: '/trail-logs/AWSLogs/big.bin', query: { partNumber: '1', uploadId }, body: 'only part' });
  const done = await h.send({
    service: 's3',
    method: 'POST',
    path: '/trail-logs/AWSLogs/big.bin',
    query: { uploadId },
    headers: { 'content-type': 'application/xml' },
    body: `<CompleteMultipartUpload xmlns="${NS}"><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`,
  });
  assert.equal(done.status, 200, done.text);
  const body = `<Delete xmlns="${NS}"><Object><Key>AWSLogs/big.bin</Key></Object><Object><Key>AWSLogs/never-there</Key></Object><Object><Key>outside</Key></Object></Delete>`;
  const deleted = await h.send({
    service: 's3',
    method: 'POST',
    path: '/trail-logs',
    query: { delete: '' },
    headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(body).digest('base64') },
    body,
  });
  assert.equal(deleted.status, 200, deleted.text);
  const records = dest
    .messages(QUEUE)
    .slice(before)
    .map((m) => JSON.parse(m.body).Records[0]);
  assert.deepEqual(
    records.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size]),
    [
      ['ObjectCreated:CompleteMultipartUpload', 'AWSLogs/big.bin', 9],
      ['ObjectRemoved:Delete', 'AWSLogs/big.bin', undefined],
      ['ObjectRemoved:Delete', 'AWSLogs/never-there', undefined],
    ],
  );
  assert.match(records[0].s3.object.eTag, /^[0-9a-f]{32}-1$/);
  assert.equal(records[1].responseElements['x-amz-request-id'], deleted.headers['x-amz-request-id']);
});

test('CloudTrail records the calls as PutBucketNotification / GetBucketNotification, management events with the configuration as sent', async () => {
  const records = (await h.records()).filter((r) => /BucketNotification/.test(r.eventName));
  assert.deepEqual([...new Set(records.map((r) => `${r.eventName} ${r.readOnly} ${r.managementEvent}`))].sort(), [
    'GetBucketNotification true true',
    'PutBucketNotification false true',
  ]);
  const put = records.find((r) => r.eventName === 'PutBucketNotification' && !r.errorCode);
  assert.equal(put.requestParameters.bucketName, 'trail-logs');
  assert.ok('NotificationConfiguration' in put.requestParameters, JSON.stringify(put.requestParameters));
  const refused = records.find((r) => r.errorCode);
  assert.equal(refused.errorCode, 'InvalidArgument');
});

test("bad input: malformed XML, no body, a missing bucket — 4xx in S3's form, nothing stored", async () => {
  const send = (path: string, body: string) =>
    h.send({ service: 's3', method: 'PUT', path, query: { notification: '' }, headers: { 'content-type': 'application/xml' }, body });
  const cases = [
    await send('/trail-logs', '<NotificationConfiguration><QueueConfiguration>'),
    await send('/trail-logs', ''),
    await send(
      '/trail-logs',
      `<NotificationConfiguration xmlns="${NS}"><QueueConfiguration><Queue>${QUEUE}</Queue></QueueConfiguration></NotificationConfiguration>`,
    ),
    await send('/no-such-bucket', `<NotificationConfiguration xmlns="${NS}"/>`),
  ];
  assert.deepEqual(
    cases.map((r) => [r.status, r.xml().Error?.Code]),
    [
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [404, 'NoSuchBucket'],
    ],
  );
  assert.equal((await getConfig()).text.includes('<Queue>'), true, 'the configuration set before is unchanged');
  const missing = await h.send({ service: 's3', method: 'GET', path: '/no-such-bucket', query: { notification: '' } });
  assert.equal(missing.status, 404);
});

test('an empty configuration turns notifications off', async () => {
  assert.equal((await putConfig('')).status, 200);
  const before = dest.messages(QUEUE).length;
  await h.send({ service: 's3', method: 'PUT', path: '/trail-logs/AWSLogs/after.json', body: 'x' });
  assert.equal(dest.messages(QUEUE).length, before);
  assert.equal((await getConfig()).text.includes('QueueConfiguration'), false);
});
