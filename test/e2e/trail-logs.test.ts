/**
 * Trails to CloudWatch Logs with the official clients (docs/trail-logs.md): the validation errors of
 * CreateTrail; a logging trail with a log group delivers every record to CloudWatch Logs and to S3,
 * each exactly once, the log event being the record's JSON text; GetTrailStatus's
 * LatestCloudWatchLogsDeliveryTime advances; and startrail killed with SIGKILL while it delivers still
 * delivers every record once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, listKeys, readGzip, s3Client, waitFor } from './helpers/delivery.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { PutBucketPolicyCommand, CreateBucketCommand } from '@aws-sdk/client-s3';

const ACCOUNT = '000000000000';
const BUCKET = 'cwl-trail-logs';
const GROUP = 'trail-group';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/trail-to-logs`;
const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;

let server: TestServer;
const clients = () => {
  const config = sdkConfig(server.endpoint, server.root);
  return { ct: new CloudTrailClient(config), logs: new CloudWatchLogsClient(config), sts: new STSClient(config) };
};

async function refused(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x as { name?: string; message?: string },
  );
  assert.equal(e?.name, code);
  if (message) assert.equal(e?.message, message);
}

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1' });
  const config = sdkConfig(server.endpoint, server.root);
  const s3 = s3Client(server.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT) }));
  await new CloudWatchLogsClient(config).send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  const iam = new IAMClient(config);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'trail-to-logs',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'untrusted',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'trail-to-logs',
      PolicyName: 'write',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:log-stream:*`,
          },
        ],
      }),
    }),
  );
});

after(async () => {
  await server?.dispose();
});

test('CreateTrail refuses a missing group, an untrusted role, a group without a role', async () => {
  const { ct } = clients();
  const base = { Name: 'bad-trail', S3BucketName: BUCKET };
  await refused(ct.send(new CreateTrailCommand({ ...base, CloudWatchLogsLogGroupArn: GROUP_ARN })), 'InvalidParameterCombinationException');
  await refused(
    ct.send(
      new CreateTrailCommand({ ...base, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:absent:*`, CloudWatchLogsRoleArn: ROLE_ARN }),
    ),
    'InvalidCloudWatchLogsLogGroupArnException',
    'Access denied. Check the permissions for your role.',
  );
  await refused(
    ct.send(new CreateTrailCommand({ ...base, CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/untrusted` })),
    'InvalidCloudWatchLogsRoleArnException',
    'Access denied. Check the trust relationships for your role.',
  );
});

/** requestID → how many times it is in the group's stream. */
async function inLogs(logs: CloudWatchLogsClient): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let token: string | undefined;
  for (;;) {
    const r = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, ...(token ? { nextToken: token } : {}) }),
    );
    for (const e of r.events ?? []) {
      const id = (JSON.parse(e.message ?? '{}') as { requestID?: string }).requestID ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    if (!r.nextForwardToken || r.nextForwardToken === token) return seen;
    token = r.nextForwardToken;
  }
}

test('records reach CloudWatch Logs and S3 exactly once, across SIGKILL; LatestCloudWatchLogsDeliveryTime advances', async () => {
  let { ct, logs, sts } = clients();
  await ct.send(new CreateTrailCommand({ Name: 'to-logs', S3BucketName: BUCKET, CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: ROLE_ARN }));
  await ct.send(new StartLoggingCommand({ Name: 'to-logs' }));
  const sent: string[] = [];
  for (let round = 0; round < 3; round++) {
    const calls = await Promise.all(Array.from({ length: 30 }, () => sts.send(new GetCallerIdentityCommand({}))));
    sent.push(...calls.map((c) => c.$metadata.requestId ?? ''));
    if (round === 0) {
      const first = await waitFor(
        'a CloudWatch Logs delivery',
        async () => (await ct.send(new GetTrailStatusCommand({ Name: 'to-logs' }))).LatestCloudWatchLogsDeliveryTime,
      );
      assert.ok(first instanceof Date);
    }
    // kill at a different point of the delivery cycle each round (ticks every second)
    await new Promise((r) => setTimeout(r, 200 + round * 400));
    await server.kill();
    await server.restart();
    ({ ct, logs, sts } = clients());
  }
  const before = (await ct.send(new GetTrailStatusCommand({ Name: 'to-logs' }))).LatestCloudWatchLogsDeliveryTime;
  await ct.send(new StopLoggingCommand({ Name: 'to-logs' }));
  const seen = await waitFor(
    'every call in CloudWatch Logs',
    async () => {
      const m = await inLogs(logs);
      return sent.every((id) => m.has(id)) && m;
    },
    45_000,
  );
  const twice = sent.filter((id) => (seen.get(id) ?? 0) > 1);
  assert.deepEqual(twice, [], 'no record twice in CloudWatch Logs');
  assert.ok([...seen.values()].every((n) => n === 1));
  const after = (await ct.send(new GetTrailStatusCommand({ Name: 'to-logs' }))).LatestCloudWatchLogsDeliveryTime;
  assert.ok(after && before && after.getTime() >= before.getTime());

  // the same records in S3, once each
  const s3 = s3Client(server.endpoint, server.root);
  const inS3 = await waitFor(
    'every call in S3',
    async () => {
      const m = new Map<string, number>();
      for (const key of await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`))
        for (const r of JSON.parse(await readGzip(s3, BUCKET, key)).Records as { requestID: string }[]) m.set(r.requestID, (m.get(r.requestID) ?? 0) + 1);
      return sent.every((id) => m.has(id)) && m;
    },
    45_000,
  );
  assert.deepEqual(
    sent.filter((id) => inS3.get(id) !== 1),
    [],
  );
});
