/**
 * CloudTrail on the bus survives kill -9 exactly once (docs/eventbridge-delivery.md#exactly-once):
 * SIGKILL during a burst of 1,000 calls; after the restart, every recorded call that matches the
 * rule is in the SQS target exactly once — none lost, none twice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
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
import { sdkLookup } from './helpers/history.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const BURST = 1000;

test('SIGKILL during a burst of 1,000 calls: after the restart each recorded matching call is in the target once', async () => {
  let sqs = new SQSClient({ ...sdkConfig(server.endpoint, server.root), maxAttempts: 1 });
  const events = new EventBridgeClient(sdkConfig(server.endpoint, server.root));
  const target = (await sqs.send(new CreateQueueCommand({ QueueName: 'crash-target' }))).QueueUrl ?? '';
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn }],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: target, Attributes: { Policy: JSON.stringify(policy) } }));
  const tagged = (await sqs.send(new CreateQueueCommand({ QueueName: 'crash-tagged' }))).QueueUrl ?? '';
  await events.send(new PutRuleCommand({ Name: 'tags', EventPattern: JSON.stringify({ source: ['aws.sqs'], detail: { eventName: ['TagQueue'] } }) }));
  await events.send(new PutTargetsCommand({ Rule: 'tags', Targets: [{ Id: 'q', Arn: arn }] }));
  events.destroy();

  // 1,000 calls, 20 at a time; the kill lands partway through
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < BURST) {
      const i = next++;
      try {
        await sqs.send(new TagQueueCommand({ QueueUrl: tagged, Tags: { n: String(i) } }));
        answered++;
      } catch {
        return; // the server is gone
      }
    }
  };
  const burst = Promise.all(Array.from({ length: 20 }, worker));
  while (answered < 300) await new Promise((r) => setTimeout(r, 5));
  await server.kill();
  await burst;
  sqs.destroy();
  await server.restart();

  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  // the calls the server recorded, in Event history (answered ones and any committed as it died)
  const recorded = new Set<string>();
  for (const e of await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'TagQueue' }]))
    recorded.add(JSON.parse(e.CloudTrailEvent ?? '{}').eventID);
  assert.ok(recorded.size >= answered, `every answered call is recorded (${recorded.size} ≥ ${answered})`);

  const seen = new Map<string, number>();
  for (let idle = 0; idle < 3 && seen.size <= recorded.size; ) {
    const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: target, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
    if (got.length === 0) {
      if (seen.size >= recorded.size) idle++;
      continue;
    }
    for (const m of got) {
      const id = JSON.parse(m.Body ?? '{}').detail?.eventID as string;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: target, Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  sqs.destroy();
  assert.deepEqual([...seen.keys()].sort(), [...recorded].sort(), 'each recorded call in the target, nothing else');
  assert.deepEqual(
    [...seen.values()].filter((n) => n !== 1),
    [],
    'none twice',
  );
});
