/**
 * CloudWatch Logs through the in-process pipeline (src/pipeline/testing.ts): groups, streams, the
 * PutLogEvents batch rules, GetLogEvents' tokens, FilterLogEvents' paging, metric filters, tags,
 * resource policies, retention and the audit records (data events for the event calls).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Credentials, type Harness } from './testing.ts';
import { logGroupAllowsService, putServiceLogEvents } from '../services/logs/ingest.ts';
import { randomIds } from '../ids.ts';
import { purgeExpiredLogEvents } from '../services/logs/retention.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const ACCT = '000000000000';
const logs = (op: string, input: object = {}, credentials?: Credentials) =>
  h.send({
    service: 'logs',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` },
    body: JSON.stringify(input),
    ...(credentials ? { credentials } : {}),
  });
async function ok(op: string, input: object = {}) {
  const r = await logs(op, input);
  assert.equal(r.status, 200, `${op}: ${r.text}`);
  return r.json();
}
async function fails(op: string, input: object, code: string, message?: string | RegExp) {
  const r = await logs(op, input);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json().__type, code, r.text);
  if (typeof message === 'string') assert.equal(r.json().message, message);
  else if (message) assert.match(r.json().message, message);
}
const now = () => h.now().getTime();

test('CreateLogGroup, DescribeLogGroups with AWS members, prefix, pattern, paging; errors', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t1/web', tags: { team: 'a' }, kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k' });
  await ok('CreateLogGroup', { logGroupName: '/t1/worker', logGroupClass: 'INFREQUENT_ACCESS' });
  await ok('CreateLogGroup', { logGroupName: '/t1/Other' });
  await fails('CreateLogGroup', { logGroupName: '/t1/web' }, 'ResourceAlreadyExistsException', 'The specified log group already exists');
  await fails(
    'CreateLogGroup',
    { logGroupName: 'a b' },
    'InvalidParameterException',
    /^1 validation error detected: Value 'a b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
  await fails('CreateLogGroup', { logGroupName: 'aws/mine' }, 'InvalidParameterException', 'Log groups starting with AWS/ are reserved for AWS.');
  const all = await ok('DescribeLogGroups', { logGroupNamePrefix: '/t1/' });
  assert.deepEqual(
    all.logGroups.map((g: { logGroupName: string }) => g.logGroupName),
    ['/t1/Other', '/t1/web', '/t1/worker'],
  );
  const web = all.logGroups[1];
  assert.equal(web.arn, `arn:aws:logs:us-east-1:${ACCT}:log-group:/t1/web:*`);
  assert.equal(web.logGroupArn, `arn:aws:logs:us-east-1:${ACCT}:log-group:/t1/web`);
  assert.deepEqual([web.metricFilterCount, web.storedBytes, web.logGroupClass, web.kmsKeyId], [0, 0, 'STANDARD', 'arn:aws:kms:us-east-1:000000000000:key/k']);
  assert.equal(typeof web.creationTime, 'number');
  assert.equal(web.retentionInDays, undefined);
  assert.equal(all.logGroups[2].logGroupClass, 'INFREQUENT_ACCESS');
  const p1 = await ok('DescribeLogGroups', { logGroupNamePrefix: '/t1/', limit: 2 });
  assert.equal(p1.logGroups.length, 2);
  const p2 = await ok('DescribeLogGroups', { logGroupNamePrefix: '/t1/', limit: 2, nextToken: p1.nextToken });
  assert.deepEqual(
    p2.logGroups.map((g: { logGroupName: string }) => g.logGroupName),
    ['/t1/worker'],
  );
  assert.equal(p2.nextToken, undefined);
  const pat = await ok('DescribeLogGroups', { logGroupNamePattern: 'OTHER' });
  assert.deepEqual(
    pat.logGroups.map((g: { logGroupName: string }) => g.logGroupName),
    ['/t1/Other'],
  );
  const named = await ok('DescribeLogGroups', { logGroupIdentifiers: ['/t1/worker', `arn:aws:logs:us-east-1:${ACCT}:log-group:/t1/web`, '/t1/none'] });
  assert.deepEqual(
    named.logGroups.map((g: { logGroupName: string }) => g.logGroupName),
    ['/t1/web', '/t1/worker'],
  );
  await fails('DescribeLogGroups', { limit: 51 }, 'InvalidParameterException', /Member must have value less than or equal to 50/);
  await fails('DescribeLogGroups', { nextToken: 'garbage' }, 'InvalidParameterException', 'The specified nextToken is invalid.');
  await fails('DescribeLogGroups', { logGroupNamePrefix: '/t1', logGroupNamePattern: 't1' }, 'InvalidParameterException');
  await ok('CreateLogGroup', { logGroupName: '/t1/kept', deletionProtectionEnabled: true });
  await ok('CreateLogStream', { logGroupName: '/t1/kept', logStreamName: 's' });
  const protectedMsg = 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.';
  await fails('DeleteLogGroup', { logGroupName: '/t1/kept' }, 'ValidationException', protectedMsg);
  await fails('DeleteLogStream', { logGroupName: '/t1/kept', logStreamName: 's' }, 'ValidationException', protectedMsg);
  assert.equal((await ok('DescribeLogGroups', { logGroupNamePrefix: '/t1/kept' })).logGroups[0].deletionProtectionEnabled, true);
  await ok('DeleteLogGroup', { logGroupName: '/t1/Other' });
  await fails('DeleteLogGroup', { logGroupName: '/t1/Other' }, 'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('retention: AWS day values only; DescribeLogGroups shows it; DeleteRetentionPolicy removes it', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t2' });
  await fails(
    'PutRetentionPolicy',
    { logGroupName: '/t2', retentionInDays: 8 },
    'InvalidParameterException',
    /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30/,
  );
  await fails('PutRetentionPolicy', { logGroupName: '/nope', retentionInDays: 7 }, 'ResourceNotFoundException');
  await ok('PutRetentionPolicy', { logGroupName: '/t2', retentionInDays: 7 });
  assert.equal((await ok('DescribeLogGroups', { logGroupNamePrefix: '/t2' })).logGroups[0].retentionInDays, 7);
  await ok('DeleteRetentionPolicy', { logGroupName: '/t2' });
  assert.equal((await ok('DescribeLogGroups', { logGroupNamePrefix: '/t2' })).logGroups[0].retentionInDays, undefined);
});

test('streams: create, describe by name and last event time, tokens, delete', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t3' });
  await fails('CreateLogStream', { logGroupName: '/nope', logStreamName: 's' }, 'ResourceNotFoundException', 'The specified log group does not exist.');
  for (const s of ['b', 'a', 'c']) await ok('CreateLogStream', { logGroupName: '/t3', logStreamName: s });
  await fails('CreateLogStream', { logGroupName: '/t3', logStreamName: 'a' }, 'ResourceAlreadyExistsException', 'The specified log stream already exists');
  await fails('CreateLogStream', { logGroupName: '/t3', logStreamName: 'x:y' }, 'InvalidParameterException', /at 'logStreamName'/);
  const t = now();
  await ok('PutLogEvents', { logGroupName: '/t3', logStreamName: 'b', logEvents: [{ timestamp: t - 1000, message: 'x' }] });
  await ok('PutLogEvents', { logGroupName: '/t3', logStreamName: 'c', logEvents: [{ timestamp: t - 2000, message: 'y' }] });
  const byName = await ok('DescribeLogStreams', { logGroupName: '/t3' });
  assert.deepEqual(
    byName.logStreams.map((s: { logStreamName: string }) => s.logStreamName),
    ['a', 'b', 'c'],
  );
  const b = byName.logStreams[1];
  assert.deepEqual(
    [b.firstEventTimestamp, b.lastEventTimestamp, b.storedBytes, b.arn],
    [t - 1000, t - 1000, 0, `arn:aws:logs:us-east-1:${ACCT}:log-group:/t3:log-stream:b`],
  );
  assert.match(b.uploadSequenceToken, /^\d{56}$/);
  assert.equal(byName.logStreams[0].uploadSequenceToken, undefined, 'no upload yet');
  const byTime = await ok('DescribeLogStreams', {
    logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCT}:log-group:/t3`,
    orderBy: 'LastEventTime',
    descending: true,
    limit: 2,
  });
  assert.deepEqual(
    byTime.logStreams.map((s: { logStreamName: string }) => s.logStreamName),
    ['b', 'c'],
  );
  const rest = await ok('DescribeLogStreams', { logGroupName: '/t3', orderBy: 'LastEventTime', descending: true, limit: 2, nextToken: byTime.nextToken });
  assert.deepEqual(
    rest.logStreams.map((s: { logStreamName: string }) => s.logStreamName),
    ['a'],
  );
  await fails(
    'DescribeLogStreams',
    { logGroupName: '/t3', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' },
    'InvalidParameterException',
    'Cannot order by LastEventTime with a logStreamNamePrefix.',
  );
  await fails('DescribeLogStreams', { logGroupName: '/nope' }, 'ResourceNotFoundException');
  await ok('DeleteLogStream', { logGroupName: '/t3', logStreamName: 'a' });
  await fails('DeleteLogStream', { logGroupName: '/t3', logStreamName: 'a' }, 'ResourceNotFoundException', 'The specified log stream does not exist.');
});

test('PutLogEvents: batch rules, rejected events, sequence tokens ignored, order and span checks', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t4' });
  await ok('CreateLogStream', { logGroupName: '/t4', logStreamName: 's' });
  const t = now();
  const day = 86_400_000;
  const r1 = await ok('PutLogEvents', { logGroupName: '/t4', logStreamName: 's', logEvents: [{ timestamp: t, message: 'one' }], sequenceToken: 'whatever' });
  assert.match(r1.nextSequenceToken, /^\d{56}$/);
  assert.equal(r1.rejectedLogEventsInfo, undefined);
  const r2 = await ok('PutLogEvents', {
    logGroupName: '/t4',
    logStreamName: 's',
    logEvents: [
      { timestamp: t - 15 * day, message: 'too old' },
      { timestamp: t - 1000, message: 'ok' },
      { timestamp: t + 3 * 3_600_000, message: 'too new' },
    ],
  });
  assert.deepEqual(r2.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 });
  assert.notEqual(r2.nextSequenceToken, r1.nextSequenceToken);
  await fails(
    'PutLogEvents',
    {
      logGroupName: '/t4',
      logStreamName: 's',
      logEvents: [
        { timestamp: t, message: 'b' },
        { timestamp: t - 1, message: 'a' },
      ],
    },
    'InvalidParameterException',
    'Log events in a single PutLogEvents request must be in chronological order.',
  );
  await fails(
    'PutLogEvents',
    {
      logGroupName: '/t4',
      logStreamName: 's',
      logEvents: [
        { timestamp: t - 2 * day, message: 'a' },
        { timestamp: t, message: 'b' },
      ],
    },
    'InvalidParameterException',
    'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
  );
  const big = 'x'.repeat(1_048_576 - 26);
  await ok('PutLogEvents', { logGroupName: '/t4', logStreamName: 's', logEvents: [{ timestamp: t, message: big }] });
  await fails(
    'PutLogEvents',
    { logGroupName: '/t4', logStreamName: 's', logEvents: [{ timestamp: t, message: `${big}y` }] },
    'InvalidParameterException',
    /^Upload too large: 1048577 bytes exceeds limit of 1048576$/,
  );
  await fails(
    'PutLogEvents',
    { logGroupName: '/t4', logStreamName: 's', logEvents: [] },
    'InvalidParameterException',
    /at 'logEvents' failed to satisfy constraint/,
  );
  await fails(
    'PutLogEvents',
    { logGroupName: '/t4', logStreamName: 'nope', logEvents: [{ timestamp: t, message: 'x' }] },
    'ResourceNotFoundException',
    'The specified log stream does not exist.',
  );
  await fails(
    'PutLogEvents',
    { logGroupName: '/nope', logStreamName: 's', logEvents: [{ timestamp: t, message: 'x' }] },
    'ResourceNotFoundException',
    'The specified log group does not exist.',
  );
  await ok('PutRetentionPolicy', { logGroupName: '/t4', retentionInDays: 1 });
  const r3 = await ok('PutLogEvents', {
    logGroupName: '/t4',
    logStreamName: 's',
    logEvents: [
      { timestamp: t - 2 * day, message: 'expired' },
      { timestamp: t, message: 'fine' },
    ],
  });
  assert.deepEqual(r3.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
  const got = await ok('GetLogEvents', { logGroupName: '/t4', logStreamName: 's', startFromHead: true });
  assert.deepEqual(
    got.events.map((e: { message: string }) => (e.message.length > 20 ? 'big' : e.message)),
    ['ok', 'one', 'big', 'fine'],
  );
  assert.equal(got.events[0].ingestionTime >= t - 1000, true);
});

test('GetLogEvents: head and tail, forward and backward tokens, the same token at the end, time window', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t5' });
  await ok('CreateLogStream', { logGroupName: '/t5', logStreamName: 's' });
  const t = now() - 60_000;
  await ok('PutLogEvents', {
    logGroupName: '/t5',
    logStreamName: 's',
    logEvents: Array.from({ length: 5 }, (_, i) => ({ timestamp: t + i, message: `m${i}\u0000é` })),
  });
  const msgs = (r: { events: { message: string }[] }) => r.events.map((e) => e.message.slice(0, 2));
  const tail = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', limit: 2 });
  assert.deepEqual(msgs(tail), ['m3', 'm4']);
  assert.equal(tail.events[0].message, 'm3\u0000é');
  assert.match(tail.nextForwardToken, /^f\/\d{56}\/s$/);
  assert.match(tail.nextBackwardToken, /^b\/\d{56}\/s$/);
  const back = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', limit: 2, nextToken: tail.nextBackwardToken });
  assert.deepEqual(msgs(back), ['m1', 'm2']);
  const end = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', nextToken: tail.nextForwardToken });
  assert.deepEqual(end.events, []);
  assert.equal(end.nextForwardToken, tail.nextForwardToken, 'at the end AWS answers the token it was given');
  const head = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', startFromHead: true, limit: 3 });
  assert.deepEqual(msgs(head), ['m0', 'm1', 'm2']);
  const more = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', nextToken: head.nextForwardToken });
  assert.deepEqual(msgs(more), ['m3', 'm4']);
  await ok('PutLogEvents', { logGroupName: '/t5', logStreamName: 's', logEvents: [{ timestamp: t + 10, message: 'm5' }] });
  assert.deepEqual(
    msgs(await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', nextToken: end.nextForwardToken })),
    ['m5'],
    'a forward token picks up new events',
  );
  const win = await ok('GetLogEvents', { logGroupName: '/t5', logStreamName: 's', startTime: t + 1, endTime: t + 3, startFromHead: true });
  assert.deepEqual(msgs(win), ['m1', 'm2'], 'endTime is exclusive');
  await fails(
    'GetLogEvents',
    { logGroupName: '/t5', logStreamName: 's', nextToken: 'x/1' },
    'InvalidParameterException',
    'The specified nextToken is invalid.',
  );
  await fails('GetLogEvents', { logGroupName: '/t5', logStreamName: 'nope' }, 'ResourceNotFoundException', 'The specified log stream does not exist.');
  await fails('GetLogEvents', { logGroupName: '/t5', logGroupIdentifier: '/t5', logStreamName: 's' }, 'InvalidParameterException');
});

test('FilterLogEvents: pattern, streams, prefix, inclusive endTime, interleaved, paging with nextToken', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t6' });
  for (const s of ['app-1', 'app-2', 'db']) await ok('CreateLogStream', { logGroupName: '/t6', logStreamName: s });
  const t = now() - 60_000;
  await ok('PutLogEvents', {
    logGroupName: '/t6',
    logStreamName: 'app-1',
    logEvents: [0, 2, 4].map((d) => ({ timestamp: t + d, message: d === 2 ? 'ERROR boom' : `INFO ${d}` })),
  });
  await ok('PutLogEvents', { logGroupName: '/t6', logStreamName: 'app-2', logEvents: [1, 3].map((d) => ({ timestamp: t + d, message: `ERROR ${d}` })) });
  await ok('PutLogEvents', { logGroupName: '/t6', logStreamName: 'db', logEvents: [{ timestamp: t + 5, message: '{"status": 500}' }] });
  const all = await ok('FilterLogEvents', { logGroupName: '/t6' });
  assert.deepEqual(
    all.events.map((e: { logStreamName: string; timestamp: number }) => `${e.logStreamName}@${e.timestamp - t}`),
    ['app-1@0', 'app-2@1', 'app-1@2', 'app-2@3', 'app-1@4', 'db@5'],
  );
  assert.deepEqual(all.searchedLogStreams, []);
  assert.match(all.events[0].eventId, /^\d{56}$/);
  assert.equal(all.nextToken, undefined);
  const errors = await ok('FilterLogEvents', { logGroupName: '/t6', filterPattern: 'ERROR' });
  assert.deepEqual(
    errors.events.map((e: { message: string }) => e.message),
    ['ERROR 1', 'ERROR boom', 'ERROR 3'],
  );
  const json = await ok('FilterLogEvents', { logGroupName: '/t6', filterPattern: '{ $.status = 500 }' });
  assert.deepEqual(
    json.events.map((e: { logStreamName: string }) => e.logStreamName),
    ['db'],
  );
  const named = await ok('FilterLogEvents', { logGroupName: '/t6', logStreamNames: ['app-2', 'db'], startTime: t + 3, endTime: t + 5 });
  assert.deepEqual(
    named.events.map((e: { timestamp: number }) => e.timestamp - t),
    [3, 5],
    'endTime is inclusive',
  );
  const prefixed = await ok('FilterLogEvents', { logGroupName: '/t6', logStreamNamePrefix: 'app-' });
  assert.equal(prefixed.events.length, 5);
  const p1 = await ok('FilterLogEvents', { logGroupName: '/t6', limit: 4 });
  assert.equal(p1.events.length, 4);
  const p2 = await ok('FilterLogEvents', { logGroupName: '/t6', limit: 4, nextToken: p1.nextToken });
  assert.deepEqual(
    p2.events.map((e: { timestamp: number }) => e.timestamp - t),
    [4, 5],
  );
  await fails('FilterLogEvents', { logGroupName: '/t6', logStreamNames: ['db'], logStreamNamePrefix: 'd' }, 'InvalidParameterException');
  await fails('FilterLogEvents', { logGroupName: '/t6', nextToken: '!!' }, 'InvalidParameterException', 'The specified nextToken is invalid.');
  await fails('FilterLogEvents', { logGroupName: '/nope' }, 'ResourceNotFoundException');
  // times past what a bigint holds are answered, not failed
  assert.equal((await ok('FilterLogEvents', { logGroupName: '/t6', startTime: 0, endTime: 1e19 })).events.length, 6);
  assert.equal((await ok('GetLogEvents', { logGroupName: '/t6', logStreamName: 'db', endTime: 1e19 })).events.length, 1);
});

test('metric filters: put, describe, limits and errors; TestMetricFilter matches with eventNumber and extracted values', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t7' });
  const mt = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 };
  await ok('PutMetricFilter', { logGroupName: '/t7', filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [mt] });
  await ok('PutMetricFilter', {
    logGroupName: '/t7',
    filterName: 'latency',
    filterPattern: '{ $.status = 200 }',
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.ms', unit: 'Milliseconds' }],
  });
  await fails('PutMetricFilter', { logGroupName: '/nope', filterName: 'x', filterPattern: '', metricTransformations: [mt] }, 'ResourceNotFoundException');
  await fails('PutMetricFilter', { logGroupName: '/t7', filterName: 'x', filterPattern: '{ $.a = ', metricTransformations: [mt] }, 'InvalidParameterException');
  await fails(
    'PutMetricFilter',
    { logGroupName: '/t7', filterName: 'x', filterPattern: '', metricTransformations: [mt, mt] },
    'InvalidParameterException',
    /at 'metricTransformations'/,
  );
  const d = await ok('DescribeMetricFilters', { logGroupName: '/t7' });
  assert.deepEqual(
    d.metricFilters.map((f: { filterName: string }) => f.filterName),
    ['errors', 'latency'],
  );
  assert.deepEqual(d.metricFilters[0].metricTransformations, [mt]);
  assert.equal(d.metricFilters[0].logGroupName, '/t7');
  assert.equal(d.metricFilters[0].filterPattern, 'ERROR');
  const byMetric = await ok('DescribeMetricFilters', { metricName: 'Latency', metricNamespace: 'App' });
  assert.deepEqual(
    byMetric.metricFilters.map((f: { filterName: string }) => f.filterName),
    ['latency'],
  );
  await fails('DescribeMetricFilters', { metricName: 'Latency' }, 'InvalidParameterException');
  assert.equal((await ok('DescribeLogGroups', { logGroupNamePrefix: '/t7' })).logGroups[0].metricFilterCount, 2);
  for (let i = 2; i < 100; i++) await ok('PutMetricFilter', { logGroupName: '/t7', filterName: `f${i}`, filterPattern: '', metricTransformations: [mt] });
  await fails(
    'PutMetricFilter',
    { logGroupName: '/t7', filterName: 'one-too-many', filterPattern: '', metricTransformations: [mt] },
    'LimitExceededException',
    'Resource limit exceeded.',
  );
  await ok('PutMetricFilter', { logGroupName: '/t7', filterName: 'errors', filterPattern: 'FATAL', metricTransformations: [mt] });
  await ok('DeleteMetricFilter', { logGroupName: '/t7', filterName: 'errors' });
  await fails('DeleteMetricFilter', { logGroupName: '/t7', filterName: 'errors' }, 'ResourceNotFoundException');
  const test1 = await ok('TestMetricFilter', { filterPattern: 'ERROR', logEventMessages: ['INFO fine', 'ERROR bad', 'ERROR worse'] });
  assert.deepEqual(test1.matches, [
    { eventNumber: 2, eventMessage: 'ERROR bad', extractedValues: {} },
    { eventNumber: 3, eventMessage: 'ERROR worse', extractedValues: {} },
  ]);
  const delimited = await ok('TestMetricFilter', {
    filterPattern: '[ip, user, status = 4*, size]',
    logEventMessages: ['127.0.0.1 frank 404 2326', '127.0.0.1 frank 200 10'],
  });
  assert.deepEqual(delimited.matches, [
    { eventNumber: 1, eventMessage: '127.0.0.1 frank 404 2326', extractedValues: { $ip: '127.0.0.1', $user: 'frank', $status: '404', $size: '2326' } },
  ]);
  await fails('TestMetricFilter', { filterPattern: 'x', logEventMessages: [] }, 'InvalidParameterException');
});

test('tags: by ARN and by name (the deprecated calls), the 50-tag limit', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t8', tags: { a: '1' } });
  const arn = `arn:aws:logs:us-east-1:${ACCT}:log-group:/t8`;
  await ok('TagResource', { resourceArn: arn, tags: { b: '2' } });
  assert.deepEqual((await ok('ListTagsForResource', { resourceArn: arn })).tags, { a: '1', b: '2' });
  await ok('UntagResource', { resourceArn: arn, tagKeys: ['a'] });
  assert.deepEqual((await ok('ListTagsLogGroup', { logGroupName: '/t8' })).tags, { b: '2' });
  await ok('TagLogGroup', { logGroupName: '/t8', tags: { c: '3' } });
  await ok('UntagLogGroup', { logGroupName: '/t8', tags: ['b'] });
  assert.deepEqual((await ok('ListTagsForResource', { resourceArn: arn })).tags, { c: '3' });
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  await fails('TagResource', { resourceArn: arn, tags: many }, 'TooManyTagsException');
  await fails('TagResource', { resourceArn: `arn:aws:logs:us-east-1:${ACCT}:log-group:/none`, tags: { a: 'b' } }, 'ResourceNotFoundException');
  await fails('ListTagsForResource', { resourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' }, 'InvalidParameterException');
  await fails('ListTagsLogGroup', { logGroupName: '/none' }, 'ResourceNotFoundException');
});

test('resource policies: put, describe, delete; logGroupAllowsService and putServiceLogEvents', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t9' });
  const rule = `arn:aws:events:us-east-1:${ACCT}:rule/r`;
  assert.equal(await logGroupAllowsService(h.store, ACCT, 'us-east-1', '/t9', 'events.amazonaws.com', rule), 'denied');
  assert.equal(await logGroupAllowsService(h.store, ACCT, 'us-east-1', '/none', 'events.amazonaws.com', rule), 'no-such-group');
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/t9:*`,
      },
    ],
  });
  const put = await ok('PutResourcePolicy', { policyName: 'events', policyDocument: doc });
  assert.equal(put.resourcePolicy.policyName, 'events');
  await fails('PutResourcePolicy', { policyName: 'bad', policyDocument: '{' }, 'InvalidParameterException');
  assert.deepEqual(
    (await ok('DescribeResourcePolicies')).resourcePolicies.map((p: { policyName: string }) => p.policyName),
    ['events'],
  );
  assert.equal(await logGroupAllowsService(h.store, ACCT, 'us-east-1', '/t9', 'events.amazonaws.com', rule), 'allowed');
  assert.equal(await logGroupAllowsService(h.store, ACCT, 'us-east-1', '/t9', 'sns.amazonaws.com', rule), 'denied');
  const t = now();
  await ok('PutMetricFilter', {
    logGroupName: '/t9',
    filterName: 'latency',
    filterPattern: '{ $.ms > 0 }',
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'Svc', metricValue: '$.ms', dimensions: { Path: '$.path' }, unit: 'Milliseconds' }],
  });
  const res = await h.store.transaction((tx) =>
    putServiceLogEvents(
      tx,
      { accountId: ACCT, region: 'us-east-1', logGroupName: '/t9', logStreamName: 'from-events' },
      // out of order on purpose: a service's events are sorted into batches PutLogEvents would take
      [
        { timestamp: t, message: 'svc' },
        { timestamp: t - 10, message: '{"ms": 12, "path": "/a"}' },
      ],
      { now: h.now(), ids: randomIds },
    ),
  );
  const points = await h.store.metrics.data(
    ACCT,
    'us-east-1',
    { namespace: 'Svc', metricName: 'Latency', dimensions: [{ Name: 'Path', Value: '/a' }] },
    new Date(t - 60_000),
    new Date(t + 60_000),
  );
  assert.deepEqual(
    points.map((p) => [p.timestamp.getTime(), p.sum, p.unit]),
    [[t - 10, 12, 'Milliseconds']],
    'the metric filter applies to service-written events too, in the same transaction',
  );
  assert.deepEqual(res, { ok: true });
  assert.deepEqual(
    (await ok('GetLogEvents', { logGroupName: '/t9', logStreamName: 'from-events' })).events.map((e: { message: string }) => e.message),
    ['{"ms": 12, "path": "/a"}', 'svc'],
  );
  assert.deepEqual(
    await putServiceLogEvents(h.store, { accountId: ACCT, region: 'us-east-1', logGroupName: '/none', logStreamName: 's' }, [], {
      now: h.now(),
      ids: randomIds,
    }),
    { ok: false, reason: 'no-such-group' },
  );
  await ok('DeleteResourcePolicy', { policyName: 'events' });
  await fails('DeleteResourcePolicy', { policyName: 'events' }, 'ResourceNotFoundException', 'Policy with name [events] does not exist');
});

test('retention purge removes events past the group retention, on the given clock', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t10' });
  await ok('CreateLogStream', { logGroupName: '/t10', logStreamName: 's' });
  const t = now();
  await ok('PutLogEvents', {
    logGroupName: '/t10',
    logStreamName: 's',
    logEvents: [
      { timestamp: t - 3 * 86_400_000, message: 'old' },
      { timestamp: t - 1000, message: 'new' },
    ].slice(1),
  });
  await ok('PutLogEvents', { logGroupName: '/t10', logStreamName: 's', logEvents: [{ timestamp: t - 3 * 86_400_000, message: 'old' }] });
  await ok('PutRetentionPolicy', { logGroupName: '/t10', retentionInDays: 1 });
  const purged = await purgeExpiredLogEvents(h.store, h.now());
  assert.ok(purged >= 1);
  assert.deepEqual(
    (await ok('GetLogEvents', { logGroupName: '/t10', logStreamName: 's', startFromHead: true })).events.map((e: { message: string }) => e.message),
    ['new'],
  );
});

test('authorization: a policy on log-group:<name>:* covers the group and its streams, nothing else', async () => {
  await ok('CreateLogGroup', { logGroupName: '/t11/mine' });
  await ok('CreateLogGroup', { logGroupName: '/t11/other' });
  await ok('CreateLogStream', { logGroupName: '/t11/other', logStreamName: 's' });
  const alice = await h.user('alice-logs', {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/t11/mine:*`,
      },
      { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
    ],
  });
  const as = (op: string, input: object) => logs(op, input, alice);
  assert.equal((await as('CreateLogStream', { logGroupName: '/t11/mine', logStreamName: 's' })).status, 200);
  const t = now();
  assert.equal((await as('PutLogEvents', { logGroupName: '/t11/mine', logStreamName: 's', logEvents: [{ timestamp: t, message: 'hi' }] })).status, 200);
  assert.equal((await as('FilterLogEvents', { logGroupName: '/t11/mine' })).json().events.length, 1);
  assert.equal((await as('DescribeLogGroups', { logGroupNamePrefix: '/t11/' })).json().logGroups.length, 2);
  const denied = await as('PutLogEvents', { logGroupName: '/t11/other', logStreamName: 's', logEvents: [{ timestamp: t, message: 'x' }] });
  assert.equal(denied.status, 400);
  assert.equal(denied.json().__type, 'AccessDeniedException');
  assert.match(
    denied.json().message,
    new RegExp(`is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:${ACCT}:log-group:/t11/other:log-stream:s`),
  );
  assert.equal((await as('DeleteLogGroup', { logGroupName: '/t11/mine' })).json().__type, 'AccessDeniedException');
  assert.equal((await ok('GetLogEvents', { logGroupName: '/t11/other', logStreamName: 's' })).events.length, 0, 'the denied call stored nothing');
});

test('records: management calls without resources; PutLogEvents, GetLogEvents, FilterLogEvents as data events on the group', async () => {
  const records = await h.records();
  const create = records.find((r) => r.eventName === 'CreateLogGroup' && r.requestParameters?.logGroupName === '/t5');
  assert.equal(create.eventSource, 'logs.amazonaws.com');
  assert.equal(create.readOnly, false);
  assert.equal(create.managementEvent, true);
  assert.equal(create.resources, undefined);
  const put = records.find((r) => r.eventName === 'PutLogEvents' && r.requestParameters?.logGroupName === '/t5');
  assert.equal(put.eventCategory, 'Data');
  assert.equal(put.managementEvent, false);
  assert.deepEqual(put.resources, [{ accountId: ACCT, type: 'AWS::Logs::LogGroup', ARN: `arn:aws:logs:us-east-1:${ACCT}:log-group:/t5` }]);
  const get = records.find((r) => r.eventName === 'GetLogEvents' && r.requestParameters?.logGroupName === '/t5');
  assert.equal(get.readOnly, true);
  assert.equal(get.eventCategory, 'Data');
  const describe = records.find((r) => r.eventName === 'DescribeLogGroups');
  assert.equal(describe.readOnly, true);
  const failed = records.find((r) => r.eventName === 'CreateLogGroup' && r.errorCode === 'ResourceAlreadyExistsException');
  assert.equal(failed.errorMessage, 'The specified log group already exists');
});
