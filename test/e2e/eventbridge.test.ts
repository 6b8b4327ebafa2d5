/**
 * EventBridge end to end (docs/eventbridge.md) with the official clients: @aws-sdk/client-eventbridge
 * (JSON 1.1) and Debian's AWS CLI 2.9. A custom bus, a rule and an SQS target; PutEvents delivering
 * the event to the queue; TestEventPattern true and false; errors as each client reports them; the
 * PutEvents record a data event, the management calls in Event history.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let eb: EventBridgeClient;
let sqs: SQSClient;

before(async () => {
  server = await startServer();
  eb = new EventBridgeClient(sdkConfig(server.endpoint, server.root));
  sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  eb?.destroy();
  sqs?.destroy();
  await server?.dispose();
});

const cli = (args: string[]) => awsCli(server.endpoint, server.root, ['events', ...args]);
const A = '000000000000';
const R = 'us-east-1';

async function rejects(p: Promise<unknown>, name: string): Promise<{ message: string }> {
  const e = (await p.then(
    () => undefined,
    (x: unknown) => x,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  assert.ok(e, `expected ${name}`);
  assert.equal(e.name, name);
  assert.equal(e.$metadata?.httpStatusCode, 400);
  return e;
}

test('SDK: a custom bus, a rule, an SQS target; PutEvents reaches the queue; errors', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'eb-e2e' }));
  const queueArn = `arn:aws:sqs:${R}:${A}:eb-e2e`;
  const policy = { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn }] };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));

  const bus = await eb.send(new CreateEventBusCommand({ Name: 'e2e-bus' }));
  assert.equal(bus.EventBusArn, `arn:aws:events:${R}:${A}:event-bus/e2e-bus`);
  const rule = await eb.send(new PutRuleCommand({ Name: 'orders', EventBusName: 'e2e-bus', EventPattern: JSON.stringify({ source: ['e2e.shop'] }) }));
  assert.equal(rule.RuleArn, `arn:aws:events:${R}:${A}:rule/e2e-bus/orders`);
  const put = await eb.send(new PutTargetsCommand({ Rule: 'orders', EventBusName: 'e2e-bus', Targets: [{ Id: 'q', Arn: queueArn }] }));
  assert.equal(put.FailedEntryCount, 0);
  assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'orders', EventBusName: 'e2e-bus' }))).Targets, [{ Id: 'q', Arn: queueArn }]);
  const d = await eb.send(new DescribeRuleCommand({ Name: 'orders', EventBusName: 'e2e-bus' }));
  assert.equal(d.State, 'ENABLED');
  assert.equal(d.CreatedBy, A);

  const sent = await eb.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: 'e2e-bus', Source: 'e2e.shop', DetailType: 'Order Placed', Detail: JSON.stringify({ n: 1 }), Time: new Date('2026-03-01T12:00:00Z') },
        { EventBusName: 'e2e-bus', Source: 'aws.s3', DetailType: 'x', Detail: '{}' },
      ],
    }),
  );
  assert.equal(sent.FailedEntryCount, 1);
  assert.equal(sent.Entries?.[1]?.ErrorCode, 'NotAuthorizedForSourceException');
  const id = sent.Entries?.[0]?.EventId;
  assert.ok(id);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  assert.equal(got.Messages?.length, 1);
  const body = JSON.parse(got.Messages?.[0]?.Body ?? '{}');
  assert.equal(body.id, id);
  assert.equal(body.source, 'e2e.shop');
  assert.equal(body['detail-type'], 'Order Placed');
  assert.equal(body.time, '2026-03-01T12:00:00Z');
  assert.deepEqual(body.detail, { n: 1 });

  const e1 = await rejects(eb.send(new DeleteRuleCommand({ Name: 'orders', EventBusName: 'e2e-bus' })), 'ValidationException');
  assert.equal(e1.message, "Rule can't be deleted since it has targets.");
  const e2 = await rejects(eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'none', EventPattern: '{}' })), 'ResourceNotFoundException');
  assert.equal(e2.message, 'Event bus none does not exist.');
  await rejects(eb.send(new PutRuleCommand({ Name: 'x', EventPattern: 'not json' })), 'InvalidEventPatternException');
  await rejects(eb.send(new CreateEventBusCommand({ Name: 'e2e-bus' })), 'ResourceAlreadyExistsException');
  const listed = await eb.send(new ListRulesCommand({ EventBusName: 'e2e-bus' }));
  assert.deepEqual(
    listed.Rules?.map((r) => r.Name),
    ['orders'],
  );
});

test('SDK: TestEventPattern true and false; an event without the envelope fields', async () => {
  const event = JSON.stringify({
    id: '1',
    account: A,
    source: 'e2e',
    time: '2026-01-01T00:00:00Z',
    region: R,
    'detail-type': 'x',
    resources: [],
    detail: { k: 'v' },
  });
  assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["e2e"]}', Event: event }))).Result, true);
  assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["no"]}', Event: event }))).Result, false);
  const e = await rejects(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["x"]}', Event: '{"source":"x"}' })), 'ValidationException');
  assert.equal(e.message, 'Parameter Event is not valid.');
});

test('AWS CLI: buses, rules, put-events, test-event-pattern, errors', () => {
  const bus = cli(['create-event-bus', '--name', 'cli-bus']);
  assert.equal(bus.status, 0, bus.stderr);
  assert.equal(bus.json.EventBusArn, `arn:aws:events:${R}:${A}:event-bus/cli-bus`);
  const list = cli(['list-event-buses']);
  assert.equal(list.status, 0, list.stderr);
  assert.ok(list.json.EventBuses.some((b: { Name: string }) => b.Name === 'default'));
  const rule = cli(['put-rule', '--name', 'cli-rule', '--schedule-expression', 'rate(5 minutes)']);
  assert.equal(rule.status, 0, rule.stderr);
  assert.equal(rule.json.RuleArn, `arn:aws:events:${R}:${A}:rule/cli-rule`);
  const desc = cli(['describe-rule', '--name', 'cli-rule']);
  assert.equal(desc.json.ScheduleExpression, 'rate(5 minutes)');
  const put = cli([
    'put-events',
    '--entries',
    JSON.stringify([
      { Source: 'cli.app', DetailType: 'Ping', Detail: '{"a":1}' },
      { Source: 'cli.app', DetailType: 'Ping', Detail: 'nope' },
    ]),
  ]);
  assert.equal(put.status, 0, put.stderr);
  assert.equal(put.json.FailedEntryCount, 1);
  assert.equal(put.json.Entries[1].ErrorCode, 'MalformedDetail');
  const event = JSON.stringify({ id: '1', account: A, source: 'cli', time: '2026-01-01T00:00:00Z', region: R, 'detail-type': 'x', resources: [], detail: {} });
  const t = cli(['test-event-pattern', '--event-pattern', '{"source":["cli"]}', '--event', event]);
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.json.Result, true);
  const bad = cli(['describe-rule', '--name', 'missing']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /ResourceNotFoundException.*Rule missing does not exist on EventBus default\./);
  const del = cli(['delete-event-bus', '--name', 'default']);
  assert.notEqual(del.status, 0);
  assert.match(del.stderr, /ValidationException.*Cannot delete event bus default\./);
});

test('CloudTrail: PutRule in Event history, PutEvents only as a data event', async () => {
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  try {
    const rules = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutRule' }] }));
    assert.ok((rules.Events?.length ?? 0) >= 1);
    const rec = JSON.parse(rules.Events?.[0]?.CloudTrailEvent ?? '{}');
    assert.equal(rec.eventSource, 'events.amazonaws.com');
    assert.equal(rec.readOnly, false);
    const puts = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutEvents' }] }));
    assert.equal(puts.Events?.length ?? 0, 0);
  } finally {
    ct.destroy();
  }
});
