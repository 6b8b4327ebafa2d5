/**
 * EventBridge delivery on several nodes (docs/eventbridge-delivery.md#exactly-once): two startrail
 * nodes on one PostgreSQL schema, calls spread over both. Every matching call's CloudTrail event is
 * in the SQS target exactly once, and the API destination receives each event once, whichever node
 * consumes the record stream and sends the delivery rows. Always runs on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CreateApiDestinationCommand, CreateConnectionCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { sdkConfig } from './helpers/clients.ts';
import { startServer, type Sibling, type TestServer } from './helpers/server.ts';

process.env.STARTRAIL_E2E_BACKEND = 'postgres';

let server: TestServer;
let sibling: Sibling;
let hook: Server;
const hits: string[] = [];
before(async () => {
  server = await startServer();
  sibling = await server.startSibling({});
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      hits.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
});
after(async () => {
  await new Promise<void>((ok) => hook.close(() => ok()));
  await sibling?.stop();
  await server?.dispose();
});

const TOTAL = 200;

test('two nodes: each matching call once in the SQS target and once at the API destination', async () => {
  const nodes = [server.endpoint, sibling.endpoint].map((endpoint) => new SQSClient(sdkConfig(endpoint, server.root)));
  const [sqs0, sqs1] = nodes as [SQSClient, SQSClient];
  const events = new EventBridgeClient(sdkConfig(server.endpoint, server.root));
  const target = (await sqs0.send(new CreateQueueCommand({ QueueName: 'mn-target' }))).QueueUrl ?? '';
  const arn = (await sqs0.send(new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn }],
  };
  await sqs0.send(new SetQueueAttributesCommand({ QueueUrl: target, Attributes: { Policy: JSON.stringify(policy) } }));
  const tagged = new URL((await sqs0.send(new CreateQueueCommand({ QueueName: 'mn-tagged' }))).QueueUrl ?? '').pathname;
  const conn = await events.send(
    new CreateConnectionCommand({ Name: 'mn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }),
  );
  const dest = await events.send(
    new CreateApiDestinationCommand({
      Name: 'mn',
      ConnectionArn: conn.ConnectionArn,
      InvocationEndpoint: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`,
      HttpMethod: 'POST',
    }),
  );
  await events.send(new PutRuleCommand({ Name: 'mn-tags', EventPattern: JSON.stringify({ source: ['aws.sqs'], detail: { eventName: ['TagQueue'] } }) }));
  await events.send(
    new PutTargetsCommand({
      Rule: 'mn-tags',
      Targets: [
        { Id: 'q', Arn: arn },
        { Id: 'api', Arn: dest.ApiDestinationArn, InputPath: '$.detail.requestParameters.tags.n' },
      ],
    }),
  );
  events.destroy();

  // the calls alternate between the nodes, 10 at a time
  for (let i = 0; i < TOTAL; i += 10)
    await Promise.all(
      Array.from({ length: 10 }, (_, j) => {
        const n = i + j;
        const [client, endpoint] = n % 2 ? [sqs1, sibling.endpoint] : [sqs0, server.endpoint];
        return client.send(new TagQueueCommand({ QueueUrl: `${endpoint}${tagged}`, Tags: { n: String(n) } }));
      }),
    );

  const seen = new Map<string, number>();
  for (let idle = 0; idle < 3; ) {
    const got = (await sqs0.send(new ReceiveMessageCommand({ QueueUrl: target, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
    if (got.length === 0) {
      if (seen.size >= TOTAL) idle++;
      continue;
    }
    for (const m of got) {
      const n = JSON.parse(m.Body ?? '{}').detail?.requestParameters?.tags?.n as string;
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    await sqs0.send(new DeleteMessageBatchCommand({ QueueUrl: target, Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  for (const c of nodes) c.destroy();
  const expected = Array.from({ length: TOTAL }, (_, i) => String(i)).sort();
  assert.deepEqual([...seen.keys()].sort(), expected, 'every call in the target');
  assert.deepEqual(
    [...seen.values()].filter((v) => v !== 1),
    [],
    'none twice',
  );
  assert.deepEqual(hits.map((h) => JSON.parse(h) as string).sort(), expected, 'the API destination got each event once');
});
