/**
 * The "trail bucket → SQS → SIEM" pipeline end to end with the official SDKs only
 * (docs/notifications.md): a trail whose SNS topic is subscribed by one queue, and an S3 event
 * notification from the trail bucket to a second queue. A consumer long-polls both queues, downloads
 * every announced object and counts each record exactly once, equal to what LookupEvents shows for
 * the same calls; digests are announced by S3 but told apart by key; S3's refusal of a destination
 * that does not let S3 send, and CloudTrail's of a topic that does not let CloudTrail publish, come
 * from real calls.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, s3Client } from './helpers/delivery.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'siem-trail-logs';
const TRAIL = 'siem-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

let server: TestServer;
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
let ct: CloudTrailClient;
let filesQueue: string;
let eventsQueue: string;
let topicArn: string;

const policy = (resource: string, service: string, action: string, sourceArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: service }, Action: action, Resource: resource, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } },
    ],
  });

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '3' });
  const config = sdkConfig(server.endpoint, server.root);
  s3 = s3Client(server.endpoint, server.root);
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  ct = new CloudTrailClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT, TRAIL_ARN) }));
});

after(async () => {
  await server?.dispose();
});

test("S3's and CloudTrail's refusals of destinations that do not exist, from the SDK and the AWS CLI", async () => {
  const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`;
  const config = { QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*' as const] }] };
  const err = await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: BUCKET, NotificationConfiguration: config })).then(
    () => assert.fail('accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof S3ServiceException);
  assert.deepEqual(
    [err.name, err.message, err.$metadata.httpStatusCode],
    ['InvalidArgument', 'Unable to validate the following destination configurations', 400],
  );
  const fields = err as unknown as Record<string, string>;
  assert.equal(fields.ArgumentName1, missing);
  assert.equal(fields.ArgumentValue1, 'The destination queue does not exist');
  const cli = awsCli(server.endpoint, server.root, [
    's3api',
    'put-bucket-notification-configuration',
    '--bucket',
    BUCKET,
    '--notification-configuration',
    JSON.stringify({ QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] }),
  ]);
  assert.equal(cli.status, 254);
  assert.equal(
    cli.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    'An error occurred (InvalidArgument) when calling the PutBucketNotificationConfiguration operation: Unable to validate the following destination configurations',
  );
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }))).QueueConfigurations, undefined);
  const trail = awsCli(server.endpoint, server.root, [
    'cloudtrail',
    'create-trail',
    '--name',
    TRAIL,
    '--s3-bucket-name',
    BUCKET,
    '--sns-topic-name',
    'no-such-topic',
  ]);
  assert.equal(
    trail.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    'An error occurred (InsufficientSnsTopicPolicyException) when calling the CreateTrail operation: SNS Topic does not exist or the topic policy is incorrect!',
  );
});

test('S3 refuses a queue whose policy does not let it send', async () => {
  const closed = await queue('closed-queue');
  const err = await s3
    .send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: BUCKET,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: closed.arn, Events: ['s3:ObjectCreated:*'] }] },
      }),
    )
    .then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
  assert.ok(err instanceof S3ServiceException);
  assert.equal(err.name, 'InvalidArgument');
  const fields = err as unknown as Record<string, string>;
  assert.equal(fields.ArgumentName1, closed.arn);
  assert.equal(fields.ArgumentValue1, 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket');
});

test('CloudTrail refuses a topic whose policy does not let it publish', async () => {
  const bare = (await sns.send(new CreateTopicCommand({ Name: 'no-policy-topic' }))).TopicArn!;
  const refused = await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, SnsTopicName: bare })).then(
    () => assert.fail('accepted'),
    (e: Error) => e,
  );
  assert.equal(refused.name, 'InsufficientSnsTopicPolicyException');
  assert.equal(refused.message, 'SNS Topic does not exist or the topic policy is incorrect!');
});

test('a consumer of both queues counts every delivered record exactly once, equal to LookupEvents; digests are announced by S3 and told apart by key', async () => {
  // queue 1 ← SNS topic ← CloudTrail; queue 2 ← S3 event notifications of the trail bucket
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'trail-files' }))).TopicArn!;
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: policy(topicArn, 'cloudtrail.amazonaws.com', 'SNS:Publish', TRAIL_ARN),
    }),
  );
  const files = await queue('trail-files');
  filesQueue = files.url;
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: files.url, Attributes: { Policy: policy(files.arn, 'sns.amazonaws.com', 'sqs:SendMessage', topicArn) } }),
  );
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: files.arn }));
  const events = await queue('bucket-events');
  eventsQueue = events.url;
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: events.url, Attributes: { Policy: policy(events.arn, 's3.amazonaws.com', 'sqs:SendMessage', BUCKET_ARN) } }),
  );
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        QueueConfigurations: [
          { Id: 'siem', QueueArn: events.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'AWSLogs/' }] } } },
        ],
      },
    }),
  );
  const created = await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, SnsTopicName: 'trail-files', EnableLogFileValidation: true }));
  assert.equal(created.SnsTopicARN, topicArn);
  await ct.send(new StartLoggingCommand({ Name: TRAIL }));

  const sts = new STSClient(sdkConfig(server.endpoint, server.root));
  const calls = new Set<string>();
  for (let i = 0; i < 5; i++) calls.add((await sts.send(new GetCallerIdentityCommand({}))).$metadata.requestId!);

  // the consumer: each channel's announced keys, and the records of the log files it downloaded
  const channel = () => ({ keys: new Map<string, number>(), records: new Map<string, number>(), digests: 0, tests: 0 });
  const viaSns = channel();
  const viaS3 = channel();
  const read = async (key: string, into: ReturnType<typeof channel>) => {
    into.keys.set(key, (into.keys.get(key) ?? 0) + 1);
    if (key.includes('/CloudTrail-Digest/')) {
      into.digests++;
      return;
    }
    assert.match(key, new RegExp(`^AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`));
    const o = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const log = JSON.parse(gunzipSync(Buffer.from(await o.Body!.transformToByteArray())).toString('utf8')) as {
      Records: { eventID: string; requestID: string }[];
    };
    for (const r of log.Records) into.records.set(r.eventID, (into.records.get(r.eventID) ?? 0) + 1);
    for (const r of log.Records) if (calls.has(r.requestID)) into.records.set(`call:${r.requestID}`, (into.records.get(`call:${r.requestID}`) ?? 0) + 1);
  };
  const drain = async (url: string, handle: (body: string) => Promise<void>): Promise<number> => {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) await handle(m.Body!);
    if (r.Messages?.length)
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    return r.Messages?.length ?? 0;
  };
  const seenAll = (c: ReturnType<typeof channel>) => [...calls].every((id) => c.records.has(`call:${id}`));
  const deadline = Date.now() + 40_000;
  const fromSns = () =>
    drain(filesQueue, async (body) => {
      const envelope = JSON.parse(body) as { Type: string; TopicArn: string; Message: string };
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.TopicArn, topicArn);
      const message = JSON.parse(envelope.Message) as { s3Bucket: string; s3ObjectKey: string[] };
      assert.equal(message.s3Bucket, BUCKET);
      for (const key of message.s3ObjectKey) await read(key, viaSns);
    });
  const fromS3 = () =>
    drain(eventsQueue, async (body) => {
      const m = JSON.parse(body);
      if (m.Event === 's3:TestEvent') {
        viaS3.tests++;
        return;
      }
      const r = m.Records[0];
      assert.equal(r.eventName, 'ObjectCreated:Put');
      assert.equal(r.s3.bucket.arn, BUCKET_ARN);
      assert.equal(r.s3.configurationId, 'siem');
      await read(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')), viaS3);
    });
  // S3 also announces digests (one every 3 s here)
  while (!(seenAll(viaSns) && seenAll(viaS3) && viaS3.digests > 0)) {
    assert.ok(Date.now() < deadline, `not every call was announced in time (SNS: ${viaSns.keys.size} keys, S3: ${viaS3.keys.size} keys)`);
    await fromSns();
    await fromS3();
  }
  // each log file is announced on both channels, in one transaction: once both are drained past it, the sets agree
  const logKeys = (c: ReturnType<typeof channel>) => [...c.keys.keys()].filter((k) => !k.includes('/CloudTrail-Digest/')).sort();
  while (logKeys(viaSns).join() !== logKeys(viaS3).join() && Date.now() < deadline) {
    await fromSns();
    await fromS3();
  }
  // every key announced once per channel; CloudTrail announces log files only, S3 log files and digests
  for (const c of [viaSns, viaS3])
    assert.deepEqual(
      [...c.keys.values()].filter((n) => n !== 1),
      [],
    );
  assert.equal(viaSns.digests, 0);
  assert.equal(viaS3.tests, 1);
  assert.deepEqual(logKeys(viaS3), logKeys(viaSns));
  for (const c of [viaSns, viaS3]) {
    assert.deepEqual(
      [...c.records.values()].filter((n) => n !== 1),
      [],
      'each record once',
    );
    for (const id of calls) assert.equal(c.records.get(`call:${id}`), 1);
  }
  // LookupEvents shows the same calls
  const history = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] }));
  const looked = (history.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as { requestID: string; eventID: string });
  assert.deepEqual(new Set(looked.map((e) => e.requestID)), calls);
  for (const e of looked) {
    assert.equal(viaSns.records.get(e.eventID), 1);
    assert.equal(viaS3.records.get(e.eventID), 1);
  }
  const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
  assert.ok(status.LatestNotificationTime instanceof Date);
  assert.equal(status.LatestNotificationError, undefined);
  assert.notEqual(status.LatestNotificationAttemptSucceeded, '');
});
