/**
 * Trails to CloudWatch Logs through the in-process pipeline (docs/trail-logs.md): CreateTrail /
 * UpdateTrail validation of the group and role, delivery of exactly the trail's records (message =
 * the record's JSON text, timestamp = eventTime) once, GetTrailStatus, a denied write retried without
 * loss, StopLogging delivered and then nothing more. The delivery round runs on the harness clock.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { randomIds } from '../ids.ts';
import { harness, type Harness } from '../pipeline/testing.ts';
import { deliverTrailLogs, trailLogsConsumer } from './cloudwatch-logs.ts';
import { cloudTrailPolicy } from './testing.ts';

const ACCT = '000000000000';
const GROUP = `arn:aws:logs:us-east-1:${ACCT}:log-group:ct-logs:*`;
const ROLE = `arn:aws:iam::${ACCT}:role/ct-role`;
const STREAM = `${ACCT}_CloudTrail_us-east-1`;
const trust = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const writePolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:ct-logs:log-stream:*` },
  ],
});

let h: Harness;
const ct = (op: string, input: object) => h.json('cloudtrail', op, input, { region: 'us-east-1' });
const logs = async (op: string, input: object) => {
  const r = await h.send({
    service: 'logs',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` },
    body: JSON.stringify(input),
  });
  assert.equal(r.status, 200, `${op}: ${r.text}`);
  return r.json();
};
const iam = async (action: string, params: Record<string, string>) => {
  const r = await h.query('iam', action, params);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
};
async function refused(op: string, input: object, code: string, message?: string) {
  const r = await ct(op, input);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json().__type, code, r.text);
  if (message) assert.equal(r.json().Message ?? r.json().message, message);
}
const deliver = () => {
  h.advance(1000);
  return deliverTrailLogs({ store: h.store, ids: randomIds, owner: 'test' }, h.now());
};
const streamMessages = async (): Promise<string[]> => {
  const r = await logs('GetLogEvents', { logGroupName: 'ct-logs', logStreamName: STREAM, startFromHead: true, limit: 10000 });
  return r.events.map((e: { message: string }) => e.message);
};
/** The stored records' exact texts (what the log events must carry), from seq `after` on. */
const storedTexts = async (afterSeq: number) =>
  (await h.store.trails.readEvents(afterSeq, await h.store.trails.lastEventSeq(), 10_000)).filter((e) => e.region === 'us-east-1' && !e.data);

before(async () => {
  h = await harness();
  assert.equal((await h.send({ service: 's3', method: 'PUT', path: '/trail-logs' })).status, 200);
  const body = cloudTrailPolicy('trail-logs');
  const md5 = createHash('md5').update(body).digest('base64');
  const policy = await h.send({ service: 's3', method: 'PUT', path: '/trail-logs', query: { policy: '' }, headers: { 'content-md5': md5 }, body });
  assert.equal(policy.status, 200, policy.text);
  await logs('CreateLogGroup', { logGroupName: 'ct-logs' });
  await iam('CreateRole', { RoleName: 'ct-role', AssumeRolePolicyDocument: trust('cloudtrail.amazonaws.com') });
  await iam('CreateRole', { RoleName: 'other-role', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') });
});
after(() => h.close());

test('CreateTrail checks the group and the role as AWS does', async () => {
  const base = { Name: 'cwl', S3BucketName: 'trail-logs' };
  await refused('CreateTrail', { ...base, CloudWatchLogsLogGroupArn: GROUP }, 'InvalidParameterCombinationException');
  await refused('CreateTrail', { ...base, CloudWatchLogsLogGroupArn: 'ct-logs', CloudWatchLogsRoleArn: ROLE }, 'InvalidCloudWatchLogsLogGroupArnException');
  await refused('CreateTrail', { ...base, CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: 'ct-role' }, 'InvalidCloudWatchLogsRoleArnException');
  const missing = `arn:aws:logs:us-east-1:${ACCT}:log-group:nope:*`;
  const denied = 'Access denied. Check the permissions for your role.';
  await refused(
    'CreateTrail',
    { ...base, CloudWatchLogsLogGroupArn: missing, CloudWatchLogsRoleArn: ROLE },
    'InvalidCloudWatchLogsLogGroupArnException',
    denied,
  );
  const untrusted = 'Access denied. Check the trust relationships for your role.';
  await refused(
    'CreateTrail',
    { ...base, CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCT}:role/other-role` },
    'InvalidCloudWatchLogsRoleArnException',
    untrusted,
  );
  await refused(
    'CreateTrail',
    { ...base, CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCT}:role/none` },
    'InvalidCloudWatchLogsRoleArnException',
    untrusted,
  );
  // the role may not write the group yet
  await refused('CreateTrail', { ...base, CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: ROLE }, 'InvalidCloudWatchLogsLogGroupArnException', denied);
  assert.equal((await ct('DescribeTrails', {})).json().trailList.length, 0);
  await iam('PutRolePolicy', { RoleName: 'ct-role', PolicyName: 'write', PolicyDocument: writePolicy });
  const created = await ct('CreateTrail', { ...base, CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: ROLE });
  assert.equal(created.status, 200, created.text);
  assert.deepEqual([created.json().CloudWatchLogsLogGroupArn, created.json().CloudWatchLogsRoleArn], [GROUP, ROLE]);
  const [t] = (await ct('DescribeTrails', {})).json().trailList;
  assert.deepEqual([t.CloudWatchLogsLogGroupArn, t.CloudWatchLogsRoleArn], [GROUP, ROLE]);
  assert.equal((await ct('GetTrail', { Name: 'cwl' })).json().Trail.CloudWatchLogsLogGroupArn, GROUP);
});

test('a logging trail delivers its records to the group once, as their exact JSON text at their eventTime', async () => {
  const from = await h.store.trails.lastEventSeq();
  assert.equal((await ct('StartLogging', { Name: 'cwl' })).status, 200);
  assert.ok(await h.store.recordConsumers.get(trailLogsConsumer(1)));
  for (let i = 0; i < 3; i++) await ct('DescribeTrails', {});
  await h.json('cloudtrail', 'DescribeTrails', {}, { region: 'eu-west-1' }); // another region: not this single-region trail's
  assert.equal((await ct('GetTrailStatus', { Name: 'cwl' })).json().LatestCloudWatchLogsDeliveryTime, undefined);
  const expected = await storedTexts(from);
  assert.equal(expected[0] && JSON.parse(expected[0].json).eventName, 'StartLogging');
  assert.equal(await deliver(), expected.length);
  assert.deepEqual(
    await streamMessages(),
    expected.map((e) => e.json),
  );
  const events = (await logs('GetLogEvents', { logGroupName: 'ct-logs', logStreamName: STREAM, startFromHead: true })).events;
  assert.deepEqual(
    events.map((e: { timestamp: number }) => e.timestamp),
    expected.map((e) => e.eventTime.getTime()),
  );
  // nothing twice
  const status = (await ct('GetTrailStatus', { Name: 'cwl' })).json();
  assert.equal(typeof status.LatestCloudWatchLogsDeliveryTime, 'number');
  assert.equal(status.LatestCloudWatchLogsDeliveryError, undefined);
  const delivered = (await streamMessages()).length;
  await deliver();
  const again = await streamMessages();
  // the GetLogEvents / GetTrailStatus calls since are new records; none of the old ones repeats
  assert.equal(new Set(again).size, again.length);
  assert.ok(again.length > delivered);
});

test('a denied write commits nothing, shows in GetTrailStatus and is retried without loss', async () => {
  await deliver();
  const before = (await streamMessages()).length;
  await iam('DeleteRolePolicy', { RoleName: 'ct-role', PolicyName: 'write' });
  assert.equal((await ct('DescribeTrails', { trailNameList: ['marker-call'] })).status, 200);
  assert.equal(await deliver(), 0);
  assert.equal((await ct('GetTrailStatus', { Name: 'cwl' })).json().LatestCloudWatchLogsDeliveryError, 'AccessDeniedException');
  assert.equal((await streamMessages()).length, before);
  await iam('PutRolePolicy', { RoleName: 'ct-role', PolicyName: 'write', PolicyDocument: writePolicy });
  assert.ok((await deliver()) > 0);
  const messages = (await streamMessages()).map((m) => JSON.parse(m));
  assert.equal(messages.filter((r) => r.requestParameters?.trailNameList?.[0] === 'marker-call').length, 1);
  assert.equal(messages.filter((r) => r.eventName === 'DeleteRolePolicy').length, 1);
  assert.equal((await ct('GetTrailStatus', { Name: 'cwl' })).json().LatestCloudWatchLogsDeliveryError, undefined);
});

test('StopLogging: its own record is still delivered, then nothing more; clearing the group clears both members', async () => {
  assert.equal((await ct('StopLogging', { Name: 'cwl' })).status, 200);
  await ct('DescribeTrails', { trailNameList: ['after-stop'] });
  await deliver();
  assert.equal(await h.store.recordConsumers.get(trailLogsConsumer(1)), undefined);
  const messages = (await streamMessages()).map((m) => JSON.parse(m));
  assert.equal(messages.at(-1).eventName, 'StopLogging');
  assert.equal(messages.filter((r) => r.requestParameters?.trailNameList?.[0] === 'after-stop').length, 0);
  await refused('UpdateTrail', { Name: 'cwl', CloudWatchLogsLogGroupArn: GROUP }, 'InvalidParameterCombinationException');
  const cleared = await ct('UpdateTrail', { Name: 'cwl', CloudWatchLogsLogGroupArn: '', CloudWatchLogsRoleArn: '' });
  assert.equal(cleared.status, 200, cleared.text);
  const [t] = (await ct('DescribeTrails', {})).json().trailList;
  assert.deepEqual([t.CloudWatchLogsLogGroupArn, t.CloudWatchLogsRoleArn], [undefined, undefined]);
  assert.equal((await ct('StartLogging', { Name: 'cwl' })).status, 200);
  assert.equal(await h.store.recordConsumers.get(trailLogsConsumer(1)), undefined);
});
