/**
 * EventBridge delivery end to end (docs/eventbridge-delivery.md), official SDK clients only:
 * CloudTrail records on the default bus reaching SQS targets with `detail` byte-equal to
 * LookupEvents' CloudTrailEvent, matched on S3 request parameters and on the root's console
 * sign-in; read-only management events reaching only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * rules; a log-group target writing the event as a log event; an API destination failing with 500
 * retried, then its event in the DLQ with AWS's attributes.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, s3Client } from './helpers/delivery.ts';
import { sdkLookup } from './helpers/history.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const ACCOUNT = '000000000000';
let server: TestServer;
let sqs: SQSClient;
let events: EventBridgeClient;
let trails: CloudTrailClient;

before(async () => {
  server = await startServer();
  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  events = new EventBridgeClient(sdkConfig(server.endpoint, server.root));
  trails = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  sqs?.destroy();
  events?.destroy();
  trails?.destroy();
  await server?.dispose();
});

/** A queue whose policy lets EventBridge send to it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions). */
async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const url = QueueUrl ?? '';
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn }],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
  return { url, arn };
}

async function rule(name: string, pattern: object, targets: Target[], state?: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'): Promise<void> {
  await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), ...(state ? { State: state } : {}) }));
  const r = await events.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  assert.equal(r.FailedEntryCount, 0);
}

const receive = async (url: string, wait: number, attributes = false): Promise<Message[]> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, ...(attributes ? { MessageAttributeNames: ['All'] } : {}) }),
    )
  ).Messages ?? [];

test("StopLogging reaches its rule's SQS target within a second, detail byte-equal to LookupEvents' CloudTrailEvent", async () => {
  const s3 = s3Client(server.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: 'eb-trail-logs' }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: 'eb-trail-logs', Policy: cloudTrailBucketPolicy('eb-trail-logs', ACCOUNT) }));
  s3.destroy();
  await trails.send(new CreateTrailCommand({ Name: 'eb-trail', S3BucketName: 'eb-trail-logs' }));
  await trails.send(new StartLoggingCommand({ Name: 'eb-trail' }));
  const q = await queue('stop-logging');
  await rule('stop-logging', { source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging'] } }, [{ Id: 'q', Arn: q.arn }]);

  await trails.send(new StopLoggingCommand({ Name: 'eb-trail' }));
  const [m] = await receive(q.url, 1);
  assert.ok(m?.Body, 'the event within the 1-second long poll');
  const [looked] = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }]);
  const record = looked?.CloudTrailEvent ?? '';
  assert.ok(m.Body.endsWith(`,"detail":${record}}`), 'detail is the record, byte for byte');
  const e = JSON.parse(m.Body);
  assert.deepEqual(Object.keys(e), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(e['detail-type'], 'AWS API Call via CloudTrail');
  assert.equal(e.source, 'aws.cloudtrail');
  assert.equal(e.account, ACCOUNT);
  assert.equal(e.region, 'us-east-1');
  assert.equal(e.time, JSON.parse(record).eventTime);
  assert.deepEqual(e.resources, []);
});

test("a rule on detail.requestParameters.bucketName matches that bucket's S3 calls only", async () => {
  const q = await queue('watched-bucket');
  await rule('watched-bucket', { source: ['aws.s3'], detail: { requestParameters: { bucketName: ['eb-watched'] } } }, [{ Id: 'q', Arn: q.arn }]);
  const s3 = s3Client(server.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: 'eb-unwatched' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'eb-watched' }));
  s3.destroy();
  const [m] = await receive(q.url, 5);
  const e = JSON.parse(m?.Body ?? '{}');
  assert.equal(e.detail.eventName, 'CreateBucket');
  assert.equal(e.detail.requestParameters.bucketName, 'eb-watched');
  assert.deepEqual(await receive(q.url, 0), [], "the other bucket's call did not match");
});

test("the root's console sign-in reaches a rule on detail.userIdentity.type Root", async () => {
  const q = await queue('root-sign-in');
  await rule('root-sign-in', { 'detail-type': ['AWS Console Sign In via CloudTrail'], detail: { userIdentity: { type: ['Root'] } } }, [
    { Id: 'q', Arn: q.arn },
  ]);
  const r = await fetch(`${server.endpoint}/console/api/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.endpoint },
    body: JSON.stringify({ accessKeyId: server.root.accessKeyId, secretAccessKey: server.root.secretAccessKey }),
  });
  assert.equal(r.status, 200, await r.text());
  const [m] = await receive(q.url, 5);
  const e = JSON.parse(m?.Body ?? '{}');
  assert.equal(e.source, 'aws.signin');
  assert.equal(e.region, 'us-east-1');
  assert.equal(e.detail.eventName, 'ConsoleLogin');
  assert.equal(e.detail.responseElements.ConsoleLogin, 'Success');
});

test('DescribeTrails (read-only) reaches only the ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rule', async () => {
  const enabled = await queue('describe-enabled');
  const all = await queue('describe-all');
  const pattern = { source: ['aws.cloudtrail'], detail: { eventName: ['DescribeTrails'] } };
  await rule('describe-enabled', pattern, [{ Id: 'q', Arn: enabled.arn }]);
  await rule('describe-all', pattern, [{ Id: 'q', Arn: all.arn }], 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  await trails.send(new DescribeTrailsCommand({}));
  const [m] = await receive(all.url, 5);
  assert.equal(JSON.parse(m?.Body ?? '{}').detail.eventName, 'DescribeTrails');
  // the record's events were delivered to every target in one transaction: the other queue has had its chance
  assert.deepEqual(await receive(enabled.url, 0), []);
});

test("an API destination answering 500 is retried by its RetryPolicy, then the event is in the DLQ with AWS's attributes", async () => {
  const hits: IncomingHttpHeaders[] = [];
  const hook: Server = createServer((req, res) => {
    hits.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(500).end('down'));
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
  try {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const conn = await events.send(
      new CreateConnectionCommand({
        Name: 'hook',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k3y' } },
      }),
    );
    const dest = await events.send(
      new CreateApiDestinationCommand({ Name: 'hook', ConnectionArn: conn.ConnectionArn, InvocationEndpoint: url, HttpMethod: 'POST' }),
    );
    const dlq = await queue('hook-dlq');
    await rule('hook', { source: ['aws.sqs'], detail: { eventName: ['CreateQueue'], requestParameters: { queueName: ['trigger-hook'] } } }, [
      { Id: 'api', Arn: dest.ApiDestinationArn, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await sqs.send(new CreateQueueCommand({ QueueName: 'trigger-hook' }));
    let dead: Message | undefined;
    for (let i = 0; i < 15 && !dead; i++) [dead] = await receive(dlq.url, 1, true);
    assert.ok(dead, 'the event reached the DLQ');
    assert.equal(hits.length, 3, 'the first attempt and two retries');
    assert.equal(hits[0]?.['x-api-key'], 'k3y');
    assert.equal(hits[0]?.['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    const a = dead.MessageAttributes ?? {};
    assert.equal(a.RULE_ARN?.StringValue, `arn:aws:events:us-east-1:${ACCOUNT}:rule/hook`);
    assert.equal(a.TARGET_ARN?.StringValue, dest.ApiDestinationArn);
    assert.equal(a.ERROR_CODE?.StringValue, 'SDK_CLIENT_ERROR');
    assert.match(a.ERROR_MESSAGE?.StringValue ?? '', /500/);
    assert.equal(a.EXHAUSTED_RETRY_CONDITION?.StringValue, 'MaximumRetryAttemptsExhausted');
    assert.equal(a.RETRY_ATTEMPTS?.StringValue, '2');
    assert.equal(JSON.parse(dead.Body ?? '{}').detail.requestParameters.queueName, 'trigger-hook');
  } finally {
    await new Promise<void>((ok) => hook.close(() => ok()));
  }
});

test('a log-group target: the event as one log event in a stream named by the event id, once the resource policy lets EventBridge write', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, server.root));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/eb-audit' }));
    await logs.send(
      new PutResourcePolicyCommand({
        policyName: 'eventbridge',
        policyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/*:*`,
            },
          ],
        }),
      }),
    );
    await rule('to-logs', { source: ['aws.sqs'], detail: { eventName: ['CreateQueue'], requestParameters: { queueName: ['trigger-logs'] } } }, [
      { Id: 'logs', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/eb-audit` },
    ]);
    await sqs.send(new CreateQueueCommand({ QueueName: 'trigger-logs' }));
    let found: { logStreamName?: string; message?: string; timestamp?: number } | undefined;
    for (let i = 0; i < 20 && !found; i++) {
      found = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/eb-audit' }))).events?.[0];
      if (!found) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(found, 'the event was logged');
    const e = JSON.parse(found.message ?? '{}');
    assert.equal(found.logStreamName, e.id);
    assert.equal(found.timestamp, Date.parse(e.time));
    assert.equal(e.detail.requestParameters.queueName, 'trigger-logs');
  } finally {
    logs.destroy();
  }
});
