/**
 * SQS through the in-process pipeline (src/pipeline/testing.ts): both protocols, errors with their
 * Query codes, receive/visibility/delete, dead-letter queues, FIFO, long polling and the audit records.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Harness, type SendOptions } from './testing.ts';
import { md5Hex, md5OfAttributes } from '../services/sqs/md5.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const URL_BASE = 'http://127.0.0.1:4600/000000000000';
const sqs = (op: string, input: object = {}, o: Partial<SendOptions> = {}) =>
  h.send({
    service: 'sqs',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: JSON.stringify(input),
    ...o,
  });
const query = (action: string, params: Record<string, string> = {}, o: Partial<SendOptions> = {}) =>
  h.send({
    service: 'sqs',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Action: action, Version: '2012-11-05', ...params }).toString(),
    ...o,
  });
async function create(name: string, Attributes?: Record<string, string>): Promise<string> {
  const r = await sqs('CreateQueue', { QueueName: name, ...(Attributes ? { Attributes } : {}) });
  assert.equal(r.status, 200, r.text);
  return r.json().QueueUrl;
}

test('CreateQueue answers the queue URL; same attributes again is idempotent, different ones QueueNameExists / QueueAlreadyExists', async () => {
  const url = await create('orders', { VisibilityTimeout: '40' });
  assert.equal(url, `${URL_BASE}/orders`);
  assert.equal(await create('orders', { VisibilityTimeout: '40' }), url);
  const json = await sqs('CreateQueue', { QueueName: 'orders', Attributes: { VisibilityTimeout: '41' } });
  assert.equal(json.status, 400);
  assert.equal(json.json().__type, 'QueueNameExists');
  assert.equal(json.headers['x-amzn-query-error'], 'QueueAlreadyExists;Sender');
  const xml = await query('CreateQueue', { QueueName: 'orders', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '41' });
  assert.equal(xml.status, 400);
  assert.equal(xml.xml().ErrorResponse.Error.Code, 'QueueAlreadyExists');
});

test('unknown queues: QueueDoesNotExist in JSON, AWS.SimpleQueueService.NonExistentQueue in Query; garbage URLs InvalidAddress', async () => {
  const r = await sqs('GetQueueUrl', { QueueName: 'nope' });
  assert.equal(r.json().__type, 'QueueDoesNotExist');
  assert.equal(r.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  const q = await query('GetQueueAttributes', { QueueUrl: `${URL_BASE}/nope`, 'AttributeName.1': 'All' });
  assert.equal(q.status, 400);
  assert.equal(q.xml().ErrorResponse.Error.Code, 'AWS.SimpleQueueService.NonExistentQueue');
  const bad = await sqs('SendMessage', { QueueUrl: 'not a url', MessageBody: 'x' });
  assert.equal(bad.json().__type, 'InvalidAddress');
  const missing = await sqs('SendMessage', { MessageBody: 'x' });
  assert.equal(missing.json().__type, 'MissingParameter');
  assert.equal(missing.json().message, 'The request must contain the parameter QueueUrl.');
});

test('send, receive, delete over JSON with the MD5s AWS computes; attributes and counts', async () => {
  const url = await create('work');
  const attrs = { colour: { DataType: 'String', StringValue: 'blue' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') } };
  const sent = (await sqs('SendMessage', { QueueUrl: url, MessageBody: 'héllo', MessageAttributes: attrs })).json();
  assert.equal(sent.MD5OfMessageBody, md5Hex('héllo'));
  assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes({ colour: attrs.colour, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } }));
  const counts = (await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).json().Attributes;
  assert.equal(counts.ApproximateNumberOfMessages, '1');
  assert.equal(counts.VisibilityTimeout, '30');
  assert.equal(counts.QueueArn, 'arn:aws:sqs:us-east-1:000000000000:work');
  const got = (await sqs('ReceiveMessage', { QueueUrl: url, AttributeNames: ['All'], MessageAttributeNames: ['All'] })).json().Messages;
  assert.equal(got.length, 1);
  assert.equal(got[0].Body, 'héllo');
  assert.equal(got[0].MessageId, sent.MessageId);
  assert.equal(got[0].Attributes.ApproximateReceiveCount, '1');
  assert.equal(got[0].MessageAttributes.blob.BinaryValue, 'AQID');
  assert.equal(got[0].MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: url })).json().Messages, undefined, 'in flight: not received again');
  const inflight = (await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })).json().Attributes;
  assert.deepEqual(inflight, { ApproximateNumberOfMessagesNotVisible: '1' });
  assert.equal((await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle })).status, 200);
  const garbage = await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: 'garbage' });
  assert.equal(garbage.json().__type, 'ReceiptHandleIsInvalid');
  const none = (
    await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })
  ).json();
  assert.deepEqual(none.Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
});

test('the Query protocol: flattened names in, flattened elements out; a request posted to the queue URL path', async () => {
  const url = await create('legacy');
  const sent = await query('SendMessage', {
    QueueUrl: url,
    MessageBody: 'old cli',
    'MessageAttribute.1.Name': 'k',
    'MessageAttribute.1.Value.DataType': 'String',
    'MessageAttribute.1.Value.StringValue': 'v',
  });
  assert.equal(sent.status, 200, sent.text);
  const result = sent.xml().SendMessageResponse.SendMessageResult;
  assert.equal(result.MD5OfMessageBody, md5Hex('old cli'));
  assert.equal(result.MD5OfMessageAttributes, md5OfAttributes({ k: { DataType: 'String', StringValue: 'v' } }));
  const got = await query('ReceiveMessage', { 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' }, { path: '/000000000000/legacy' });
  assert.equal(got.status, 200, got.text);
  const m = got.xml().ReceiveMessageResponse.ReceiveMessageResult.Message;
  assert.equal(m.Body, 'old cli');
  assert.ok(m.Attribute.some((a: { Name: string; Value: string }) => a.Name === 'ApproximateReceiveCount' && a.Value === '1'));
  assert.equal(m.MessageAttribute.Name, 'k');
  assert.equal(m.MessageAttribute.Value.StringValue, 'v');
  const listed = (await query('ListQueues', { QueueNamePrefix: 'leg' })).xml().ListQueuesResponse.ListQueuesResult;
  assert.equal(listed.QueueUrl, url);
  const big = await query('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(257 * 1024) });
  assert.equal(big.status, 400);
  assert.equal(big.xml().ErrorResponse.Error.Code, 'InvalidParameterValue');
});

test('a message received maxReceiveCount times moves to the dead-letter queue; ListDeadLetterSourceQueues names the source', async () => {
  const dlq = await create('dead');
  const src = await create('source', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dead', maxReceiveCount: 2 }),
    VisibilityTimeout: '0',
  });
  await sqs('SendMessage', { QueueUrl: src, MessageBody: 'poison' });
  for (let i = 1; i <= 2; i++) assert.equal((await sqs('ReceiveMessage', { QueueUrl: src })).json().Messages?.length, 1, `receive ${i}`);
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: src })).json().Messages, undefined);
  const moved = (await sqs('ReceiveMessage', { QueueUrl: dlq, MessageSystemAttributeNames: ['All'] })).json().Messages;
  assert.equal(moved?.[0]?.Body, 'poison');
  assert.equal(moved?.[0]?.Attributes.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:000000000000:source');
  assert.deepEqual((await sqs('ListDeadLetterSourceQueues', { QueueUrl: dlq })).json().queueUrls, [src]);
});

test('FIFO: group order, one group in flight at a time, deduplication by id and by content', async () => {
  const url = await create('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const a = (await sqs('SendMessage', { QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' })).json();
  const dup = (await sqs('SendMessage', { QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' })).json();
  assert.equal(dup.MessageId, a.MessageId);
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'a2', MessageGroupId: 'a', MessageDeduplicationId: 'x' });
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'b1', MessageGroupId: 'b' });
  const first = (await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 1 })).json().Messages;
  assert.equal(first[0].Body, 'a1');
  const second = (await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).json().Messages;
  assert.deepEqual(
    second.map((m: { Body: string }) => m.Body),
    ['b1'],
    'group a is blocked while a1 is in flight',
  );
  await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: first[0].ReceiptHandle });
  const third = (await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).json().Messages;
  assert.deepEqual(
    third.map((m: { Body: string }) => m.Body),
    ['a2'],
  );
  const noGroup = await sqs('SendMessage', { QueueUrl: url, MessageBody: 'z' });
  assert.equal(noGroup.json().__type, 'MissingParameter');
});

// With the store polled only every 10 minutes, only the send's wake-up can end this 20-second poll
// within the test's timeout: the test fails if the wake-up does not come.
test('long polling waits for a message and is woken by the send; one record for the call', { timeout: 15_000 }, async () => {
  const url = await create('waiting');
  h.deps.pollIntervalMs = 600_000;
  try {
    const pending = sqs('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 200));
    await sqs('SendMessage', { QueueUrl: url, MessageBody: 'wake' });
    const got = (await pending).json().Messages;
    assert.equal(got?.[0]?.Body, 'wake');
  } finally {
    delete h.deps.pollIntervalMs;
  }
  const records = (await h.records()).filter((r) => r.eventName === 'ReceiveMessage' && r.requestParameters?.queueUrl === url);
  assert.equal(records.length, 1);
  assert.equal(records[0].eventCategory, 'Data');
  assert.equal(records[0].managementEvent, false);
  assert.deepEqual(records[0].resources, [{ accountId: '000000000000', type: 'AWS::SQS::Queue', ARN: 'arn:aws:sqs:us-east-1:000000000000:waiting' }]);
});

test('a long poll that finds nothing answers no messages at its deadline, with one record', async () => {
  const url = await create('quiet');
  const r = await sqs('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 1 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), {});
  const records = (await h.records()).filter((x) => x.eventName === 'ReceiveMessage' && x.requestParameters?.queueUrl === url);
  assert.equal(records.length, 1);
});

test('a queue deleted and created again within 60 seconds: QueueDeletedRecently', async () => {
  const url = await create('again');
  assert.equal((await sqs('DeleteQueue', { QueueUrl: url })).status, 200);
  const r = await sqs('CreateQueue', { QueueName: 'again' });
  assert.equal(r.json().__type, 'QueueDeletedRecently');
  assert.equal(r.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.QueueDeletedRecently;Sender');
});

test('records: a SendMessage record hides the body, as AWS records it', async () => {
  const url = await create('secretive');
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'card 4111' });
  const r = (await h.records()).find((x) => x.eventName === 'SendMessage' && x.requestParameters?.queueUrl === url);
  assert.equal(r.requestParameters.messageBody, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(r.eventCategory, 'Data');
  assert.equal(r.responseElements.mD5OfMessageBody, md5Hex('card 4111'));
});

test('a queue Policy must be a valid resource policy; it lets another user send, and nothing else', async () => {
  const url = await create('shared-q');
  const bad = await sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '{"Statement":"nope"}' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json().__type, 'InvalidAttributeValue');
  const bob = await h.user('bob');
  const denied = await sqs('SendMessage', { QueueUrl: url, MessageBody: 'hi' }, { credentials: bob });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers['x-amzn-query-error'], 'AccessDenied;Sender');
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:user/bob' },
        Action: 'sqs:SendMessage',
        Resource: 'arn:aws:sqs:us-east-1:000000000000:shared-q',
      },
    ],
  };
  assert.equal((await sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } })).status, 200);
  assert.equal((await sqs('SendMessage', { QueueUrl: url, MessageBody: 'hi' }, { credentials: bob })).status, 200);
  assert.equal(
    (await sqs('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'hi' }] }, { credentials: bob })).status,
    200,
    'the batch is sqs:SendMessage',
  );
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: url }, { credentials: bob })).status, 403);
});

test('batches: empty, too many, repeated ids, bad ids; per-entry failures; ListQueues pages', async () => {
  const url = await create('batchy');
  const code = async (entries: object[]) => (await sqs('SendMessageBatch', { QueueUrl: url, Entries: entries })).json().__type;
  assert.equal(await code([]), 'EmptyBatchRequest');
  assert.equal(await code(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }))), 'TooManyEntriesInBatchRequest');
  assert.equal(
    await code([
      { Id: 'a', MessageBody: 'x' },
      { Id: 'a', MessageBody: 'y' },
    ]),
    'BatchEntryIdsNotDistinct',
  );
  assert.equal(await code([{ Id: 'no spaces', MessageBody: 'x' }]), 'InvalidBatchEntryId');
  const r = (
    await sqs('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'ok', MessageBody: 'x' },
        { Id: 'empty', MessageBody: '' },
      ],
    })
  ).json();
  assert.deepEqual(
    r.Successful.map((s: { Id: string }) => s.Id),
    ['ok'],
  );
  assert.deepEqual(r.Failed, [{ Id: 'empty', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' }]);
  for (const n of ['page-a', 'page-b', 'page-c']) await create(n);
  const first = (await sqs('ListQueues', { QueueNamePrefix: 'page-', MaxResults: 2 })).json();
  assert.deepEqual(first.QueueUrls, [`${URL_BASE}/page-a`, `${URL_BASE}/page-b`]);
  const second = (await sqs('ListQueues', { QueueNamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken })).json();
  assert.deepEqual(second.QueueUrls, [`${URL_BASE}/page-c`]);
  assert.equal(second.NextToken, undefined);
  assert.equal((await sqs('ListQueues', { NextToken: 'bogus!' })).json().__type, 'InvalidParameterValue');
});

test('visibility: ChangeMessageVisibility makes a message visible again; an older receipt handle deletes nothing', async () => {
  const url = await create('vis');
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'v' });
  const [first] = (await sqs('ReceiveMessage', { QueueUrl: url })).json().Messages;
  assert.equal((await sqs('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 })).status, 200);
  const [second] = (await sqs('ReceiveMessage', { QueueUrl: url, AttributeNames: ['ApproximateReceiveCount'] })).json().Messages;
  assert.equal(second.Attributes.ApproximateReceiveCount, '2');
  assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
  assert.equal((await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle })).status, 200);
  const count = async () =>
    (await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })).json().Attributes
      .ApproximateNumberOfMessagesNotVisible;
  assert.equal(await count(), '1', 'the stale handle deleted nothing');
  const stale = await sqs('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 5 });
  assert.equal(stale.json().__type, 'InvalidParameterValue');
  assert.equal((await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: second.ReceiptHandle })).status, 200);
  assert.equal(await count(), '0');
  const big = await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 });
  assert.equal(big.json().message, 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
});

test('malformed Query and JSON input gets a 4xx and changes nothing', async () => {
  const url = await create('sturdy');
  const forms: Record<string, string>[] = [
    { Action: 'SendMessage', QueueUrl: url, MessageBody: 'x', 'MessageAttribute.1.Name': 'k' },
    {
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'x',
      'MessageAttribute.1.Name': 'k',
      'MessageAttribute.1.Value.DataType': 'Number',
      'MessageAttribute.1.Value.StringValue': 'NaN-ish',
    },
    { Action: 'SendMessage', QueueUrl: url, MessageBody: '\u0000' },
    { Action: 'SendMessage', QueueUrl: url, MessageBody: 'x', DelaySeconds: 'soon' },
    { Action: 'TagQueue', QueueUrl: url, 'Tag.1.Key': 'k' },
    { Action: 'SetQueueAttributes', QueueUrl: url, 'Attribute.1.Name': 'VisibilityTimeout' },
    { Action: 'SetQueueAttributes', QueueUrl: url, 'Attribute.1.Name': 'RedrivePolicy', 'Attribute.1.Value': '{"maxReceiveCount":"x"}' },
    { Action: 'SetQueueAttributes', QueueUrl: url, 'Attribute.1.Name': 'FifoQueue', 'Attribute.1.Value': 'true' },
    { Action: 'ReceiveMessage', QueueUrl: url, WaitTimeSeconds: '21' },
    { Action: 'ChangeMessageVisibility', QueueUrl: url, ReceiptHandle: 'AAAA', VisibilityTimeout: '99999' },
    { Action: 'CreateQueue', QueueName: 'bad name!' },
    { Action: 'CreateQueue', QueueName: 'x.fifo' },
    { Action: 'GetQueueUrl' },
    { Action: 'NoSuchAction' },
  ];
  for (const form of forms) {
    const { Action, ...params } = form;
    const r = await query(Action ?? '', params);
    assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(form)}: ${r.status} ${r.text}`);
    assert.ok(r.xml().ErrorResponse.Error.Code, r.text);
  }
  const bodies: [string, unknown][] = [
    ['SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: { DataType: 'String' } } }],
    ['SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: null, b: 5 } }],
    ['SendMessage', { QueueUrl: url, MessageBody: 7 }],
    ['SendMessage', { QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'v' } } }],
    ['CreateQueue', { QueueName: 'q', tags: { k: 5 } }],
    ['ListQueues', { MaxResults: 0 }],
  ];
  for (const [op, body] of bodies) {
    const r = await sqs(op, body as object);
    assert.ok(r.status >= 400 && r.status < 500, `${op} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
  }
  const n = (await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).json().Attributes;
  assert.equal(n.ApproximateNumberOfMessages, '0');
  assert.equal(n.VisibilityTimeout, '30');
  assert.equal(h.logs.filter((l) => l.msg === 'internal failure').length, 0, JSON.stringify(h.logs));
});

test('a Query GET to the queue URL (Action in the query string) is served; S3 and IAM routing are unchanged', async () => {
  const url = await create('by-get');
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'got by GET' });
  const r = await h.send({ service: 'sqs', method: 'GET', path: '/000000000000/by-get', query: { Action: 'ReceiveMessage', Version: '2012-11-05' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.xml().ReceiveMessageResponse.ReceiveMessageResult.Message.Body, 'got by GET');
  // the same path signed for S3 is an S3 request (a bucket named by the account id), answered by S3
  const s3 = await h.send({ service: 's3', method: 'GET', path: '/000000000000/by-get' });
  assert.equal(s3.status, 404);
  assert.match(s3.text, /<Code>NoSuchBucket<\/Code>/);
  // signed for SQS but naming no operation: SQS's InvalidAction, not S3
  const bare = await h.send({ service: 'sqs', method: 'GET', path: '/000000000000/by-get' });
  assert.equal(bare.status, 400);
  assert.equal(bare.xml().ErrorResponse.Error.Code, 'InvalidAction');
  const iam = await h.query('iam', 'GetUser');
  assert.equal(iam.status, 200, iam.text);
});

test("receipt handles: another queue's handle is ReceiptHandleIsInvalid; a FIFO queue refuses a stale one as expired", async () => {
  const a = await create('handles-a');
  const b = await create('handles-b');
  await sqs('SendMessage', { QueueUrl: a, MessageBody: 'x' });
  const [m] = (await sqs('ReceiveMessage', { QueueUrl: a })).json().Messages;
  const other = (await sqs('DeleteMessage', { QueueUrl: b, ReceiptHandle: m.ReceiptHandle })).json();
  assert.equal(other.__type, 'ReceiptHandleIsInvalid');
  assert.equal(other.message, `The receipt handle "${m.ReceiptHandle}" is not valid for this queue.`);
  const f = await create('handles.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '0' });
  await sqs('SendMessage', { QueueUrl: f, MessageBody: 'y', MessageGroupId: 'g' });
  const [first] = (await sqs('ReceiveMessage', { QueueUrl: f })).json().Messages;
  const [again] = (await sqs('ReceiveMessage', { QueueUrl: f })).json().Messages;
  const stale = (await sqs('DeleteMessage', { QueueUrl: f, ReceiptHandle: first.ReceiptHandle })).json();
  assert.equal(stale.__type, 'InvalidParameterValue');
  assert.match(stale.message, /The receipt handle has expired\.$/);
  assert.equal((await sqs('DeleteMessage', { QueueUrl: f, ReceiptHandle: again.ReceiptHandle })).status, 200);
});

test('time: a delayed message waits its delay, a received one its visibility timeout, and one past its retention period is deleted', async () => {
  const url = await create('timed', { MessageRetentionPeriod: '60', VisibilityTimeout: '10' });
  await sqs('SendMessage', { QueueUrl: url, MessageBody: 'later', DelaySeconds: 5 });
  const attrs = async () =>
    (
      await sqs('GetQueueAttributes', {
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      })
    ).json().Attributes;
  assert.deepEqual(await attrs(), { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '1' });
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: url })).json().Messages, undefined, 'delayed');
  h.advance(5_000);
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: url })).json().Messages?.[0]?.Body, 'later');
  assert.deepEqual(await attrs(), { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' });
  h.advance(10_000);
  const again = (await sqs('ReceiveMessage', { QueueUrl: url, AttributeNames: ['ApproximateReceiveCount'] })).json().Messages;
  assert.equal(again?.[0]?.Attributes.ApproximateReceiveCount, '2', 'visible again after its visibility timeout');
  h.advance(61_000);
  assert.equal((await sqs('ReceiveMessage', { QueueUrl: url })).json().Messages, undefined, 'past its retention period');
  assert.deepEqual(await attrs(), { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' });
});

test("a dead-letter queue's RedriveAllowPolicy decides which source queues may name it", async () => {
  await create('guarded-dlq', {
    RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:000000000000:allowed-src'] }),
  });
  const redrive = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:guarded-dlq', maxReceiveCount: 5 });
  const refused = await sqs('CreateQueue', { QueueName: 'other-src', Attributes: { RedrivePolicy: redrive } });
  assert.equal(refused.json().__type, 'InvalidParameterValue');
  assert.equal((await sqs('CreateQueue', { QueueName: 'allowed-src', Attributes: { RedrivePolicy: redrive } })).status, 200);
  const bad = await sqs('CreateQueue', { QueueName: 'bad-allow', Attributes: { RedriveAllowPolicy: '{"redrivePermission":"sometimes"}' } });
  assert.equal(bad.json().__type, 'InvalidAttributeValue');
});

test('AddPermission / RemovePermission edit the queue Policy by label (Query names AWSAccountId.N, ActionName.N)', async () => {
  const url = await create('permitted');
  const added = await query('AddPermission', {
    QueueUrl: url,
    Label: 'partner',
    'AWSAccountId.1': '111122223333',
    'ActionName.1': 'SendMessage',
    'ActionName.2': 'GetQueueUrl',
  });
  assert.equal(added.status, 200, added.text);
  const policy = JSON.parse((await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).json().Attributes.Policy);
  assert.deepEqual(policy.Statement, [
    {
      Sid: 'partner',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['SQS:SendMessage', 'SQS:GetQueueUrl'],
      Resource: 'arn:aws:sqs:us-east-1:000000000000:permitted',
    },
  ]);
  const again = await sqs('AddPermission', { QueueUrl: url, Label: 'partner', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] });
  assert.equal(again.json().__type, 'InvalidParameterValue');
  assert.equal((await sqs('RemovePermission', { QueueUrl: url, Label: 'partner' })).status, 200);
  assert.equal((await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).json().Attributes, undefined);
  assert.equal((await sqs('RemovePermission', { QueueUrl: url, Label: 'partner' })).json().__type, 'InvalidParameterValue');
});
