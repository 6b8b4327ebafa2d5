/**
 * SNS end to end with the official clients (docs/sns.md): @aws-sdk/client-sns and /usr/bin/aws
 * create topics, subscribe a local HTTP endpoint, publish; the endpoint confirms through the
 * SubscribeURL it was sent and receives the messages, whose signatures (SignatureVersion 1 and 2)
 * the published `sns-validator` package verifies against the certificate startrail serves behind an
 * HTTPS proxy (STARTRAIL_PUBLIC_URL). Raw delivery, retries of a failed POST, the errors AWS
 * answers, and the audit records (Publish a data event kept out of Event history).
 */
import assert from 'node:assert/strict';
import { get } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import MessageValidator from 'sns-validator';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { startEndpoint, startTlsProxy, type Endpoint, type TlsProxy, type Received } from './helpers/sns-endpoints.ts';

let server: TestServer;
let proxy: TlsProxy;
let endpoint: Endpoint;
let sns: SNSClient;
let validator: MessageValidator;

before(async () => {
  proxy = await startTlsProxy();
  endpoint = await startEndpoint();
  server = await startServer({ STARTRAIL_PUBLIC_URL: `https://127.0.0.1:${proxy.port}` });
  proxy.target.port = server.port;
  sns = new SNSClient(sdkConfig(server.endpoint, server.root));
  validator = new MessageValidator(new RegExp(`^127\\.0\\.0\\.1:${proxy.port}$`));
});

after(async () => {
  sns?.destroy();
  await server?.dispose();
  await endpoint?.close();
  await proxy?.close();
});

function validate(body: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => validator.validate(body, (err, message) => (err ? reject(err) : resolve(message as Record<string, string>))));
}

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const ofType = (type: string, pathname: string) => (r: Received) => r.headers['x-amz-sns-message-type'] === type && r.path === pathname;

async function confirmedHttpSubscription(topicArn: string, pathname: string): Promise<string> {
  const confirmation = endpoint.next(ofType('SubscriptionConfirmation', pathname));
  const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${endpoint.url}${pathname}` }));
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  const got = await confirmation;
  const message = await validate(got.body);
  assert.equal(message.Type, 'SubscriptionConfirmation');
  assert.equal(message.TopicArn, topicArn);
  assert.equal(got.headers['x-amz-sns-topic-arn'], topicArn);
  assert.match(message.SubscribeURL!, new RegExp(`^https://127\\.0\\.0\\.1:${proxy.port}/\\?Action=ConfirmSubscription&`));
  const visit = await httpsGet(message.SubscribeURL!);
  assert.equal(visit.status, 200, visit.body);
  const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(visit.body)?.[1];
  assert.ok(arn?.startsWith(`${topicArn}:`), visit.body);
  return arn!;
}

test('an http subscription is confirmed through its SubscribeURL and gets signed notifications that sns-validator accepts (SignatureVersion 1 and 2)', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.equal(TopicArn, 'arn:aws:sns:us-east-1:000000000000:orders');
  const subArn = await confirmedHttpSubscription(TopicArn!, '/orders');
  const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
  assert.equal(attrs.PendingConfirmation, 'false');
  assert.equal(attrs.ConfirmationWasAuthenticated, 'false');
  const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.deepEqual(
    listed.Subscriptions?.map((s) => [s.SubscriptionArn, s.Protocol, s.Endpoint]),
    [[subArn, 'http', `${endpoint.url}/orders`]],
  );

  const first = endpoint.next(ofType('Notification', '/orders'));
  const published = await sns.send(
    new PublishCommand({
      TopicArn,
      Message: 'order 1 shipped',
      Subject: 'Shipping',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'shipped' }, weight: { DataType: 'Number', StringValue: '12.5' } },
    }),
  );
  const got = await first;
  const message = await validate(got.body);
  assert.equal(message.MessageId, published.MessageId);
  assert.equal(message.Message, 'order 1 shipped');
  assert.equal(message.Subject, 'Shipping');
  assert.equal(message.SignatureVersion, '1');
  assert.deepEqual(message.MessageAttributes, { kind: { Type: 'String', Value: 'shipped' }, weight: { Type: 'Number', Value: '12.5' } });
  assert.match(message.UnsubscribeURL!, /\?Action=Unsubscribe&SubscriptionArn=/);
  assert.equal(got.headers['x-amz-sns-message-id'], published.MessageId);
  assert.equal(got.headers['x-amz-sns-subscription-arn'], subArn);
  assert.equal(got.headers['content-type'], 'text/plain; charset=UTF-8');
  const cert = await httpsGet(message.SigningCertURL!);
  assert.match(cert.body, /^-----BEGIN CERTIFICATE-----/);

  // a tampered message does not verify
  await assert.rejects(validate(JSON.stringify({ ...message, Message: 'order 1 cancelled' })));

  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  const second = endpoint.next(ofType('Notification', '/orders'));
  await sns.send(new PublishCommand({ TopicArn, Message: 'order 2 shipped' }));
  const v2 = await validate((await second).body);
  assert.equal(v2.SignatureVersion, '2');
  assert.equal(v2.Message, 'order 2 shipped');
  assert.equal(v2.Subject, undefined);
});

test('raw delivery, MessageStructure=json, a PublishBatch and a retried POST', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'raw' }));
  const subArn = await confirmedHttpSubscription(TopicArn!, '/raw');
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
  await sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: subArn,
      AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 2 } }),
    }),
  );
  const raw = endpoint.next(ofType('Notification', '/raw'));
  await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ default: 'plain', http: 'for http' }), MessageStructure: 'json' }));
  const got = await raw;
  assert.equal(got.body, 'for http');
  assert.equal(got.headers['x-amz-sns-rawdelivery'], 'true');

  // the first POST fails with a 500: the delivery policy retries it
  endpoint.script.push(500);
  const retried = endpoint.next((r) => r.path === '/raw' && r.body === 'retry me');
  await sns.send(new PublishCommand({ TopicArn, Message: 'retry me' }));
  const delivered = await retried;
  const attempts = endpoint.received.filter((r) => r.path === '/raw' && r.body === 'retry me');
  assert.equal(attempts.length, 2);
  assert.equal(attempts[0]!.headers['x-amz-sns-message-id'], delivered.headers['x-amz-sns-message-id']);

  const batchWaits = [endpoint.next((r) => r.body === 'b1'), endpoint.next((r) => r.body === 'b2')];
  const batch = await sns.send(
    new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: 'one', Message: 'b1' },
        { Id: 'two', Message: 'b2' },
        { Id: 'bad', Message: 'b3', Subject: 'line\nbreak' },
      ],
    }),
  );
  assert.deepEqual(
    batch.Successful?.map((s) => s.Id),
    ['one', 'two'],
  );
  assert.deepEqual(batch.Failed, [{ Id: 'bad', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true }]);
  await Promise.all(batchWaits);
});

test('a message accepted but not yet delivered survives kill -9 and is delivered after the restart', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'durable' }));
  const subArn = await confirmedHttpSubscription(TopicArn!, '/durable');
  await sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: subArn,
      AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 2, maxDelayTarget: 2, numRetries: 5 } }),
    }),
  );
  endpoint.script.push(503);
  const failed = endpoint.seen((r) => r.path === '/durable');
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'keep me' }));
  assert.equal((await failed).headers['x-amz-sns-message-id'], MessageId);
  // the store is read directly for what no API shows: the failed attempt is recorded and the row
  // waits, unleased, for its retry — so the kill cannot land between the POST and that record
  const store = await openStore(loadConfig({ dataDir: server.dataDir }, server.env));
  try {
    const waiting = async () => (await store.topics.peekDeliveries(100)).find((d) => d.messageId === MessageId);
    for (let row = await waiting(); !row || row.leased || row.attempts !== 1; row = await waiting()) await delay(20);
  } finally {
    await store.close();
  }
  await server.kill();
  const delivered = endpoint.next((r) => r.path === '/durable');
  await server.restart();
  const got = await delivered;
  assert.equal(got.headers['x-amz-sns-message-id'], MessageId);
  assert.equal((await validate(got.body)).Message, 'keep me');
});

test('errors as AWS answers them, through the SDK and the CLI', async () => {
  const missing = 'arn:aws:sns:us-east-1:000000000000:missing';
  await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: missing })), (e: any) => {
    assert.equal(e.name, 'NotFoundException');
    assert.equal(e.message, 'Topic does not exist');
    assert.equal(e.$metadata.httpStatusCode, 404);
    return true;
  });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'errors' }));
  const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/errors`, ReturnSubscriptionArn: true }));
  await assert.rejects(
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":"b"}' })),
    (e: any) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, 'Invalid parameter: FilterPolicy: "a" must be an object or an array');
      return true;
    },
  );
  await assert.rejects(
    sns.send(new CreateTopicCommand({ Name: 'bad name!' })),
    (e: any) => e.name === 'InvalidParameterException' && e.message === 'Invalid parameter: Topic Name',
  );

  const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);
  const created = cli(['sns', 'create-topic', '--name', 'cli-topic']);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.json.TopicArn, 'arn:aws:sns:us-east-1:000000000000:cli-topic');
  const pub = cli([
    'sns',
    'publish',
    '--topic-arn',
    created.json.TopicArn,
    '--message',
    'hi',
    '--message-attributes',
    '{"n":{"DataType":"Number","StringValue":"x"}}',
  ]);
  assert.equal(pub.status, 254, pub.stderr);
  assert.match(pub.stderr, /\(ParameterValueInvalid\).*Could not cast message attribute 'n' value to number\./);
  const bad = cli([
    'sns',
    'subscribe',
    '--topic-arn',
    created.json.TopicArn,
    '--protocol',
    'http',
    '--notification-endpoint',
    'http://x',
    '--attributes',
    '{"FilterPolicy":"{\\"n\\":[{\\"numeric\\":[\\"<\\",\\"x\\"]}]}"}',
  ]);
  assert.equal(bad.status, 254, bad.stderr);
  assert.match(bad.stderr, /\(InvalidParameter\).*Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric/);
  const gone = cli(['sns', 'get-topic-attributes', '--topic-arn', missing]);
  assert.equal(gone.status, 254);
  assert.match(gone.stderr, /\(NotFound\).*Topic does not exist/);
});

test('SNS calls are audited: management events in Event history, Publish a data event kept out of it', async () => {
  const created = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'CreateTopic' }]);
  const orders = created.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.requestParameters?.name === 'orders');
  assert.ok(orders, 'CreateTopic of orders is in Event history');
  assert.equal(orders.eventSource, 'sns.amazonaws.com');
  assert.deepEqual(orders.resources, [{ accountId: '000000000000', type: 'AWS::SNS::Topic', ARN: 'arn:aws:sns:us-east-1:000000000000:orders' }]);
  assert.equal(orders.managementEvent, true);
  const publishes = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'Publish' }]);
  assert.deepEqual(publishes, []);
});
