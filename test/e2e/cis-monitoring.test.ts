/**
 * The CIS AWS Foundations Benchmark's monitoring chain (Security Hub CloudWatch.1–14,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html) end to end with the official
 * clients: a trail sends its records to a CloudWatch Logs log group; each control's metric filter,
 * its pattern copied verbatim from AWS's documentation, counts matching records into a metric; an
 * alarm on each metric notifies an SNS topic that an SQS queue subscribes to. Ordinary calls put
 * nothing in any metric; one triggering call per control moves its alarm to ALARM and the queue
 * receives AWS's alarm message. The controls whose calls are of services startrail does not serve
 * (KMS, Config, EC2 networking: CloudWatch.7 and 9–14) are wired the same way and stay quiet.
 * docs/trail-logs.md, docs/logs.md, docs/cloudwatch.md.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CIS_METRIC_FILTERS } from '../../src/services/logs/filter-pattern/cis.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, s3Client, waitFor } from './helpers/delivery.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { cloudTrailLogsRole } from './helpers/trail-logs.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'cis-trail-logs';
const GROUP = 'CloudTrail/DefaultLogGroup';
const NAMESPACE = 'CISBenchmark';
/** the controls one call can trigger here, and that call */
const TRIGGERED = ['CloudWatch.1', 'CloudWatch.2', 'CloudWatch.3', 'CloudWatch.4', 'CloudWatch.5', 'CloudWatch.6', 'CloudWatch.8'];

let server: TestServer;
let ops: Credentials;
let plain: Credentials;
let topicArn = '';
let queueUrl = '';

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const key = async (iam: IAMClient, UserName: string): Promise<Credentials> => {
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey;
  return { accessKeyId: k?.AccessKeyId ?? '', secretAccessKey: k?.SecretAccessKey ?? '' };
};

/** A web-console sign-in (an STS call the console marks as ConsoleLogin; docs/architecture.md#console). */
const consoleSignIn = (c: Credentials) =>
  fetch(`${server.endpoint}/console/api/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }),
  });

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_ALARMS_INTERVAL: '1' });
  const root = server.root;
  const iam = new IAMClient(sdkConfig(server.endpoint, root));
  for (const args of [
    ['s3', 'mb', `s3://${BUCKET}`],
    ['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', cloudTrailBucketPolicy(BUCKET, ACCOUNT)],
  ]) {
    const r = awsCli(server.endpoint, root, args);
    assert.equal(r.status, 0, r.stderr);
  }
  // the alarm topic and its subscriber queue
  const sns = new SNSClient(sdkConfig(server.endpoint, root));
  const sqs = new SQSClient(sdkConfig(server.endpoint, root));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'cis-alarms' }))).TopicArn ?? '';
  const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:cis-alarms`;
  queueUrl =
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'cis-alarms',
          Attributes: {
            Policy: doc({
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            }),
          },
        }),
      )
    ).QueueUrl ?? '';
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  // an administrator who does the day's work (not root: root's every call is CloudWatch.1), a user with no permissions
  for (const UserName of ['ops', 'plain']) await iam.send(new CreateUserCommand({ UserName }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  ops = await key(iam, 'ops');
  plain = await key(iam, 'plain');
  // the trail to CloudWatch Logs, as AWS's guide sets it up
  const logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, root));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await cloudTrailLogsRole(iam, {
    roleName: 'CloudTrail_CloudWatchLogs_Role',
    account: ACCOUNT,
    group: GROUP,
    resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
  });
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, root));
  await ct.send(
    new CreateTrailCommand({
      Name: 'cis',
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role`,
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: 'cis' }));
  // the filters start counting once the trail's first records (root's StartLogging) are in the group
  await waitFor('the StartLogging record in the log group', async () => (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events?.length);
  for (const c of [iam, sns, sqs, logs, ct]) c.destroy();
});

after(async () => {
  await server?.dispose();
});

test('every CIS / Security Hub CloudWatch.1–14 metric filter and its alarm, as AWS documents them', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, ops));
  const cw = new CloudWatchClient(sdkConfig(server.endpoint, ops));
  for (const f of CIS_METRIC_FILTERS) {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: f.control,
        filterPattern: f.pattern,
        metricTransformations: [{ metricName: f.control, metricNamespace: NAMESPACE, metricValue: '1' }],
      }),
    );
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: `cis-${f.control}`,
        AlarmDescription: f.title,
        Namespace: NAMESPACE,
        MetricName: f.control,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicArn],
      }),
    );
  }
  assert.equal(CIS_METRIC_FILTERS.length, 14);
  logs.destroy();
  cw.destroy();
});

test('ordinary calls put nothing in any metric; one triggering call per control moves its alarm to ALARM with AWS’s message', async () => {
  const since = new Date(Date.now() - 1000);
  const iam = new IAMClient(sdkConfig(server.endpoint, ops));
  const logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, ops));
  const cw = new CloudWatchClient(sdkConfig(server.endpoint, ops));
  // a working day's reads and writes by the administrator
  await iam.send(new ListUsersCommand({}));
  await iam.send(new GetUserCommand({ UserName: 'plain' }));
  await s3Client(server.endpoint, ops).send(new ListBucketsCommand({}));
  await new SQSClient(sdkConfig(server.endpoint, ops)).send(new CreateQueueCommand({ QueueName: 'work' }));
  const marker = await iam.send(new CreateUserCommand({ UserName: 'marker' }));
  await waitFor('the ordinary calls in the log group', async () => {
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.eventName = "CreateUser" }' }))).events ?? [];
    return events.some((e) => JSON.parse(e.message ?? '{}').requestParameters?.userName === marker.User?.UserName);
  });
  for (const f of CIS_METRIC_FILTERS) {
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: NAMESPACE,
        MetricName: f.control,
        StartTime: since,
        EndTime: new Date(Date.now() + 60_000),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    assert.deepEqual(stats.Datapoints ?? [], [], `${f.control}: no datapoint from ordinary calls`);
  }

  // one call per control that can be triggered here
  await s3Client(server.endpoint, server.root).send(new ListBucketsCommand({})); // CloudWatch.1: the root user
  await assert.rejects(new IAMClient(sdkConfig(server.endpoint, plain)).send(new ListUsersCommand({})), { name: 'AccessDenied' }); // .2: unauthorized
  assert.equal((await consoleSignIn(plain)).status, 200); // .3: console sign-in without MFA
  await iam.send(
    new PutUserPolicyCommand({ UserName: 'plain', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }) }),
  ); // .4
  await new CloudTrailClient(sdkConfig(server.endpoint, ops)).send(new CreateTrailCommand({ Name: 'second', S3BucketName: BUCKET })); // .5
  assert.equal((await consoleSignIn({ ...plain, secretAccessKey: 'wrong'.repeat(8) })).status >= 400, true); // .6: console authentication failure
  await s3Client(server.endpoint, ops).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT) })); // .8

  const states = await waitFor(
    'the triggered alarms in ALARM',
    async () => {
      const alarms = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cis-' }))).MetricAlarms ?? [];
      const byName = Object.fromEntries(alarms.map((a) => [a.AlarmName, a.StateValue]));
      return TRIGGERED.every((c) => byName[`cis-${c}`] === 'ALARM') && byName;
    },
    150_000,
  );
  for (const f of CIS_METRIC_FILTERS) {
    assert.equal(states[`cis-${f.control}`], TRIGGERED.includes(f.control) ? 'ALARM' : 'OK', f.control);
  }

  // each transition to ALARM reached the queue as AWS's alarm message, in SNS's envelope
  const sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  const received = new Map<string, Record<string, any>>();
  await waitFor('an alarm message per triggered control', async () => {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) {
      const envelope = JSON.parse(m.Body ?? '{}');
      const alarm = JSON.parse(envelope.Message);
      if (alarm.NewStateValue === 'ALARM') received.set(alarm.AlarmName, { ...alarm, Subject: envelope.Subject });
    }
    return TRIGGERED.every((c) => received.has(`cis-${c}`));
  });
  const root = received.get('cis-CloudWatch.1') ?? {};
  assert.equal(root.Subject, 'ALARM: "cis-CloudWatch.1" in US East (N. Virginia)');
  assert.equal(root.AWSAccountId, ACCOUNT);
  assert.ok(['OK', 'INSUFFICIENT_DATA'].includes(root.OldStateValue), root.OldStateValue);
  assert.equal(root.AlarmArn, `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cis-CloudWatch.1`);
  assert.match(root.NewStateReason, /^Threshold Crossed: 1 out of the last 1 datapoints \[\d+\.0 \(/);
  assert.deepEqual(
    { MetricName: root.Trigger?.MetricName, Namespace: root.Trigger?.Namespace, Statistic: root.Trigger?.Statistic, Threshold: root.Trigger?.Threshold },
    { MetricName: 'CloudWatch.1', Namespace: NAMESPACE, Statistic: 'SUM', Threshold: 1 },
  );

  // the same alarms through the AWS CLI (AWS Query)
  const cli = awsCli(server.endpoint, ops, ['cloudwatch', 'describe-alarms', '--state-value', 'ALARM', '--alarm-name-prefix', 'cis-']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(cli.json.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName).sort(), TRIGGERED.map((c) => `cis-${c}`).sort());
  for (const c of [iam, logs, cw, sqs]) c.destroy();
});
