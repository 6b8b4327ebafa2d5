/**
 * SNS operations through the in-process pipeline (src/pipeline/testing.ts): topics, attributes,
 * subscriptions and their confirmation, publishing and its checks, filter policies at fan-out, the
 * durable outbox rows HTTP/S deliveries leave, tags, denials, audit records, and the
 * publishFromService / topicAllowsService contract other services call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allow, harness, type Harness } from './testing.ts';
import { inScope } from '../delivery/scope.ts';
import { publishFromService, topicAllowsService } from '../services/sns/deliver.ts';
import { ACCOUNT, arnOf, attributeParams, attributesOf, errorOf, snsCall } from './sns-testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const call = (action: string, params: Record<string, string> = {}) => snsCall(h, action, params);
async function ok(action: string, params: Record<string, string> = {}) {
  const r = await call(action, params);
  assert.equal(r.status, 200, r.text);
  return r.xml()[`${action}Response`][`${action}Result`] ?? {};
}
const outbox = () => h.store.topics.claimDeliveries(`peek-${Math.random()}`, new Date(h.now().getTime() + 1e9), new Date(h.now().getTime() + 2e9), 1000);
async function drain() {
  for (const d of await outbox()) await h.store.topics.finishDelivery(d.id ?? 0);
}

describe('topics', () => {
  test('CreateTopic is idempotent for the same name and attributes, refuses different ones and bad names', async () => {
    assert.equal((await ok('CreateTopic', { Name: 'alpha' })).TopicArn, arnOf('alpha'));
    assert.equal((await ok('CreateTopic', { Name: 'alpha' })).TopicArn, arnOf('alpha'));
    assert.deepEqual(errorOf(await call('CreateTopic', { Name: 'alpha', ...attributeParams('Attributes', { DisplayName: 'other' }) })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    ]);
    assert.deepEqual(errorOf(await call('CreateTopic', { Name: 'a b' })), [400, 'InvalidParameter', 'Invalid parameter: Topic Name']);
    assert.deepEqual(errorOf(await call('CreateTopic', { Name: 'x'.repeat(257) })), [400, 'InvalidParameter', 'Invalid parameter: Topic Name']);
    assert.deepEqual(errorOf(await call('CreateTopic', { Name: 'plain', ...attributeParams('Attributes', { FifoTopic: 'true' }) })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Topic Name',
    ]);
    assert.equal((await ok('CreateTopic', { Name: 'jobs.fifo', ...attributeParams('Attributes', { FifoTopic: 'true' }) })).TopicArn, arnOf('jobs.fifo'));
  });

  test('GetTopicAttributes shows the default policy, delivery policy and counts; SetTopicAttributes checks names and values', async () => {
    await ok('CreateTopic', { Name: 'beta' });
    const a = attributesOf(await call('GetTopicAttributes', { TopicArn: arnOf('beta') }), 'GetTopicAttributes');
    assert.equal(a.TopicArn, arnOf('beta'));
    assert.equal(a.Owner, ACCOUNT);
    assert.equal(a.SubscriptionsConfirmed, '0');
    assert.equal(a.DisplayName, '');
    const policy = JSON.parse(a.Policy ?? '{}');
    assert.equal(policy.Id, '__default_policy_ID');
    assert.deepEqual(policy.Statement[0].Condition, { StringEquals: { 'AWS:SourceOwner': ACCOUNT } });
    assert.equal(JSON.parse(a.EffectiveDeliveryPolicy ?? '{}').http.defaultHealthyRetryPolicy.numRetries, 3);
    await ok('SetTopicAttributes', { TopicArn: arnOf('beta'), AttributeName: 'DisplayName', AttributeValue: 'Beta' });
    assert.equal(attributesOf(await call('GetTopicAttributes', { TopicArn: arnOf('beta') }), 'GetTopicAttributes').DisplayName, 'Beta');
    assert.deepEqual(errorOf(await call('SetTopicAttributes', { TopicArn: arnOf('beta'), AttributeName: 'Colour', AttributeValue: 'x' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: AttributeName',
    ]);
    assert.deepEqual(errorOf(await call('SetTopicAttributes', { TopicArn: arnOf('beta'), AttributeName: 'SignatureVersion', AttributeValue: '3' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: SignatureVersion',
    ]);
    const badRetry = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 10 } } });
    assert.equal(
      errorOf(await call('SetTopicAttributes', { TopicArn: arnOf('beta'), AttributeName: 'DeliveryPolicy', AttributeValue: badRetry }))[1],
      'InvalidParameter',
    );
    assert.deepEqual(errorOf(await call('GetTopicAttributes', { TopicArn: arnOf('nothing') })), [404, 'NotFound', 'Topic does not exist']);
    assert.deepEqual(errorOf(await call('GetTopicAttributes', { TopicArn: 'not-an-arn' })), [400, 'InvalidParameter', 'Invalid parameter: TopicArn']);
  });

  test('DeleteTopic removes the topic and its subscriptions; deleting a missing topic succeeds', async () => {
    await ok('CreateTopic', { Name: 'gamma' });
    await ok('Subscribe', { TopicArn: arnOf('gamma'), Protocol: 'http', Endpoint: 'http://127.0.0.1:1/g' });
    await ok('DeleteTopic', { TopicArn: arnOf('gamma') });
    await ok('DeleteTopic', { TopicArn: arnOf('gamma') });
    assert.equal(errorOf(await call('GetTopicAttributes', { TopicArn: arnOf('gamma') }))[1], 'NotFound');
    const subs = await h.store.topics.listSubscriptions({ accountId: ACCOUNT, region: 'us-east-1', topicArn: arnOf('gamma') }, undefined, 10);
    assert.deepEqual(subs.items, []);
    await drain();
  });

  test('ListTopics pages by 100 with a NextToken; a forged token is refused', async () => {
    for (let i = 0; i < 101; i++) await ok('CreateTopic', { Name: `page-${String(i).padStart(3, '0')}` });
    const first = await ok('ListTopics');
    assert.equal(first.Topics.member.length, 100);
    const rest = await ok('ListTopics', { NextToken: first.NextToken });
    const all = [...first.Topics.member, ...[rest.Topics.member].flat()].map((t: { TopicArn: string }) => t.TopicArn);
    assert.equal(new Set(all).size, all.length);
    assert.ok(all.includes(arnOf('page-100')) && all.includes(arnOf('alpha')));
    assert.deepEqual(errorOf(await call('ListTopics', { NextToken: 'bm9wZQ' })), [400, 'InvalidParameter', 'Invalid parameter: NextToken']);
    for (let i = 0; i < 101; i++) await ok('DeleteTopic', { TopicArn: arnOf(`page-${String(i).padStart(3, '0')}`) });
  });

  test('tags: TagResource replaces a key, UntagResource removes, a missing topic is ResourceNotFound', async () => {
    await ok('CreateTopic', { Name: 'tagged', 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'dev' });
    await ok('TagResource', {
      ResourceArn: arnOf('tagged'),
      'Tags.member.1.Key': 'env',
      'Tags.member.1.Value': 'prod',
      'Tags.member.2.Key': 'team',
      'Tags.member.2.Value': 'a',
    });
    const listed = await ok('ListTagsForResource', { ResourceArn: arnOf('tagged') });
    assert.deepEqual(listed.Tags.member, [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'a' },
    ]);
    await ok('UntagResource', { ResourceArn: arnOf('tagged'), 'TagKeys.member.1': 'env' });
    assert.deepEqual((await ok('ListTagsForResource', { ResourceArn: arnOf('tagged') })).Tags.member, { Key: 'team', Value: 'a' });
    assert.deepEqual(errorOf(await call('ListTagsForResource', { ResourceArn: arnOf('untagged') })), [404, 'ResourceNotFound', 'Resource does not exist']);
  });
});

describe('subscriptions', () => {
  test('an http subscription is pending until ConfirmSubscription gets the token its confirmation message carried', async () => {
    await ok('CreateTopic', { Name: 'subs' });
    await drain();
    const pending = await ok('Subscribe', { TopicArn: arnOf('subs'), Protocol: 'https', Endpoint: 'https://example.com/hook' });
    assert.equal(pending.SubscriptionArn, 'pending confirmation');
    const [row, ...more] = await outbox();
    assert.equal(more.length, 0);
    assert.equal(row?.messageType, 'SubscriptionConfirmation');
    assert.equal(row?.endpoint, 'https://example.com/hook');
    const message = JSON.parse(row?.body);
    assert.equal(message.Type, 'SubscriptionConfirmation');
    assert.equal(
      message.SubscribeURL,
      `http://127.0.0.1:4600/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(arnOf('subs'))}&Token=${message.Token}`,
    );
    assert.match(message.SigningCertURL, /^http:\/\/127\.0\.0\.1:4600\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    await h.store.topics.finishDelivery(row?.id ?? 0);
    assert.deepEqual(errorOf(await call('ConfirmSubscription', { TopicArn: arnOf('subs'), Token: 'ffff' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Token',
    ]);
    const confirmed = await ok('ConfirmSubscription', { TopicArn: arnOf('subs'), Token: message.Token });
    assert.match(confirmed.SubscriptionArn, new RegExp(`^${arnOf('subs')}:[0-9a-f-]{36}$`));
    const a = attributesOf(await call('GetSubscriptionAttributes', { SubscriptionArn: confirmed.SubscriptionArn }), 'GetSubscriptionAttributes');
    assert.equal(a.PendingConfirmation, 'false');
    assert.equal(a.ConfirmationWasAuthenticated, 'true');
    assert.equal(a.RawMessageDelivery, 'false');
    assert.equal(JSON.parse(a.EffectiveDeliveryPolicy ?? '{}').healthyRetryPolicy.minDelayTarget, 20);
    // the same endpoint again: the same subscription; with other attributes: refused
    assert.equal(
      (await ok('Subscribe', { TopicArn: arnOf('subs'), Protocol: 'https', Endpoint: 'https://example.com/hook' })).SubscriptionArn,
      confirmed.SubscriptionArn,
    );
    assert.deepEqual(
      errorOf(
        await call('Subscribe', {
          TopicArn: arnOf('subs'),
          Protocol: 'https',
          Endpoint: 'https://example.com/hook',
          ...attributeParams('Attributes', { RawMessageDelivery: 'true' }),
        }),
      ),
      [400, 'InvalidParameter', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes'],
    );
    const topicAttrs = attributesOf(await call('GetTopicAttributes', { TopicArn: arnOf('subs') }), 'GetTopicAttributes');
    assert.equal(topicAttrs.SubscriptionsConfirmed, '1');
    // Unsubscribe of a confirmed http subscription sends an UnsubscribeConfirmation
    await ok('Unsubscribe', { SubscriptionArn: confirmed.SubscriptionArn });
    const [bye] = await outbox();
    assert.equal(bye?.messageType, 'UnsubscribeConfirmation');
    await drain();
    assert.deepEqual(errorOf(await call('GetSubscriptionAttributes', { SubscriptionArn: confirmed.SubscriptionArn })), [
      404,
      'NotFound',
      'Subscription does not exist',
    ]);
    assert.deepEqual(errorOf(await call('Unsubscribe', { SubscriptionArn: 'nope' })), [400, 'InvalidParameter', 'Invalid parameter: SubscriptionArn']);
  });

  test('Subscribe checks protocol, endpoint and attributes', async () => {
    await ok('CreateTopic', { Name: 'checks' });
    const sub = (p: Record<string, string>) => call('Subscribe', { TopicArn: arnOf('checks'), ...p });
    assert.deepEqual(errorOf(await sub({ Protocol: 'carrier-pigeon', Endpoint: 'x' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon',
    ]);
    assert.deepEqual(errorOf(await sub({ Protocol: 'http', Endpoint: 'https://x' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Endpoint must match the specified protocol',
    ]);
    assert.deepEqual(errorOf(await sub({ Protocol: 'sqs', Endpoint: 'https://x' })), [400, 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN']);
    assert.deepEqual(errorOf(await sub({ Protocol: 'http', Endpoint: 'http://x', ...attributeParams('Attributes', { FilterPolicy: '{"a":"b"}' }) })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array',
    ]);
    assert.deepEqual(errorOf(await sub({ Protocol: 'http', Endpoint: 'http://x', ...attributeParams('Attributes', { FilterPolicyScope: 'Body' }) })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes',
    ]);
    assert.deepEqual(errorOf(await sub({ Protocol: 'http', Endpoint: 'http://x', ...attributeParams('Attributes', { RawMessageDelivery: 'yes' }) })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.',
    ]);
    assert.deepEqual(errorOf(await call('Subscribe', { TopicArn: arnOf('no-topic'), Protocol: 'http', Endpoint: 'http://x' })), [
      404,
      'NotFound',
      'Topic does not exist',
    ]);
    assert.deepEqual(errorOf(await sub({ Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q.fifo` })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    ]);
    assert.deepEqual(errorOf(await call('Subscribe', { TopicArn: arnOf('jobs.fifo'), Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Endpoint Reason: FIFO topics can only deliver to FIFO queues',
    ]);
    assert.equal(errorOf(await call('Subscribe', { TopicArn: arnOf('jobs.fifo'), Protocol: 'https', Endpoint: 'https://x' }))[1], 'InvalidParameter');
    // a queue of the topic's own account is confirmed at once
    const q = await ok('Subscribe', { TopicArn: arnOf('checks'), Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q1` });
    assert.match(q.SubscriptionArn, new RegExp(`^${arnOf('checks')}:`));
    const scoped = await ok('Subscribe', { TopicArn: arnOf('checks'), Protocol: 'http', Endpoint: 'http://x/y', ReturnSubscriptionArn: 'true' });
    assert.deepEqual(
      errorOf(await call('SetSubscriptionAttributes', { SubscriptionArn: scoped.SubscriptionArn, AttributeName: 'Nope', AttributeValue: 'x' })),
      [400, 'InvalidParameter', 'Invalid parameter: AttributeName'],
    );
    await ok('SetSubscriptionAttributes', { SubscriptionArn: scoped.SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' });
    await ok('SetSubscriptionAttributes', { SubscriptionArn: scoped.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":{"b":["c"]}}' });
    assert.deepEqual(
      errorOf(
        await call('SetSubscriptionAttributes', {
          SubscriptionArn: scoped.SubscriptionArn,
          AttributeName: 'FilterPolicyScope',
          AttributeValue: 'MessageAttributes',
        }),
      ),
      [400, 'InvalidParameter', 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy'],
    );
    const a = attributesOf(await call('GetSubscriptionAttributes', { SubscriptionArn: scoped.SubscriptionArn }), 'GetSubscriptionAttributes');
    assert.equal(a.FilterPolicy, '{"a":{"b":["c"]}}');
    assert.equal(a.FilterPolicyScope, 'MessageBody');
    assert.equal(a.PendingConfirmation, 'true');
    await drain();
  });
});

describe('publishing', () => {
  async function confirmedHttp(topic: string, endpoint: string, attrs: Record<string, string> = {}) {
    const r = await ok('Subscribe', {
      TopicArn: arnOf(topic),
      Protocol: 'http',
      Endpoint: endpoint,
      ReturnSubscriptionArn: 'true',
      ...attributeParams('Attributes', attrs),
    });
    const token = JSON.parse((await outbox()).find((d) => d.subscriptionArn === r.SubscriptionArn)?.body ?? '{}').Token;
    await drain();
    await ok('ConfirmSubscription', { TopicArn: arnOf(topic), Token: token });
    return r.SubscriptionArn as string;
  }

  test('a message fans out to confirmed subscriptions whose filter policy it passes, as durable outbox rows', async () => {
    await ok('CreateTopic', { Name: 'fan' });
    const all = await confirmedHttp('fan', 'http://127.0.0.1:1/all');
    const red = await confirmedHttp('fan', 'http://127.0.0.1:1/red', { FilterPolicy: '{"colour":["red"]}' });
    const body = await confirmedHttp('fan', 'http://127.0.0.1:1/body', { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"size":[{"numeric":[">",10]}]}' });
    await ok('Subscribe', { TopicArn: arnOf('fan'), Protocol: 'http', Endpoint: 'http://127.0.0.1:1/pending' });
    await drain();
    const published = await ok('Publish', {
      TopicArn: arnOf('fan'),
      Message: '{"size": 12}',
      Subject: 'hello',
      'MessageAttributes.entry.1.Name': 'colour',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'blue',
    });
    const rows = await outbox();
    assert.deepEqual(rows.map((r) => r.subscriptionArn).sort(), [all, body].sort());
    const m = JSON.parse(rows[0]?.body ?? '{}');
    assert.equal(m.MessageId, published.MessageId);
    assert.equal(m.Subject, 'hello');
    assert.deepEqual(m.MessageAttributes, { colour: { Type: 'String', Value: 'blue' } });
    assert.deepEqual(Object.keys(m), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    await drain();
    await ok('Publish', {
      TopicArn: arnOf('fan'),
      Message: 'x',
      'MessageAttributes.entry.1.Name': 'colour',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'red',
    });
    assert.deepEqual((await outbox()).map((r) => r.subscriptionArn).sort(), [all, red].sort());
    await drain();
  });

  test('Publish checks the message, subject, structure and attributes as SNS does', async () => {
    await ok('CreateTopic', { Name: 'pub' });
    const pub = (p: Record<string, string>) => call('Publish', { TopicArn: arnOf('pub'), Message: 'm', ...p });
    assert.deepEqual(errorOf(await pub({ Message: '' })), [400, 'InvalidParameter', 'Invalid parameter: Empty message']);
    assert.deepEqual(errorOf(await pub({ Subject: 'two\nlines' })), [400, 'InvalidParameter', 'Invalid parameter: Subject']);
    assert.deepEqual(errorOf(await pub({ Subject: 's'.repeat(101) })), [400, 'InvalidParameter', 'Invalid parameter: Subject']);
    assert.deepEqual(errorOf(await pub({ Message: 'x'.repeat(262_145) })), [400, 'InvalidParameter', 'Invalid parameter: Message too long']);
    assert.deepEqual(errorOf(await pub({ MessageStructure: 'json', Message: 'not json' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    ]);
    assert.deepEqual(errorOf(await pub({ MessageStructure: 'json', Message: '{"http":"x"}' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    ]);
    const attr = (type: string, value: string) => ({
      'MessageAttributes.entry.1.Name': 'a',
      'MessageAttributes.entry.1.Value.DataType': type,
      'MessageAttributes.entry.1.Value.StringValue': value,
    });
    assert.deepEqual(errorOf(await pub(attr('Number', 'ten'))), [400, 'ParameterValueInvalid', "Could not cast message attribute 'a' value to number."]);
    assert.deepEqual(errorOf(await pub(attr('Text', 'x'))), [
      400,
      'ParameterValueInvalid',
      "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    ]);
    assert.deepEqual(errorOf(await call('Publish', { Message: 'm' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    ]);
    assert.deepEqual(errorOf(await call('Publish', { TopicArn: arnOf('nope'), Message: 'm' })), [404, 'NotFound', 'Topic does not exist']);
    assert.deepEqual(errorOf(await pub({ MessageGroupId: 'g' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
    ]);
    // FIFO topics need a group and a deduplication id (or content-based deduplication) and number their messages
    const fifo = arnOf('jobs.fifo');
    assert.deepEqual(errorOf(await call('Publish', { TopicArn: fifo, Message: 'm' })), [
      400,
      'InvalidParameter',
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    ]);
    assert.equal(errorOf(await call('Publish', { TopicArn: fifo, Message: 'm', MessageGroupId: 'g' }))[1], 'InvalidParameter');
    const one = await ok('Publish', { TopicArn: fifo, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    const two = await ok('Publish', { TopicArn: fifo, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd2' });
    assert.equal(one.SequenceNumber.length, 20);
    assert.equal(BigInt(two.SequenceNumber) - BigInt(one.SequenceNumber), 1n);
  });

  test('PublishBatch: batch-level errors, and entries that fail on their own', async () => {
    await ok('CreateTopic', { Name: 'batch' });
    const entry = (i: number, id: string, message = 'm') => ({
      [`PublishBatchRequestEntries.member.${i}.Id`]: id,
      [`PublishBatchRequestEntries.member.${i}.Message`]: message,
    });
    const batch = (p: Record<string, string>) => call('PublishBatch', { TopicArn: arnOf('batch'), ...p });
    assert.deepEqual(errorOf(await batch({ PublishBatchRequestEntries: '' })), [400, 'EmptyBatchRequest', "The batch request doesn't contain any entries."]);
    assert.deepEqual(errorOf(await batch({ ...entry(1, 'a'), ...entry(2, 'a') })), [
      400,
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    ]);
    assert.deepEqual(errorOf(await batch({ ...entry(1, 'a b') })), [
      400,
      'InvalidBatchEntryId',
      "The Id of a batch entry in a batch request doesn't abide by the specification.",
    ]);
    const eleven = Object.assign({}, ...Array.from({ length: 11 }, (_, i) => entry(i + 1, `e${i}`)));
    assert.deepEqual(errorOf(await batch(eleven)), [400, 'TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.']);
    const r = await ok('PublishBatch', { TopicArn: arnOf('batch'), ...entry(1, 'good'), ...entry(2, 'empty', '') });
    assert.equal(r.Successful.member.Id, 'good');
    assert.deepEqual(r.Failed.member, { Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: 'true' });
  });

  test('Publish and PublishBatch are data events on AWS::SNS::Topic; the rest management events', async () => {
    const records = await h.records();
    const publish = records.find((r) => r.eventName === 'Publish' && !r.errorCode);
    assert.equal(publish.eventCategory, 'Data');
    assert.equal(publish.managementEvent, false);
    assert.equal(publish.eventSource, 'sns.amazonaws.com');
    assert.deepEqual(publish.resources, [{ accountId: ACCOUNT, type: 'AWS::SNS::Topic', ARN: publish.requestParameters.topicArn }]);
    const create = records.find((r) => r.eventName === 'CreateTopic');
    assert.equal(create.eventCategory, 'Management');
    assert.equal(create.readOnly, false);
    assert.equal(records.find((r) => r.eventName === 'ListTopics').readOnly, true);
  });
});

describe('data events in trails', () => {
  test('a Publish record is delivered by an advanced selector on AWS::SNS::Topic, not by default selectors', async () => {
    const record = (await h.records()).find((r) => r.eventName === 'Publish' && !r.errorCode);
    const event = {
      seq: 1,
      accountId: '000000000000',
      region: 'us-east-1',
      eventSource: 'sns.amazonaws.com',
      eventName: 'Publish',
      readOnly: false,
      eventTime: new Date(),
      json: JSON.stringify(record),
      data: true,
    };
    const scope = (selectors: Record<string, unknown>[] | null) => ({
      homeRegion: 'us-east-1',
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: true,
      selectors: selectors && { kind: 'advanced' as const, selectors },
    });
    const sel = (type: string, arn?: string) => [
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: [type] },
          ...(arn ? [{ Field: 'resources.ARN', Equals: [arn] }] : []),
        ],
      },
    ];
    assert.equal(inScope(scope(sel('AWS::SNS::Topic')), event), true);
    assert.equal(inScope(scope(sel('AWS::SNS::Topic', record.requestParameters.topicArn)), event), true);
    assert.equal(inScope(scope(sel('AWS::SNS::Topic', arnOf('another'))), event), false);
    assert.equal(inScope(scope(sel('AWS::S3::Object')), event), false);
    assert.equal(inScope(scope(null), event), false);
  });
});

describe('malformed input', () => {
  test('values left out, wrong shapes and bad JSON are answered 4xx and change nothing', async () => {
    await ok('CreateTopic', { Name: 'fuzz' });
    const T = arnOf('fuzz');
    const sub = (await ok('Subscribe', { TopicArn: T, Protocol: 'http', Endpoint: 'http://x/y', ReturnSubscriptionArn: 'true' })).SubscriptionArn;
    const before = attributesOf(await call('GetSubscriptionAttributes', { SubscriptionArn: sub }), 'GetSubscriptionAttributes');
    const cases: [string, Record<string, string>][] = [
      ['CreateTopic', { Name: 'fuzz-new', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.2.key': 'SignatureVersion' }],
      ['CreateTopic', { Name: 'fuzz-new', 'Attributes.entry.1.key': 'FifoTopic', 'Attributes.entry.1.value': 'maybe' }],
      ['CreateTopic', { Name: 'fuzz-new', 'Tags.member.1.Key': 'k' }],
      ['SetTopicAttributes', { TopicArn: T, AttributeName: 'Policy' }],
      ['SetTopicAttributes', { TopicArn: T, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":null}}' }],
      ['Subscribe', { TopicArn: T, Protocol: 'http', Endpoint: 'http://x/z', 'Attributes.entry.1.key': 'RawMessageDelivery' }],
      ['SetSubscriptionAttributes', { SubscriptionArn: sub, AttributeName: 'RawMessageDelivery' }],
      ['SetSubscriptionAttributes', { SubscriptionArn: sub, AttributeName: 'DeliveryPolicy', AttributeValue: '{"healthyRetryPolicy":5}' }],
      ['SetSubscriptionAttributes', { SubscriptionArn: sub, AttributeName: 'RedrivePolicy', AttributeValue: 'null' }],
      ['SetSubscriptionAttributes', { SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: '{"$or":[1,2]}' }],
      ['SetSubscriptionAttributes', { SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: '{"a":[{"numeric":[]}]}' }],
      ['Publish', { TopicArn: T, Message: 'x', 'MessageAttributes.entry.1.Name': 'a' }],
      ['Publish', { TopicArn: T, Message: 'x', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'Binary' }],
      [
        'Publish',
        {
          TopicArn: T,
          Message: 'x',
          'MessageAttributes.entry.1.Name': 'a',
          'MessageAttributes.entry.1.Value.DataType': 'String.Array',
          'MessageAttributes.entry.1.Value.StringValue': '[{}]',
        },
      ],
      ['Publish', { TargetArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/APNS/app/1', Message: 'x' }],
      ['PublishBatch', { TopicArn: T, 'PublishBatchRequestEntries.member.1.Id': 'a' }],
      ['ConfirmSubscription', { TopicArn: 'x', Token: 'y' }],
      ['ListSubscriptionsByTopic', { TopicArn: T, NextToken: '%%%' }],
      ['UntagResource', { ResourceArn: 'arn:aws:sqs:us-east-1:000000000000:q', 'TagKeys.member.1': 'a' }],
    ];
    await drain();
    for (const [action, params] of cases) {
      const r = await call(action, params);
      assert.ok(r.status >= 400 && r.status < 500, `${action} ${JSON.stringify(params)}: ${r.status} ${r.text}`);
    }
    assert.equal(errorOf(await call('GetTopicAttributes', { TopicArn: arnOf('fuzz-new') }))[1], 'NotFound');
    assert.deepEqual(attributesOf(await call('GetSubscriptionAttributes', { SubscriptionArn: sub }), 'GetSubscriptionAttributes'), before);
    assert.deepEqual(await outbox(), []);
    assert.deepEqual(
      h.logs.filter((l) => l.msg === 'internal failure'),
      [],
    );
  });
});

describe('authorization', () => {
  test('a user without permission is refused with AuthorizationError; an identity policy allows', async () => {
    const bob = await h.user('sns-bob');
    const denied = await snsCall(h, 'CreateTopic', { Name: 'bobs' }, bob);
    assert.deepEqual(errorOf(denied), [
      403,
      'AuthorizationError',
      `User: arn:aws:iam::${ACCOUNT}:user/sns-bob is not authorized to perform: SNS:CreateTopic on resource: ${arnOf('bobs')} because no identity-based policy allows the SNS:CreateTopic action`,
    ]);
    const alice = await h.user('sns-alice', allow(['sns:CreateTopic', 'sns:Publish'], 'arn:aws:sns:*:*:alices-*'));
    assert.equal((await snsCall(h, 'CreateTopic', { Name: 'alices-1' }, alice)).status, 200);
    assert.equal((await snsCall(h, 'Publish', { TopicArn: arnOf('alices-1'), Message: 'hi' }, alice)).status, 200);
    assert.equal(errorOf(await snsCall(h, 'DeleteTopic', { TopicArn: arnOf('alices-1') }, alice))[1], 'AuthorizationError');
    // the record of a denial says AccessDenied and keeps no parameters, as for every service (docs/architecture.md#audit)
    const record = (await h.records()).filter((r) => r.eventName === 'DeleteTopic' && r.userIdentity.userName === 'sns-alice').pop();
    assert.deepEqual([record?.errorCode, record?.requestParameters], ['AccessDenied', null]);
    assert.match(record?.errorMessage ?? '', /not authorized to perform: SNS:DeleteTopic/);
  });
});

describe('publishing from other services', () => {
  test('the topic policy must name the service principal, and its conditions on SourceArn / SourceAccount hold', async () => {
    await ok('CreateTopic', { Name: 'from-s3' });
    const bucket = 'arn:aws:s3:::photos';
    const config = h.deps.config;
    const p = {
      topicArn: arnOf('from-s3'),
      message: '{"Records":[]}',
      subject: 'Amazon S3 Notification',
      servicePrincipal: 's3.amazonaws.com',
      sourceArn: bucket,
      sourceAccount: ACCOUNT,
    };
    assert.equal(await topicAllowsService(h.store, p.topicArn, p.servicePrincipal, bucket, ACCOUNT), 'denied');
    assert.deepEqual(await publishFromService(h.store, p, h.now(), h.deps.ids, config), { ok: false, reason: 'policy-denied' });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: p.topicArn,
          Condition: { ArnLike: { 'aws:SourceArn': bucket }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        },
      ],
    };
    await ok('SetTopicAttributes', { TopicArn: p.topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) });
    assert.equal(await topicAllowsService(h.store, p.topicArn, p.servicePrincipal, bucket, ACCOUNT), 'allowed');
    assert.equal(await topicAllowsService(h.store, p.topicArn, p.servicePrincipal, 'arn:aws:s3:::other', ACCOUNT), 'denied');
    assert.equal(await topicAllowsService(h.store, p.topicArn, 'cloudtrail.amazonaws.com', bucket, ACCOUNT), 'denied');
    assert.equal(await topicAllowsService(h.store, arnOf('absent'), p.servicePrincipal, bucket, ACCOUNT), 'no-such-topic');
    await ok('Subscribe', { TopicArn: p.topicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:1/s3', ReturnSubscriptionArn: 'true' });
    const token = JSON.parse((await outbox())[0]?.body ?? '{}').Token;
    await drain();
    await ok('ConfirmSubscription', { TopicArn: p.topicArn, Token: token });
    const published = await publishFromService(h.store, p, h.now(), h.deps.ids, config);
    assert.equal(published.ok, true);
    const [row] = await outbox();
    const m = JSON.parse(row?.body ?? '{}');
    assert.equal(m.MessageId, published.ok ? published.messageId : '');
    assert.equal(m.Subject, 'Amazon S3 Notification');
    assert.equal(m.Message, '{"Records":[]}');
    await drain();
    assert.deepEqual(await publishFromService(h.store, { ...p, topicArn: arnOf('absent') }, h.now(), h.deps.ids, config), {
      ok: false,
      reason: 'no-such-topic',
    });
  });
});

describe('SNS to SQS', () => {
  const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
  const allowTopic = (name: string, topicArn: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn(name),
          Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
        },
      ],
    });
  async function queue(name: string, policy?: string) {
    const now = h.now();
    await h.store.queues.createQueue({
      accountId: ACCOUNT,
      name,
      arn: queueArn(name),
      fifo: false,
      attributes: policy ? { Policy: policy } : {},
      tags: {},
      createdAt: now,
      modifiedAt: now,
    });
  }
  const messages = (name: string) => h.store.queues.claim(ACCOUNT, name, { now: new Date(h.now().getTime() + 1000), max: 10, fifo: false });

  test('raw and enveloped deliveries in the publishing transaction, a filter policy, and a queue whose policy does not allow the topic', async () => {
    const topic = arnOf('to-sqs');
    await ok('CreateTopic', { Name: 'to-sqs' });
    await queue('enveloped', allowTopic('enveloped', topic));
    await queue('raw', allowTopic('raw', topic));
    await queue('filtered', allowTopic('filtered', topic));
    await queue('closed');
    const envSub = (await ok('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('enveloped') })).SubscriptionArn;
    await ok('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('raw'), ...attributeParams('Attributes', { RawMessageDelivery: 'true' }) });
    await ok('Subscribe', {
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queueArn('filtered'),
      ...attributeParams('Attributes', { FilterPolicy: '{"kind":["order"]}' }),
    });
    await ok('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('closed') });
    const published = await ok('Publish', {
      TopicArn: topic,
      Message: 'parcel left',
      Subject: 'Status',
      'MessageAttributes.entry.1.Name': 'kind',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'parcel',
    });
    const [enveloped] = await messages('enveloped');
    const envelope = JSON.parse(enveloped?.body ?? '{}');
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.MessageId, published.MessageId);
    assert.equal(envelope.Message, 'parcel left');
    assert.equal(envelope.Subject, 'Status');
    assert.equal(envelope.UnsubscribeURL, `http://127.0.0.1:4600/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(envSub)}`);
    assert.deepEqual(envelope.MessageAttributes, { kind: { Type: 'String', Value: 'parcel' } });
    assert.equal(enveloped?.messageAttributes, undefined, 'an enveloped message carries its attributes in the envelope only');
    assert.equal(JSON.parse(enveloped?.systemAttributes ?? '{}').SenderId, 'AIDAIT2UOQQY3AUEKVGXU');
    const [raw] = await messages('raw');
    assert.equal(raw?.body, 'parcel left');
    assert.match(raw?.messageAttributes ?? '', /parcel/);
    assert.deepEqual(await messages('filtered'), []);
    assert.deepEqual(await messages('closed'), []);
  });
});
