// Role: case 6, notifications (docs/notifications.md): S3 PutObject → event message receivable in SQS, p50/p99; and a call → its log file's CloudTrail notification received through SNS → SQS, p50/p99, on a served startrail with the official SDKs.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
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
import { gunzipSync } from 'node:zlib';
import type { Ctx } from '../lib/context.ts';
import { startStartrail, type ServerProc } from '../lib/procs.ts';
import { summarise } from '../lib/stats.ts';

const ACCOUNT = '000000000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const allow = (resource: string, service: string, action: string, sourceArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: service }, Action: action, Resource: resource, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } },
    ],
  });

function clients(server: ServerProc) {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const config = { endpoint: server.endpoint, region: 'us-east-1', credentials: server.root, maxAttempts: 1 };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    ct: new CloudTrailClient(config),
  };
}

type Clients = ReturnType<typeof clients>;

async function queue(c: Clients, name: string, service: string, sourceArn: string): Promise<{ url: string; arn: string }> {
  const url = (await c.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await c.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: allow(arn, service, 'sqs:SendMessage', sourceArn) } }));
  return { url, arn };
}

/** Long-polls until `match` accepts a message body; deletes what it received. */
async function receive(c: Clients, url: string, match: (body: string) => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (performance.now() > deadline) throw new Error(`no matching message on ${url} within ${timeoutMs} ms`);
    const r = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    let found = false;
    for (const m of r.Messages ?? []) if (await match(m.Body ?? '')) found = true;
    if (r.Messages?.length)
      await c.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    if (found) return;
  }
}

/** PutObject → its ObjectCreated:Put message received from the queue (the message commits with the call). */
async function putToMessage(c: Clients, probes: number) {
  const bucket = 'bench-events';
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const q = await queue(c, 'bench-object-events', 's3.amazonaws.com', `arn:aws:s3:::${bucket}`);
  await c.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  await receive(c, q.url, (b) => b.includes('s3:TestEvent'), 10_000);
  const times: number[] = [];
  for (let i = 0; i < probes; i++) {
    const key = `probe/${i}`;
    const t0 = performance.now();
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `object ${i}` }));
    await receive(c, q.url, (b) => b.includes(`"key":"probe/${i}"`), 10_000);
    times.push(performance.now() - t0);
  }
  return summarise(times);
}

/** A call → the CloudTrail notification (trail topic → queue) of the log file holding its record; delivery every second. */
async function callToNotification(c: Clients, probes: number) {
  const bucket = 'bench-trail-notify';
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/bench-notify`;
  const { cloudTrailPolicy } = await import('../../src/delivery/testing.ts');
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await c.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailPolicy(bucket) }));
  const topic = (await c.sns.send(new CreateTopicCommand({ Name: 'bench-trail-files' }))).TopicArn!;
  await c.sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topic,
      AttributeName: 'Policy',
      AttributeValue: allow(topic, 'cloudtrail.amazonaws.com', 'SNS:Publish', trailArn),
    }),
  );
  const q = await queue(c, 'bench-trail-files', 'sns.amazonaws.com', topic);
  await c.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  await c.ct.send(new CreateTrailCommand({ Name: 'bench-notify', S3BucketName: bucket, SnsTopicName: topic }));
  await c.ct.send(new StartLoggingCommand({ Name: 'bench-notify' }));
  const times: number[] = [];
  for (let i = 0; i < probes; i++) {
    await sleep(Math.random() * 1000); // land anywhere in the delivery interval
    const t0 = performance.now();
    const requestId = (await c.ct.send(new GetTrailStatusCommand({ Name: 'bench-notify' }))).$metadata.requestId!;
    await receive(
      c,
      q.url,
      async (body) => {
        for (const key of (JSON.parse(body) as { s3ObjectKey: string[] }).s3ObjectKey) {
          const o = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          if (
            gunzipSync(Buffer.from(await o.Body!.transformToByteArray()))
              .toString('utf8')
              .includes(requestId)
          )
            return true;
        }
        return false;
      },
      30_000,
    );
    times.push(performance.now() - t0);
  }
  return summarise(times);
}

export async function notificationsCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const name = 'notifications';
  const dir = mkdtempSync(join(ctx.workDir, 'notifications-'));
  const server = await startStartrail({ dataDir: dir, env: { STARTRAIL_DELIVERY_INTERVAL: '1' } });
  try {
    const c = clients(server);
    // On a build without SQS and SNS the case is listed with the reason.
    const why = await c.sqs.send(new CreateQueueCommand({ QueueName: 'bench-probe' })).then(
      () => undefined,
      (e: Error) => `SQS is not served by this build (${e.name}: ${e.message.split('\n')[0]})`,
    );
    if (why) {
      log(`${name}: not available: ${why}`);
      for (const m of ['PutObject -> message received p99', 'log file -> SNS -> SQS p99']) report.skip(name, m, `not available: ${why}`);
      return;
    }
    const probes = ctx.quick ? 20 : 200;
    const put = await putToMessage(c, probes);
    log(`${name}: PutObject -> message p50 ${put.p50.toFixed(1)} ms, p99 ${put.p99.toFixed(1)} ms over ${put.n}`);
    report.add({
      case: name,
      metric: 'PutObject -> message received p99',
      value: put.p99,
      unit: 'ms',
      note: `p50 ${put.p50.toFixed(1)} ms, max ${put.max.toFixed(1)} ms over ${put.n} PutObject calls; from the call's start to ReceiveMessage returning it (long poll)`,
    });
    const noSns = await c.sns.send(new CreateTopicCommand({ Name: 'bench-probe' })).then(
      () => undefined,
      (e: Error) => `SNS is not served by this build (${e.name}: ${e.message.split('\n')[0]})`,
    );
    if (noSns) {
      log(`${name}: log file -> SNS -> SQS not available: ${noSns}`);
      report.skip(name, 'log file -> SNS -> SQS p99', `not available: ${noSns}`);
      report.detail(name, { putToMessage: put });
      return;
    }
    const trailProbes = ctx.quick ? 5 : 20;
    const ct = await callToNotification(c, trailProbes);
    log(`${name}: call -> log file -> SNS -> SQS p50 ${ct.p50.toFixed(0)} ms, p99 ${ct.p99.toFixed(0)} ms over ${ct.n}`);
    report.add({
      case: name,
      metric: 'log file -> SNS -> SQS p99',
      value: ct.p99,
      unit: 'ms',
      note: `p50 ${ct.p50.toFixed(0)} ms, max ${ct.max.toFixed(0)} ms over ${ct.n} calls: from a call to the notification of the log file holding its record, received and the file read; STARTRAIL_DELIVERY_INTERVAL=1 (the interval dominates)`,
    });
    report.detail(name, { putToMessage: put, callToNotification: ct, deliveryIntervalSeconds: 1 });
  } finally {
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
