/**
 * SNS → SQS end to end with the official clients (docs/sns.md#publishing): queues made with
 * @aws-sdk/client-sqs whose policies let the topic send, subscribed by @aws-sdk/client-sns and the
 * AWS CLI; a publish reaches an enveloped subscription as the signed JSON document, a raw one as the
 * bare message with its attributes as SQS message attributes, a filtered one only when the filter
 * policy passes, and a queue whose policy does not allow the topic never. Delivery happens inside
 * the Publish call, so a receive right after it finds the message.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let sns: SNSClient;
let sqs: SQSClient;

before(async () => {
  server = await startServer();
  sns = new SNSClient(sdkConfig(server.endpoint, server.root));
  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  sns?.destroy();
  sqs?.destroy();
  await server?.dispose();
});

async function queue(name: string, topicArn?: string): Promise<{ url: string; arn: string }> {
  const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
  const policy = topicArn && {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  };
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, ...(policy ? { Attributes: { Policy: JSON.stringify(policy) } } : {}) }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  assert.equal(attrs.Attributes?.QueueArn, arn);
  return { url: QueueUrl ?? '', arn };
}

const receive = async (url: string) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], AttributeNames: ['All'] }))).Messages ??
  [];

test('raw and enveloped SQS subscriptions, a filter policy, and a queue that does not allow the topic', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-queues' }));
  const topic = TopicArn ?? '';
  const enveloped = await queue('enveloped', topic);
  const raw = await queue('raw', topic);
  const filtered = await queue('filtered', topic);
  const closed = await queue('closed');
  const subscribe = (arn: string, Attributes?: Record<string, string>) =>
    sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: arn, ...(Attributes ? { Attributes } : {}) }));
  const envSub = await subscribe(enveloped.arn);
  assert.match(envSub.SubscriptionArn ?? '', new RegExp(`^${topic}:`), 'a queue of the same account is confirmed at once');
  await subscribe(raw.arn, { RawMessageDelivery: 'true' });
  await subscribe(filtered.arn, { FilterPolicy: JSON.stringify({ kind: [{ prefix: 'ord' }] }) });
  await subscribe(closed.arn);

  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topic,
      Message: 'parcel left',
      Subject: 'Status',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'parcel' } },
    }),
  );
  const [env] = await receive(enveloped.url);
  const doc = JSON.parse(env?.Body ?? '{}');
  assert.deepEqual(
    [doc.Type, doc.MessageId, doc.TopicArn, doc.Subject, doc.Message, doc.SignatureVersion],
    ['Notification', MessageId, topic, 'Status', 'parcel left', '1'],
  );
  assert.deepEqual(doc.MessageAttributes, { kind: { Type: 'String', Value: 'parcel' } });
  assert.equal(env?.Attributes?.SenderId, 'AIDAIT2UOQQY3AUEKVGXU');
  const [bare] = await receive(raw.url);
  assert.equal(bare?.Body, 'parcel left');
  assert.deepEqual(bare?.MessageAttributes, { kind: { DataType: 'String', StringValue: 'parcel' } });
  assert.deepEqual(await receive(filtered.url), [], 'the filter policy keeps it out');
  assert.deepEqual(await receive(closed.url), [], "the queue's policy does not allow the topic");

  // the CLI publishes a message the filter policy lets through
  const cli = awsCli(server.endpoint, server.root, [
    'sns',
    'publish',
    '--topic-arn',
    topic,
    '--message',
    'order 7',
    '--message-attributes',
    '{"kind":{"DataType":"String","StringValue":"order"}}',
  ]);
  assert.equal(cli.status, 0, cli.stderr);
  const [passed] = await receive(filtered.url);
  assert.equal(JSON.parse(passed?.Body ?? '{}').MessageId, cli.json.MessageId);
  assert.equal(JSON.parse(passed?.Body ?? '{}').Message, 'order 7');
});
