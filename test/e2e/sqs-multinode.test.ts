/**
 * SQS on several nodes (docs/sqs.md#durability): two startrail nodes on one PostgreSQL schema share
 * the queues. Receivers on both nodes, long polling, get every message exactly once within its
 * visibility timeout (FOR UPDATE SKIP LOCKED), and a long poll on one node finds a message sent
 * through the other. Always runs on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkConfig } from './helpers/clients.ts';
import { startServer, type Sibling, type TestServer } from './helpers/server.ts';

process.env.STARTRAIL_E2E_BACKEND = 'postgres';

let server: TestServer;
let sibling: Sibling;
before(async () => {
  server = await startServer();
  sibling = await server.startSibling({});
});
after(async () => {
  await sibling?.stop();
  await server?.dispose();
});

test('two nodes, 16 long-polling receivers: every message received exactly once; a poll on one node finds a send on the other', async () => {
  const clients = [server.endpoint, sibling.endpoint].map((endpoint) => ({ endpoint, sqs: new SQSClient(sdkConfig(endpoint, server.root)) }));
  const { QueueUrl } = await clients[0]!.sqs.send(new CreateQueueCommand({ QueueName: 'shared', Attributes: { VisibilityTimeout: '60' } }));
  const path = new URL(QueueUrl!).pathname;
  // the SDK sends to the queue URL's host: each node is addressed by its own URL of the queue
  const urlOn = (i: number) => `${clients[i]!.endpoint}${path}`;

  // a long poll on node 1 wakes for a send on node 0 (found by its poll interval)
  const waiting = clients[1]!.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOn(1), WaitTimeSeconds: 10 }));
  await new Promise((r) => setTimeout(r, 300));
  await clients[0]!.sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOn(0), Entries: [{ Id: 'probe', MessageBody: 'probe' }] }));
  const probe = await waiting;
  assert.equal(probe.Messages?.[0]?.Body, 'probe');
  await clients[1]!.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: urlOn(1), Entries: [{ Id: 'p', ReceiptHandle: probe.Messages![0]!.ReceiptHandle! }] }));

  const TOTAL = 200;
  const received: string[] = [];
  let stop = false;
  const receivers = Array.from({ length: 16 }, async (_, r) => {
    const node = r % 2;
    while (!stop) {
      const got = await clients[node]!.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOn(node), MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
      if (!got.Messages?.length) continue;
      received.push(...got.Messages.map((m) => m.Body!));
      await clients[node]!.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: urlOn(node), Entries: got.Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
  });
  for (let i = 0; i < TOTAL; i += 10)
    await clients[(i / 10) % 2]!.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: urlOn((i / 10) % 2),
        Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: String(i + j) })),
      }),
    );
  const deadline = Date.now() + 60_000;
  while (received.length < TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await Promise.all(receivers);
  assert.equal(received.length, TOTAL, 'no message received twice, none lost');
  assert.deepEqual(
    [...new Set(received)].map(Number).sort((a, b) => a - b),
    [...Array(TOTAL).keys()],
  );
  for (const c of clients) c.sqs.destroy();
});
