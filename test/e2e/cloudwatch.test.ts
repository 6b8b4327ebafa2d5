/**
 * CloudWatch end to end with the official clients (docs/cloudwatch.md): @aws-sdk/client-cloudwatch
 * over Smithy RPC v2 CBOR (the SDK's AwsSmithyRpcV2CborProtocol) and over its default AWS JSON 1.0,
 * Debian's /usr/bin/aws (AWS Query), and a hand-signed JSON 1.0 request. An alarm on a metric goes to
 * ALARM after PutMetricData, and an SQS queue subscribed to the alarm's SNS topic receives AWS's
 * alarm message.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { signedFetch } from './helpers/raw.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let cborClient: CloudWatchClient;
let jsonClient: CloudWatchClient;

before(async () => {
  server = await startServer({ STARTRAIL_ALARMS_INTERVAL: '1' });
  cborClient = new CloudWatchClient({ ...sdkConfig(server.endpoint, server.root), protocol: AwsSmithyRpcV2CborProtocol });
  jsonClient = new CloudWatchClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  cborClient?.destroy();
  jsonClient?.destroy();
  await server?.dispose();
});

const cli = (args: string[]) => awsCli(server.endpoint, server.root, ['cloudwatch', ...args]);

test('the SDK over CBOR and JSON, the CLI over Query and a hand-signed JSON 1.0 call see the same metrics', async () => {
  const t = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
  await cborClient.send(
    new PutMetricDataCommand({
      Namespace: 'E2E',
      MetricData: [{ MetricName: 'Req', Value: 3, Timestamp: t, Dimensions: [{ Name: 'Svc', Value: 'api' }], Unit: 'Count' }],
    }),
  );
  await jsonClient.send(
    new PutMetricDataCommand({
      Namespace: 'E2E',
      MetricData: [{ MetricName: 'Req', Values: [1, 2], Counts: [2, 1], Timestamp: t, Dimensions: [{ Name: 'Svc', Value: 'api' }], Unit: 'Count' }],
    }),
  );
  const put = cli([
    'put-metric-data',
    '--namespace',
    'E2E',
    '--metric-name',
    'Req',
    '--value',
    '4',
    '--unit',
    'Count',
    '--dimensions',
    'Svc=api',
    '--timestamp',
    t.toISOString(),
  ]);
  assert.equal(put.status, 0, put.stderr);
  const raw = await signedFetch(
    server.endpoint,
    server.root,
    'monitoring',
    { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' },
    JSON.stringify({
      Namespace: 'E2E',
      MetricData: [{ MetricName: 'Req', Value: 10, Timestamp: t.getTime() / 1000, Dimensions: [{ Name: 'Svc', Value: 'api' }], Unit: 'Count' }],
    }),
  );
  assert.equal(raw.status, 200, raw.body);

  const stats = cli([
    'get-metric-statistics',
    '--namespace',
    'E2E',
    '--metric-name',
    'Req',
    '--dimensions',
    'Name=Svc,Value=api',
    '--start-time',
    t.toISOString(),
    '--end-time',
    new Date(t.getTime() + 60_000).toISOString(),
    '--period',
    '60',
    '--statistics',
    'Sum',
    'SampleCount',
    'Maximum',
  ]);
  assert.equal(stats.status, 0, stats.stderr);
  assert.deepEqual(stats.json.Datapoints, [{ Timestamp: t.toISOString().replace('.000Z', '+00:00'), Sum: 21, SampleCount: 6, Maximum: 10, Unit: 'Count' }]);

  const listed = await cborClient.send(new ListMetricsCommand({ Namespace: 'E2E' }));
  assert.deepEqual(listed.Metrics, [{ Namespace: 'E2E', MetricName: 'Req', Dimensions: [{ Name: 'Svc', Value: 'api' }] }]);
  const data = await jsonClient.send(
    new GetMetricDataCommand({
      MetricDataQueries: [
        { Id: 'm1', MetricStat: { Metric: { Namespace: 'E2E', MetricName: 'Req', Dimensions: [{ Name: 'Svc', Value: 'api' }] }, Period: 60, Stat: 'Sum' } },
        { Id: 'e1', Expression: 'm1 * 100' },
      ],
      StartTime: t,
      EndTime: new Date(t.getTime() + 60_000),
    }),
  );
  assert.deepEqual(
    data.MetricDataResults?.map((r) => [r.Id, r.Values, r.Timestamps?.map((d) => d.getTime())]),
    [
      ['m1', [21], [t.getTime()]],
      ['e1', [2100], [t.getTime()]],
    ],
  );
});

test('1,000 datums a call: gzipped by the SDK over JSON, plain over CBOR', async () => {
  const data = Array.from({ length: 1000 }, (_, i) => ({ MetricName: 'Bulk', Value: i, Dimensions: [{ Name: 'Shard', Value: String(i % 50) }] }));
  await jsonClient.send(new PutMetricDataCommand({ Namespace: 'BulkJson', MetricData: data }));
  // the SDK's CBOR protocol sets Content-Length before compressing, so a compressed CBOR body is
  // announced longer than it is (docs/cloudwatch.md#protocols): this client sends it uncompressed
  const plain = new CloudWatchClient({ ...sdkConfig(server.endpoint, server.root), protocol: AwsSmithyRpcV2CborProtocol, disableRequestCompression: true });
  try {
    await plain.send(new PutMetricDataCommand({ Namespace: 'BulkCbor', MetricData: data }));
  } finally {
    plain.destroy();
  }
  for (const Namespace of ['BulkJson', 'BulkCbor']) {
    const listed = await jsonClient.send(new ListMetricsCommand({ Namespace }));
    assert.equal(listed.Metrics?.length, 50, Namespace);
  }
});

test('errors reach each client by their AWS names', async () => {
  await assert.rejects(cborClient.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] })), (e: Error) => {
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'The value AWS/EC2 for parameter Namespace is invalid.');
    return true;
  });
  await assert.rejects(jsonClient.send(new DescribeAlarmsCommand({ NextToken: 'nope' })), (e: Error) => e.name === 'InvalidNextToken');
  const r = cli(['set-alarm-state', '--alarm-name', 'none', '--state-value', 'OK', '--state-reason', 'x']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /\(ResourceNotFound\)/);
});

test('an alarm goes to ALARM after PutMetricData and its SNS topic delivers AWS alarm message to an SQS subscriber', async () => {
  const sns = new SNSClient(sdkConfig(server.endpoint, server.root));
  const sqs = new SQSClient(sdkConfig(server.endpoint, server.root));
  try {
    const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
    // the topic lets CloudWatch publish for this account's alarms
    const topicPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: TopicArn,
          Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } },
        },
      ],
    };
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(topicPolicy) }));
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:alarm-inbox';
    const queuePolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': TopicArn } },
        },
      ],
    };
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'alarm-inbox', Attributes: { Policy: JSON.stringify(queuePolicy) } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn }));

    const alarm = cli([
      'put-metric-alarm',
      '--alarm-name',
      'too-hot',
      '--alarm-description',
      'temperature',
      '--namespace',
      'Plant',
      '--metric-name',
      'Temp',
      '--dimensions',
      'Name=Room,Value=boiler',
      '--statistic',
      'Maximum',
      '--period',
      '60',
      '--evaluation-periods',
      '1',
      '--threshold',
      '50',
      '--comparison-operator',
      'GreaterThanThreshold',
      '--alarm-actions',
      TopicArn,
    ]);
    assert.equal(alarm.status, 0, alarm.stderr);
    // a minute ago: inside the last complete period, whenever in the minute this runs
    await cborClient.send(
      new PutMetricDataCommand({
        Namespace: 'Plant',
        MetricData: [{ MetricName: 'Temp', Value: 99, Timestamp: new Date(Date.now() - 60_000), Dimensions: [{ Name: 'Room', Value: 'boiler' }] }],
      }),
    );

    let body: { Message: string; Subject: string } | undefined;
    for (let i = 0; i < 10 && !body; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
      const m = got.Messages?.[0];
      if (m?.Body) body = JSON.parse(m.Body);
    }
    assert.ok(body, 'the alarm notification arrived');
    assert.equal(body.Subject, 'ALARM: "too-hot" in US East (N. Virginia)');
    const msg = JSON.parse(body.Message);
    assert.equal(msg.AlarmName, 'too-hot');
    assert.equal(msg.AlarmDescription, 'temperature');
    assert.equal(msg.NewStateValue, 'ALARM');
    assert.equal(msg.OldStateValue, 'INSUFFICIENT_DATA');
    assert.equal(msg.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:too-hot');
    assert.match(
      msg.NewStateReason,
      /^Threshold Crossed: 1 out of the last 1 datapoints \[99\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(50\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/,
    );
    assert.equal(msg.Trigger.TreatMissingData, '');
    assert.equal(msg.Trigger.Statistic, 'MAXIMUM');
    assert.deepEqual(msg.Trigger.Dimensions, [{ value: 'boiler', name: 'Room' }]);

    const described = cli(['describe-alarms', '--alarm-names', 'too-hot']);
    assert.equal(described.json.MetricAlarms[0].StateValue, 'ALARM');
    const history = cli(['describe-alarm-history', '--alarm-name', 'too-hot', '--history-item-type', 'StateUpdate']);
    assert.equal(history.json.AlarmHistoryItems[0].HistorySummary, 'Alarm updated from INSUFFICIENT_DATA to ALARM');
  } finally {
    sns.destroy();
    sqs.destroy();
  }
});
