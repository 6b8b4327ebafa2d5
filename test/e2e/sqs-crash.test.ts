/**
 * Nothing accepted is lost on kill -9 (docs/sqs.md#durability): a message sent, and a message in
 * flight, survive SIGKILL of the server; the one in flight is received again once its visibility
 * timeout has passed, with its receive count carried on.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('SIGKILL with one message waiting and one in flight: both are received after the restart', async () => {
  let sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }));
  const first = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 2 }));
  assert.equal(got.Messages?.[0]?.MessageId, first.MessageId);
  const second = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'waiting' }));
  sqs.destroy();

  await server.kill();
  await server.restart();

  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  const ids = new Map<string, string | undefined>();
  for (let i = 0; i < 3 && ids.size < 2; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    for (const m of r.Messages ?? []) ids.set(m.MessageId!, m.Attributes?.ApproximateReceiveCount);
  }
  assert.equal(ids.get(second.MessageId!), '1');
  assert.equal(ids.get(first.MessageId!), '2', 'the message in flight at the kill comes back after its visibility timeout');
  sqs.destroy();
});
