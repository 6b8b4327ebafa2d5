/**
 * SQS end to end (docs/sqs.md) with the official clients: @aws-sdk/client-sqs (JSON 1.0, which
 * checks every MD5 it is sent) and Debian's AWS CLI 2.9 (Query). Errors as each client reports
 * them; dead-letter queues; FIFO order and deduplication under 16 concurrent senders; the records
 * where AWS puts them (management events in Event history, data events not).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let sqs: SQSClient;

before(async () => {
  server = await startServer();
  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  sqs?.destroy();
  await server?.dispose();
});

const cli = (args: string[]) => awsCli(server.endpoint, server.root, ['sqs', ...args]);
const rejectsWith = async (p: Promise<unknown>, name: string, code: string) => {
  const e = (await p.then(
    () => undefined,
    (x: unknown) => x,
  )) as { name: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  assert.ok(e, `expected ${name}`);
  assert.equal(e.name, name);
  assert.equal(e.Code, code);
  assert.equal(e.$metadata?.httpStatusCode, 400);
};

test('SDK (JSON): send with attributes, receive (the SDK checks the MD5s), delete; the errors with their Query codes', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-queue', Attributes: { VisibilityTimeout: '60' } }));
  assert.equal(QueueUrl, `${server.endpoint}/000000000000/sdk-queue`);
  const sent = await sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: 'hello ✓',
      MessageAttributes: { n: { DataType: 'Number', StringValue: '42' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255]) } },
    }),
  );
  assert.ok(sent.MessageId);
  const batch = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'one', MessageBody: 'one' },
        { Id: 'two', MessageBody: 'x'.repeat(257 * 1024) },
      ],
    }),
  );
  assert.deepEqual(
    batch.Successful?.map((s) => s.Id),
    ['one'],
  );
  assert.equal(batch.Failed?.[0]?.Code, 'InvalidParameterValue');
  const got = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
  );
  assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['hello ✓', 'one']);
  const m = got.Messages!.find((x) => x.MessageId === sent.MessageId)!;
  assert.equal(m.MessageAttributes?.n?.StringValue, '42');
  assert.deepEqual([...(m.MessageAttributes?.b?.BinaryValue ?? [])], [0, 255]);
  assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
  assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');

  await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })), 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue');
  await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(257 * 1024) })), 'InvalidParameterValue', 'InvalidParameterValue');
  await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })), 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid');
  await rejectsWith(
    sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'not-a-handle', VisibilityTimeout: 5 })),
    'ReceiptHandleIsInvalid',
    'ReceiptHandleIsInvalid',
  );
  await rejectsWith(
    sqs.send(new CreateQueueCommand({ QueueName: 'sdk-queue', Attributes: { VisibilityTimeout: '61' } })),
    'QueueNameExists',
    'QueueAlreadyExists',
  );
});

test('CLI 2.9 (Query): the main operations and the errors as the Query protocol codes them', () => {
  const created = cli(['create-queue', '--queue-name', 'cli-queue', '--attributes', 'VisibilityTimeout=0', '--tags', 'team=ops']);
  assert.equal(created.status, 0, created.stderr);
  const url = created.json.QueueUrl as string;
  const sent = cli([
    'send-message',
    '--queue-url',
    url,
    '--message-body',
    'from the cli',
    '--message-attributes',
    '{"k":{"DataType":"String","StringValue":"v"}}',
  ]);
  assert.equal(sent.status, 0, sent.stderr);
  assert.equal(sent.json.MD5OfMessageBody, createHash('md5').update('from the cli').digest('hex'));
  const got = cli(['receive-message', '--queue-url', url, '--attribute-names', 'All', '--message-attribute-names', 'All']);
  assert.equal(got.status, 0, got.stderr);
  assert.equal(got.json.Messages[0].Body, 'from the cli');
  assert.equal(got.json.Messages[0].MessageAttributes.k.StringValue, 'v');
  assert.equal(got.json.Messages[0].Attributes.ApproximateReceiveCount, '1');
  const deleted = cli(['delete-message', '--queue-url', url, '--receipt-handle', got.json.Messages[0].ReceiptHandle]);
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.deepEqual(cli(['list-queue-tags', '--queue-url', url]).json.Tags, { team: 'ops' });
  assert.ok(cli(['list-queues', '--queue-name-prefix', 'cli-']).json.QueueUrls.includes(url));

  const missing = cli(['get-queue-url', '--queue-name', 'no-such-queue']);
  assert.equal(missing.status, 254);
  assert.match(missing.stderr, /\(AWS\.SimpleQueueService\.NonExistentQueue\).*The specified queue does not exist\./);
  // 257 KiB is more than one argv string may be: the CLI reads it from a file
  const file = join(server.dataDir, 'big-body.txt');
  writeFileSync(file, 'x'.repeat(257 * 1024));
  const big = cli(['send-message', '--queue-url', url, '--message-body', `file://${file}`]);
  assert.match(big.stderr, /\(InvalidParameterValue\).*Message must be shorter than 262144 bytes/);
  const handle = cli(['delete-message', '--queue-url', url, '--receipt-handle', 'garbage']);
  assert.match(handle.stderr, /\(ReceiptHandleIsInvalid\)/);
});

test('dead-letter queue: after maxReceiveCount receives the message moves there', async () => {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'dlq' }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'with-dlq',
      Attributes: { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }) },
    }),
  );
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
  for (let i = 0; i < 3; i++) assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.length, 1);
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, WaitTimeSeconds: 1 }));
  assert.equal(dead.Messages?.[0]?.Body, 'poison');
});

test('FIFO under 16 concurrent senders: each group in order, every duplicate dropped', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }));
  const PER = 10;
  await Promise.all(
    Array.from({ length: 16 }, async (_, s) => {
      for (let i = 0; i < PER; i++) {
        // every message is sent twice: the second is a duplicate within the 5-minute interval
        for (let copy = 0; copy < 2; copy++)
          await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${s}:${i}`, MessageGroupId: `g${s}`, MessageDeduplicationId: `d${s}-${i}` }));
      }
    }),
  );
  const seen = new Map<string, number[]>();
  let total = 0;
  for (let round = 0; round < 100 && total < 16 * PER; round++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
    for (const m of r.Messages ?? []) {
      const [s, i] = m.Body!.split(':').map(Number);
      assert.equal(m.Attributes?.MessageGroupId, `g${s}`);
      seen.set(`g${s}`, [...(seen.get(`g${s}`) ?? []), i!]);
      total++;
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  assert.equal(total, 16 * PER, 'each message once');
  for (const [g, order] of seen) assert.deepEqual(order, [...Array(PER).keys()], `group ${g} in order`);
});

test('records: management events (CreateQueue) in Event history, data events (SendMessage) not', async () => {
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const lookup = async (name: string) =>
    (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
  const created = await lookup('CreateQueue');
  assert.ok(
    created.some((e) => e.EventSource === 'sqs.amazonaws.com' && e.Resources?.some((r) => r.ResourceName === 'arn:aws:sqs:us-east-1:000000000000:sdk-queue')),
  );
  assert.deepEqual(await lookup('SendMessage'), []);
  assert.deepEqual(await lookup('ReceiveMessage'), []);
  ct.destroy();
});
