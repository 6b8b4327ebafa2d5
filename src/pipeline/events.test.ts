/**
 * EventBridge through the in-process pipeline (src/pipeline/testing.ts): buses and permissions,
 * rules with paging, targets with FailedEntries and the 5-target limit, PutEvents (per-entry errors,
 * the size limit, delivery to an SQS target), TestEventPattern, tags, connections (secrets never
 * answered) and API destinations, and how CloudTrail records the calls.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Credentials, harness, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const A = '000000000000';
const R = 'us-east-1';
const ev = (op: string, input: object = {}, credentials?: Credentials) =>
  h.send({
    service: 'events',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${op}` },
    body: JSON.stringify(input),
    ...(credentials ? { credentials } : {}),
  });
async function ok(op: string, input: object = {}) {
  const r = await ev(op, input);
  assert.equal(r.status, 200, `${op}: ${r.text}`);
  return r.json();
}
async function fails(op: string, input: object, type: string, message?: string) {
  const r = await ev(op, input);
  assert.equal(r.status, 400, `${op}: ${r.text}`);
  assert.equal(r.json().__type, type, r.text);
  if (message !== undefined) assert.equal(r.json().message, message);
}
const sqs = (op: string, input: object) =>
  h.send({ service: 'sqs', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` }, body: JSON.stringify(input) });

test('buses: default exists and cannot be created or deleted; custom buses create once, list with paging, update, delete', async () => {
  const d = await ok('DescribeEventBus', {});
  assert.equal(d.Name, 'default');
  assert.equal(d.Arn, `arn:aws:events:${R}:${A}:event-bus/default`);
  await fails('CreateEventBus', { Name: 'default' }, 'ResourceAlreadyExistsException', 'Event bus default already exists.');
  await fails('DeleteEventBus', { Name: 'default' }, 'ValidationException', 'Cannot delete event bus default.');
  const c = await ok('CreateEventBus', { Name: 'orders', Description: 'the orders', Tags: [{ Key: 'team', Value: 'a' }] });
  assert.equal(c.EventBusArn, `arn:aws:events:${R}:${A}:event-bus/orders`);
  assert.equal(c.Description, 'the orders');
  await fails('CreateEventBus', { Name: 'orders' }, 'ResourceAlreadyExistsException', 'Event bus orders already exists.');
  await fails('CreateEventBus', { Name: 'a/b' }, 'ValidationException', "Event bus name must not contain '/'.");
  await fails('CreateEventBus', { Name: 'bad name!' }, 'ValidationException');
  await ok('CreateEventBus', { Name: 'billing' });
  const all = await ok('ListEventBuses', {});
  assert.deepEqual(
    all.EventBuses.map((b: { Name: string }) => b.Name),
    ['billing', 'default', 'orders'],
  );
  const p1 = await ok('ListEventBuses', { Limit: 2 });
  assert.equal(p1.EventBuses.length, 2);
  const p2 = await ok('ListEventBuses', { Limit: 2, NextToken: p1.NextToken });
  assert.deepEqual(
    p2.EventBuses.map((b: { Name: string }) => b.Name),
    ['orders'],
  );
  assert.equal(p2.NextToken, undefined);
  await fails('ListEventBuses', { NextToken: 'garbage' }, 'ValidationException', 'The NextToken provided is invalid.');
  assert.deepEqual(
    (await ok('ListEventBuses', { NamePrefix: 'or' })).EventBuses.map((b: { Name: string }) => b.Name),
    ['orders'],
  );
  const u = await ok('UpdateEventBus', { Name: 'orders', Description: 'new' });
  assert.equal(u.Description, 'new');
  assert.equal((await ok('DescribeEventBus', { Name: `arn:aws:events:${R}:${A}:event-bus/orders` })).Description, 'new');
  await fails('DescribeEventBus', { Name: 'nope' }, 'ResourceNotFoundException', 'Event bus nope does not exist.');
  await ok('DeleteEventBus', { Name: 'billing' });
  await ok('DeleteEventBus', { Name: 'billing' });
  await fails('DescribeEventBus', { Name: 'billing' }, 'ResourceNotFoundException');
});

test('PutPermission / RemovePermission edit the bus policy; errors as AWS', async () => {
  await ok('CreateEventBus', { Name: 'shared' });
  await ok('PutPermission', { EventBusName: 'shared', Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's1' });
  const policy = JSON.parse((await ok('DescribeEventBus', { Name: 'shared' })).Policy);
  assert.deepEqual(policy.Statement, [
    {
      Sid: 's1',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'events:PutEvents',
      Resource: `arn:aws:events:${R}:${A}:event-bus/shared`,
    },
  ]);
  await fails('PutPermission', { EventBusName: 'shared', Action: 'events:PutRule', Principal: '111122223333', StatementId: 's2' }, 'ValidationException');
  await fails(
    'RemovePermission',
    { EventBusName: 'shared', StatementId: 'nope' },
    'ResourceNotFoundException',
    'Statement with the provided id does not exist.',
  );
  await ok('RemovePermission', { EventBusName: 'shared', StatementId: 's1' });
  assert.equal((await ok('DescribeEventBus', { Name: 'shared' })).Policy, undefined);
  await fails('RemovePermission', { EventBusName: 'shared', StatementId: 's1' }, 'ResourceNotFoundException', 'EventBus does not have a policy.');
  await fails(
    'PutPermission',
    { EventBusName: 'shared', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow' }] }) },
    'ValidationException',
  );
  const whole = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'x', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'events:PutEvents', Resource: '*' }],
  };
  await ok('PutPermission', { EventBusName: 'shared', Policy: JSON.stringify(whole) });
  assert.deepEqual(JSON.parse((await ok('DescribeEventBus', { Name: 'shared' })).Policy), whole);
  await ok('RemovePermission', { EventBusName: 'shared', RemoveAllPermissions: true });
  assert.equal((await ok('DescribeEventBus', { Name: 'shared' })).Policy, undefined);
  await fails('PutPermission', { EventBusName: 'nope', Policy: '{}' }, 'ResourceNotFoundException');
});

test('rules: PutRule creates and replaces, validates pattern and schedule, lists with prefix and paging, enable/disable, delete refuses with targets', async () => {
  const r = await ok('PutRule', { Name: 'r1', EventPattern: '{"source":["shop"]}', Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] });
  assert.equal(r.RuleArn, `arn:aws:events:${R}:${A}:rule/r1`);
  const described = await ok('DescribeRule', { Name: 'r1' });
  assert.deepEqual(described, {
    Name: 'r1',
    Arn: r.RuleArn,
    EventPattern: '{"source":["shop"]}',
    State: 'ENABLED',
    Description: 'd',
    EventBusName: 'default',
    CreatedBy: A,
  });
  // a replacement drops what it omits, and keeps the tags
  await ok('PutRule', { Name: 'r1', EventPattern: '{"source":["shop"]}', State: 'DISABLED' });
  const again = await ok('DescribeRule', { Name: 'r1' });
  assert.equal(again.State, 'DISABLED');
  assert.equal(again.Description, undefined);
  assert.deepEqual((await ok('ListTagsForResource', { ResourceARN: r.RuleArn })).Tags, [{ Key: 'k', Value: 'v' }]);

  await ok('CreateEventBus', { Name: 'rules-bus' });
  const custom = await ok('PutRule', { Name: 'r1', EventBusName: 'rules-bus', EventPattern: '{"source":["x"]}' });
  assert.equal(custom.RuleArn, `arn:aws:events:${R}:${A}:rule/rules-bus/r1`);
  await fails('PutRule', { Name: 'r2' }, 'ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
  await fails('PutRule', { Name: 'r2', EventPattern: 'not json' }, 'InvalidEventPatternException');
  await fails('PutRule', { Name: 'r2', ScheduleExpression: 'rate(banana)' }, 'ValidationException', 'Parameter ScheduleExpression is not valid.');
  await fails(
    'PutRule',
    { Name: 'r2', EventBusName: 'rules-bus', ScheduleExpression: 'rate(5 minutes)' },
    'ValidationException',
    'ScheduleExpression is supported only on the default event bus.',
  );
  await fails('PutRule', { Name: 'r2', EventBusName: 'nope', EventPattern: '{}' }, 'ResourceNotFoundException', 'Event bus nope does not exist.');
  await ok('PutRule', { Name: 'tick', ScheduleExpression: 'rate(5 minutes)' });
  await ok('PutRule', { Name: 'r0', EventPattern: '{"source":["y"]}', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' });

  const names = (rs: { Name: string }[]) => rs.map((x) => x.Name);
  assert.deepEqual(names((await ok('ListRules', {})).Rules), ['r0', 'r1', 'tick']);
  assert.deepEqual(names((await ok('ListRules', { NamePrefix: 'r' })).Rules), ['r0', 'r1']);
  const p1 = await ok('ListRules', { Limit: 1 });
  assert.deepEqual(names(p1.Rules), ['r0']);
  const p2 = await ok('ListRules', { Limit: 1, NextToken: p1.NextToken });
  assert.deepEqual(names(p2.Rules), ['r1']);
  assert.deepEqual(names((await ok('ListRules', { EventBusName: 'rules-bus' })).Rules), ['r1']);

  await ok('EnableRule', { Name: 'r1' });
  assert.equal((await ok('DescribeRule', { Name: 'r1' })).State, 'ENABLED');
  await ok('DisableRule', { Name: 'r1' });
  assert.equal((await ok('DescribeRule', { Name: 'r1' })).State, 'DISABLED');
  await fails('EnableRule', { Name: 'nope' }, 'ResourceNotFoundException', 'Rule nope does not exist on EventBus default.');
  await fails('DescribeRule', { Name: 'nope', EventBusName: 'rules-bus' }, 'ResourceNotFoundException', 'Rule nope does not exist on EventBus rules-bus.');

  await ok('PutTargets', { Rule: 'r1', Targets: [{ Id: 't', Arn: `arn:aws:sqs:${R}:${A}:q` }] });
  await fails('DeleteRule', { Name: 'r1' }, 'ValidationException', "Rule can't be deleted since it has targets.");
  await fails('DeleteRule', { Name: 'r1', Force: true }, 'ValidationException', "Rule can't be deleted since it has targets.");
  await ok('RemoveTargets', { Rule: 'r1', Ids: ['t'] });
  await ok('DeleteRule', { Name: 'r1' });
  await ok('DeleteRule', { Name: 'r1' });
  await fails('DescribeRule', { Name: 'r1' }, 'ResourceNotFoundException');
  await fails('ListTagsForResource', { ResourceARN: r.RuleArn }, 'ResourceNotFoundException');
});

test('targets: PutTargets answers bad targets in FailedEntries, keeps the rest, replaces by id, at most 5; list and names by target', async () => {
  await ok('PutRule', { Name: 'tr', EventPattern: '{"source":["t"]}' });
  const q = `arn:aws:sqs:${R}:${A}:tq`;
  const put = await ok('PutTargets', {
    Rule: 'tr',
    Targets: [
      { Id: 'a', Arn: q, Input: '{"fixed":true}' },
      { Id: 'b', Arn: q, Input: 'not json' },
      { Id: 'c', Arn: 'nonsense' },
      { Id: 'd', Arn: `${q}.fifo` },
      { Id: 'e', Arn: q, Input: '{}', InputPath: '$.detail' },
    ],
  });
  assert.equal(put.FailedEntryCount, 4);
  assert.deepEqual(
    put.FailedEntries.map((f: { TargetId: string; ErrorCode: string }) => [f.TargetId, f.ErrorCode]),
    [
      ['b', 'ValidationException'],
      ['c', 'ValidationException'],
      ['d', 'ValidationException'],
      ['e', 'ValidationException'],
    ],
  );
  assert.equal(put.FailedEntries[2].ErrorMessage, 'Parameter(s) SqsParameters must be specified for target: d.');
  const listed = await ok('ListTargetsByRule', { Rule: 'tr' });
  assert.deepEqual(listed.Targets, [{ Id: 'a', Arn: q, Input: '{"fixed":true}' }]);
  await ok('PutTargets', { Rule: 'tr', Targets: [{ Id: 'a', Arn: q, InputPath: '$.detail' }] });
  assert.deepEqual((await ok('ListTargetsByRule', { Rule: 'tr' })).Targets, [{ Id: 'a', Arn: q, InputPath: '$.detail' }]);
  const more = ['b', 'c', 'd', 'e'].map((Id) => ({ Id, Arn: `arn:aws:sns:${R}:${A}:topic` }));
  await ok('PutTargets', { Rule: 'tr', Targets: more });
  await fails('PutTargets', { Rule: 'tr', Targets: [{ Id: 'f', Arn: q }] }, 'LimitExceededException');
  const p1 = await ok('ListTargetsByRule', { Rule: 'tr', Limit: 2 });
  assert.deepEqual(
    p1.Targets.map((t: { Id: string }) => t.Id),
    ['a', 'b'],
  );
  const p2 = await ok('ListTargetsByRule', { Rule: 'tr', Limit: 10, NextToken: p1.NextToken });
  assert.deepEqual(
    p2.Targets.map((t: { Id: string }) => t.Id),
    ['c', 'd', 'e'],
  );
  assert.deepEqual((await ok('ListRuleNamesByTarget', { TargetArn: q })).RuleNames, ['tr']);
  assert.deepEqual((await ok('ListRuleNamesByTarget', { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:none' })).RuleNames, []);
  await fails('PutTargets', { Rule: 'nope', Targets: [{ Id: 'x', Arn: q }] }, 'ResourceNotFoundException', 'Rule nope does not exist on EventBus default.');
  await fails('PutTargets', { Rule: 'tr', Targets: [] }, 'ValidationException');
  const removed = await ok('RemoveTargets', { Rule: 'tr', Ids: ['a', 'b', 'c', 'd', 'e', 'absent'] });
  assert.equal(removed.FailedEntryCount, 0);
  assert.deepEqual((await ok('ListTargetsByRule', { Rule: 'tr' })).Targets, []);
});

test('PutEvents: an EventId per accepted entry, AWS error codes per refused entry, the size limit; events reach an SQS target', async () => {
  const url = (await sqs('CreateQueue', { QueueName: 'eb-target' })).json().QueueUrl;
  const queueArn = `arn:aws:sqs:${R}:${A}:eb-target`;
  await sqs('SetQueueAttributes', {
    QueueUrl: url,
    Attributes: {
      Policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn }],
      }),
    },
  });
  await ok('CreateEventBus', { Name: 'shop' });
  await ok('PutRule', { Name: 'orders', EventBusName: 'shop', EventPattern: '{"source":["shop.orders"]}' });
  await ok('PutTargets', { Rule: 'orders', EventBusName: 'shop', Targets: [{ Id: 'q', Arn: queueArn }] });

  const out = await ok('PutEvents', {
    Entries: [
      { EventBusName: 'shop', Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"id": 7}', Resources: ['arn:aws:x:::y'], Time: 1767225600 },
      { EventBusName: 'shop', DetailType: 'x', Detail: '{}' },
      { EventBusName: 'shop', Source: 's', Detail: '{}' },
      { EventBusName: 'shop', Source: 's', DetailType: 'x' },
      { EventBusName: 'shop', Source: 's', DetailType: 'x', Detail: '[1]' },
      { EventBusName: 'shop', Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
      { EventBusName: 'nope', Source: 's', DetailType: 'x', Detail: '{}' },
      { EventBusName: 'shop', Source: 'other', DetailType: 'x', Detail: '{}' },
    ],
  });
  assert.equal(out.FailedEntryCount, 6);
  assert.match(out.Entries[0].EventId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    out.Entries.slice(1, 7).map((e: { ErrorCode: string }) => e.ErrorCode),
    ['InvalidArgument', 'InvalidArgument', 'InvalidArgument', 'MalformedDetail', 'NotAuthorizedForSourceException', 'ResourceNotFoundException'],
  );
  assert.equal(out.Entries[1].ErrorMessage, 'Parameter Source is not valid. Reason: Source is a required argument.');
  assert.equal(out.Entries[4].ErrorMessage, 'Detail is malformed.');
  assert.match(out.Entries[7].EventId, /^[0-9a-f-]{36}$/);

  const got = (await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).json().Messages ?? [];
  assert.equal(got.length, 1, 'only the matching event reaches the queue');
  const body = JSON.parse(got[0].Body);
  assert.deepEqual(body, {
    version: '0',
    id: out.Entries[0].EventId,
    'detail-type': 'Order Placed',
    source: 'shop.orders',
    account: A,
    time: '2026-01-01T00:00:00Z',
    region: R,
    resources: ['arn:aws:x:::y'],
    detail: { id: 7 },
  });

  const big = 'x'.repeat(130 * 1024);
  await fails(
    'PutEvents',
    {
      Entries: [
        { Source: 's', DetailType: 'x', Detail: `{"a":"${big}"}` },
        { Source: 's', DetailType: 'x', Detail: `{"a":"${big}"}` },
      ],
    },
    'ValidationException',
    'Total size of the entries in the request is over the limit.',
  );
  await fails('PutEvents', { Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'x', Detail: '{}' })) }, 'ValidationException');
  await fails('PutEvents', { Entries: [] }, 'ValidationException');

  const rec = (await h.records()).filter((r) => r.eventName === 'PutEvents').at(-1);
  assert.equal(rec.eventSource, 'events.amazonaws.com');
  assert.equal(rec.eventCategory, 'Data');
  assert.equal(rec.managementEvent, false);
  assert.equal(rec.readOnly, false);
});

test('TestEventPattern: true and false, a bad pattern, an event without the envelope fields', async () => {
  const event = JSON.stringify({ id: '1', account: A, source: 'shop', time: '2026-01-01T00:00:00Z', region: R, 'detail-type': 'x', resources: [], detail: {} });
  assert.equal((await ok('TestEventPattern', { EventPattern: '{"source":["shop"]}', Event: event })).Result, true);
  assert.equal((await ok('TestEventPattern', { EventPattern: '{"source":["other"]}', Event: event })).Result, false);
  await fails('TestEventPattern', { EventPattern: 'nope', Event: event }, 'InvalidEventPatternException');
  await fails('TestEventPattern', { EventPattern: '{"source":["x"]}', Event: '{"source":"shop"}' }, 'ValidationException', 'Parameter Event is not valid.');
  await fails('TestEventPattern', { EventPattern: '{"source":["x"]}', Event: 'not json' }, 'ValidationException', 'Parameter Event is not valid.');
});

test('tags on buses and rules: tag, overwrite, untag, list; unknown resources and bad ARNs', async () => {
  await ok('CreateEventBus', { Name: 'tagged' });
  const arn = `arn:aws:events:${R}:${A}:event-bus/tagged`;
  await ok('TagResource', {
    ResourceARN: arn,
    Tags: [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ],
  });
  await ok('TagResource', { ResourceARN: arn, Tags: [{ Key: 'a', Value: '3' }] });
  await ok('UntagResource', { ResourceARN: arn, TagKeys: ['b'] });
  assert.deepEqual((await ok('ListTagsForResource', { ResourceARN: arn })).Tags, [{ Key: 'a', Value: '3' }]);
  await fails(
    'TagResource',
    { ResourceARN: `arn:aws:events:${R}:${A}:event-bus/none`, Tags: [{ Key: 'a', Value: '1' }] },
    'ResourceNotFoundException',
    'Event bus none does not exist.',
  );
  await fails('ListTagsForResource', { ResourceARN: 'arn:aws:sqs:us-east-1:000000000000:q' }, 'ValidationException');
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await fails('TagResource', { ResourceARN: arn, Tags: many }, 'ValidationException');
});

test('connections: secrets never answered, states, update, deauthorize, delete; API destinations with the rate limit', async () => {
  const c = await ok('CreateConnection', {
    Name: 'hook',
    AuthorizationType: 'API_KEY',
    AuthParameters: {
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'sekrit-1' },
      InvocationHttpParameters: {
        HeaderParameters: [
          { Key: 'h', Value: 'hidden', IsValueSecret: true },
          { Key: 'p', Value: 'shown', IsValueSecret: false },
        ],
      },
    },
  });
  assert.match(c.ConnectionArn, new RegExp(`^arn:aws:events:${R}:${A}:connection/hook/[0-9a-f-]{36}$`));
  assert.equal(c.ConnectionState, 'AUTHORIZED');
  await fails(
    'CreateConnection',
    { Name: 'hook', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } },
    'ResourceAlreadyExistsException',
  );
  await fails(
    'CreateConnection',
    { Name: 'bad', AuthorizationType: 'BASIC', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } },
    'ValidationException',
  );
  const d = await ev('DescribeConnection', { Name: 'hook' });
  assert.equal(d.status, 200);
  assert.ok(!d.text.includes('sekrit') && !d.text.includes('hidden'), d.text);
  assert.deepEqual(d.json().AuthParameters, {
    ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
    InvocationHttpParameters: {
      HeaderParameters: [
        { Key: 'h', IsValueSecret: true },
        { Key: 'p', Value: 'shown', IsValueSecret: false },
      ],
    },
  });
  assert.match(d.json().SecretArn, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/hook\//);
  const stored = await h.store.eventBuses.getConnectionByName(A, R, 'hook');
  assert.deepEqual(stored?.authParameters.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key', ApiKeyValue: 'sekrit-1' });

  await ok('UpdateConnection', { Name: 'hook', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'sekrit-2' } } });
  const updated = await h.store.eventBuses.getConnectionByName(A, R, 'hook');
  assert.deepEqual(updated?.authParameters.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key', ApiKeyValue: 'sekrit-2' });
  const de = await ok('DeauthorizeConnection', { Name: 'hook' });
  assert.equal(de.ConnectionState, 'DEAUTHORIZING');
  assert.equal((await ok('DescribeConnection', { Name: 'hook' })).ConnectionState, 'DEAUTHORIZED');
  assert.deepEqual(
    (await ok('ListConnections', { ConnectionState: 'DEAUTHORIZED' })).Connections.map((x: { Name: string }) => x.Name),
    ['hook'],
  );
  await ok('UpdateConnection', { Name: 'hook', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'sekrit-3' } } });
  assert.equal((await ok('DescribeConnection', { Name: 'hook' })).ConnectionState, 'AUTHORIZED');

  const dest = await ok('CreateApiDestination', {
    Name: 'api',
    ConnectionArn: c.ConnectionArn,
    InvocationEndpoint: 'https://example.com/in',
    HttpMethod: 'POST',
  });
  assert.match(dest.ApiDestinationArn, new RegExp(`^arn:aws:events:${R}:${A}:api-destination/api/`));
  assert.equal(dest.ApiDestinationState, 'ACTIVE');
  const dd = await ok('DescribeApiDestination', { Name: 'api' });
  assert.equal(dd.InvocationRateLimitPerSecond, 300);
  assert.equal(dd.ConnectionArn, c.ConnectionArn);
  await fails(
    'CreateApiDestination',
    { Name: 'api2', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'http://example.com/in', HttpMethod: 'POST' },
    'ValidationException',
  );
  await fails(
    'CreateApiDestination',
    { Name: 'api2', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://example.com', HttpMethod: 'POST', InvocationRateLimitPerSecond: 0 },
    'ValidationException',
  );
  await fails(
    'CreateApiDestination',
    { Name: 'api2', ConnectionArn: `arn:aws:events:${R}:${A}:connection/none/x`, InvocationEndpoint: 'https://example.com', HttpMethod: 'POST' },
    'ResourceNotFoundException',
  );
  await ok('UpdateApiDestination', { Name: 'api', HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10 });
  const ud = await ok('DescribeApiDestination', { Name: 'api' });
  assert.equal(ud.HttpMethod, 'PUT');
  assert.equal(ud.InvocationRateLimitPerSecond, 10);
  assert.deepEqual(
    (await ok('ListApiDestinations', { ConnectionArn: c.ConnectionArn })).ApiDestinations.map((x: { Name: string }) => x.Name),
    ['api'],
  );
  await ok('DeleteApiDestination', { Name: 'api' });
  await fails('DescribeApiDestination', { Name: 'api' }, 'ResourceNotFoundException');
  const del = await ok('DeleteConnection', { Name: 'hook' });
  assert.equal(del.ConnectionState, 'DELETING');
  await fails('DescribeConnection', { Name: 'hook' }, 'ResourceNotFoundException');
});

test('CloudTrail records management calls with their readOnly and event source', async () => {
  await ok('ListRules', {});
  await ok('PutRule', { Name: 'audited', EventPattern: '{"source":["a"]}' });
  const recs = await h.records();
  const list = recs.filter((r) => r.eventName === 'ListRules').at(-1);
  const put = recs.filter((r) => r.eventName === 'PutRule').at(-1);
  assert.equal(list.eventSource, 'events.amazonaws.com');
  assert.equal(list.readOnly, true);
  assert.equal(list.managementEvent, true);
  assert.equal(put.readOnly, false);
  assert.equal(put.requestParameters.name, 'audited');
  assert.equal(put.responseElements.ruleArn, `arn:aws:events:${R}:${A}:rule/audited`);
});

test('malformed input: every operation answers 4xx with a JSON error, never a 5xx', async () => {
  const { OPERATIONS } = await import('../services/events/model.generated.ts');
  const bodies = [
    {},
    { Name: 7, EventBusName: ['x'], Entries: 'x', Targets: {}, Rule: null },
    {
      Name: 'x'.repeat(300),
      EventBusName: 'arn:aws:events:us-east-1:999999999999:event-bus/x',
      Entries: [{}],
      Targets: [{}],
      Ids: [],
      Rule: 'r',
      TargetArn: '',
    },
    {
      Name: 'ok',
      EventPattern: '[',
      Event: '{',
      ResourceARN: 'arn:aws:events:us-east-1:000000000000:rule/a/b/c',
      Tags: [{ Key: '' }],
      AuthParameters: {},
      AuthorizationType: 'NOPE',
    },
  ];
  for (const op of OPERATIONS) {
    for (const b of bodies) {
      const r = await ev(op, b);
      assert.ok(r.status >= 200 && r.status < 500, `${op} ${JSON.stringify(b)}: ${r.status} ${r.text}`);
      if (r.status >= 400) assert.equal(typeof r.json().__type, 'string', `${op}: ${r.text}`);
    }
    const raw = await h.send({
      service: 'events',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${op}` },
      body: '{not json',
    });
    assert.equal(raw.status, 400, `${op}: ${raw.text}`);
  }
});

test('IAM: PutEvents under an events:source condition, PutRule on the rule ARN', async () => {
  const creds = await h.user('publisher', {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: `arn:aws:events:${R}:${A}:event-bus/default`,
        Condition: { StringEquals: { 'events:source': 'app.allowed' } },
      },
      { Effect: 'Allow', Action: 'events:PutRule', Resource: `arn:aws:events:${R}:${A}:rule/mine-*` },
    ],
  });
  const entry = (Source: string) => ({ Entries: [{ Source, DetailType: 'x', Detail: '{}' }] });
  const yes = await ev('PutEvents', entry('app.allowed'), creds);
  assert.equal(yes.status, 200, yes.text);
  assert.equal(yes.json().FailedEntryCount, 0);
  const no = await ev('PutEvents', entry('app.other'), creds);
  assert.equal(no.status, 400, no.text);
  assert.equal(no.json().__type, 'AccessDeniedException');
  assert.equal((await ev('PutRule', { Name: 'mine-1', EventPattern: '{"source":["a"]}' }, creds)).status, 200);
  const other = await ev('PutRule', { Name: 'theirs', EventPattern: '{"source":["a"]}' }, creds);
  assert.equal(other.json().__type, 'AccessDeniedException');
  assert.equal((await ev('ListRules', {}, creds)).json().__type, 'AccessDeniedException');
});
