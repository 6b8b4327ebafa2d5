/**
 * Trails to CloudWatch Logs end to end with the official clients (docs/trail-logs.md): CreateTrail
 * checks the log group and the role as AWS does; a logging trail delivers the same records to
 * CloudWatch Logs and S3, each exactly once — across kill -9 — each log event's message the record
 * exactly as LookupEvents returns it; LatestCloudWatchLogsDeliveryTime advances.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, listKeys, readGzip, s3Client, waitFor } from './helpers/delivery.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { cloudTrailLogsRole } from './helpers/trail-logs.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'cwl-trail-logs';
const GROUP = 'CloudTrail/audit';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role`;
const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;

let server: TestServer;
let ct: CloudTrailClient;
let logs: CloudWatchLogsClient;

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1' });
  ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, server.root));
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  for (const args of [
    ['s3', 'mb', `s3://${BUCKET}`],
    ['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', cloudTrailBucketPolicy(BUCKET, ACCOUNT)],
  ]) {
    const r = awsCli(server.endpoint, server.root, args);
    assert.equal(r.status, 0, r.stderr);
  }
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await cloudTrailLogsRole(iam, { roleName: 'CloudTrail_CloudWatchLogs_Role', account: ACCOUNT, group: GROUP });
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'not-for-cloudtrail',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }),
    }),
  );
  iam.destroy();
});

after(async () => {
  ct?.destroy();
  logs?.destroy();
  await server?.dispose();
});

async function refused(p: Promise<unknown>, name: string, message: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: Error) => x,
  );
  assert.equal(e?.name, name, e?.message);
  assert.equal(e?.message, message);
}

test('CreateTrail checks the log group and the role, as AWS does', async () => {
  const create = (CloudWatchLogsLogGroupArn?: string, CloudWatchLogsRoleArn?: string) =>
    ct.send(new CreateTrailCommand({ Name: 'checked', S3BucketName: BUCKET, CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn }));
  await refused(create(GROUP_ARN), 'InvalidCloudWatchLogsRoleArnException', 'You must specify a log group and a role ARN.');
  await refused(
    create(GROUP_ARN.replace(/:\*$/, ''), ROLE_ARN),
    'InvalidCloudWatchLogsLogGroupArnException',
    'CloudTrail cannot validate the specified log group ARN.',
  );
  await refused(
    create(GROUP_ARN.replace(GROUP, 'no-such-group'), ROLE_ARN),
    'InvalidCloudWatchLogsLogGroupArnException',
    'CloudTrail cannot validate the specified log group ARN.',
  );
  await refused(
    create(GROUP_ARN.replace('us-east-1', 'eu-west-1'), ROLE_ARN),
    'InvalidCloudWatchLogsLogGroupArnException',
    'You must specify a log group that is in the current region.',
  );
  await refused(
    create(GROUP_ARN, `arn:aws:iam::${ACCOUNT}:role/not-for-cloudtrail`),
    'InvalidCloudWatchLogsRoleArnException',
    'Access denied. Verify in IAM that the role has adequate permissions.',
  );
  await refused(
    create(GROUP_ARN, `arn:aws:iam::${ACCOUNT}:role/no-such-role`),
    'InvalidCloudWatchLogsRoleArnException',
    'Access denied. Verify in IAM that the role has adequate permissions.',
  );
});

test('a logging trail delivers the same records to CloudWatch Logs and S3, each once, across kill -9', async () => {
  const trail = await ct.send(
    new CreateTrailCommand({ Name: 'to-logs', S3BucketName: BUCKET, CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: ROLE_ARN }),
  );
  assert.equal(trail.CloudWatchLogsLogGroupArn, GROUP_ARN);
  assert.equal(trail.CloudWatchLogsRoleArn, ROLE_ARN);
  await ct.send(new StartLoggingCommand({ Name: 'to-logs' }));
  const sent: string[] = [];
  for (let round = 0; round < 3; round++) {
    const sts = new STSClient(sdkConfig(server.endpoint, server.root));
    const calls = await Promise.all(Array.from({ length: 40 }, () => sts.send(new GetCallerIdentityCommand({}))));
    sent.push(...calls.map((c) => c.$metadata.requestId ?? ''));
    sts.destroy();
    await new Promise((r) => setTimeout(r, 300 + round * 400));
    await server.kill();
    await server.restart();
  }
  const stoppedAt = Date.now();
  await ct.send(new StopLoggingCommand({ Name: 'to-logs' }));

  const inLogs = async () => {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: [STREAM], nextToken }));
      out.push(...(page.events ?? []).map((e) => e.message ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  };
  const messages = await waitFor('the StopLogging record in CloudWatch Logs', async () => {
    const all = await inLogs();
    return all.some((m) => JSON.parse(m).eventName === 'StopLogging') && all;
  });
  const s3 = s3Client(server.endpoint, server.root);
  const files = await waitFor('the StopLogging record in S3', async () => {
    const records = [];
    for (const key of await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`)) records.push(...JSON.parse(await readGzip(s3, BUCKET, key)).Records);
    return records.some((r: { eventName: string }) => r.eventName === 'StopLogging') && records;
  });
  const ids = (records: { eventID: string }[]) => records.map((r) => r.eventID).sort();
  const fromLogs = messages.map((m) => JSON.parse(m));
  assert.deepEqual(ids(fromLogs), ids(files), 'the same records in both');
  assert.equal(new Set(ids(fromLogs)).size, fromLogs.length, 'each once');
  const calls = new Set(fromLogs.filter((r) => r.eventName === 'GetCallerIdentity').map((r) => r.requestID));
  assert.deepEqual([...calls].sort(), [...sent].sort(), 'every call made, across the kills');

  // each message is the record exactly as Event history has it
  const looked = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartLogging' }] }));
  const start = looked.Events?.[0]?.CloudTrailEvent ?? '';
  assert.ok(messages.includes(start), 'the StartLogging record, byte for byte');

  const status = await ct.send(new GetTrailStatusCommand({ Name: 'to-logs' }));
  // the StopLogging record was delivered after the call: the latest delivery is no earlier (to the second)
  assert.ok((status.LatestCloudWatchLogsDeliveryTime?.getTime() ?? 0) >= stoppedAt - 1000, String(status.LatestCloudWatchLogsDeliveryTime));
  assert.equal(status.LatestCloudWatchLogsDeliveryError, undefined);
});
