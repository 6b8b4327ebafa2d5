/**
 * CloudWatch through the in-process pipeline (src/pipeline/testing.ts): the three protocols (CBOR,
 * JSON 1.0, Query), each operation, statistics and math, errors with their Query codes, the audit
 * records, and alarm evaluation on a fixed clock with its SNS action.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cbor } from '@smithy/core/cbor';
import { tickAlarms } from '../alarms/loop.ts';
import { noDestinations, type Destinations, type ServicePublish } from '../delivery/destinations.ts';
import { randomIds } from '../ids.ts';
import { serializeCbor, encodeCborValue } from '../protocol/rpcv2-cbor/index.ts';
import { loadModel } from '../protocol/model.ts';
import { changeState } from '../services/cloudwatch/alarm-state.ts';
import { putServiceMetricData } from '../services/cloudwatch/ingest.ts';
import { harness, type Harness, type Reply } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const model = loadModel('cloudwatch');
const PREFIX = 'GraniteServiceVersion20100801';

async function viaCbor(op: string, input: object = {}): Promise<{ r: Reply; body: any }> {
  const shape = model.operations[op]?.input;
  const r = await h.send({
    service: 'monitoring',
    path: `/service/${PREFIX}/operation/${op}`,
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
    body: serializeCbor(encodeCborValue(model, shape, input) ?? {}),
  });
  return { r, body: r.raw.length ? cbor.deserialize(r.raw) : undefined };
}
const viaJson = (op: string, input: object = {}) =>
  h.send({ service: 'monitoring', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${PREFIX}.${op}` }, body: JSON.stringify(input) });
const viaQuery = (action: string, params: Record<string, string> = {}) =>
  h.send({
    service: 'monitoring',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Action: action, Version: '2010-08-01', ...params }).toString(),
  });

const minute = (n: number) => Math.floor(h.now().getTime() / 60_000) * 60_000 + n * 60_000;
const seconds = (ms: number) => ms / 1000;

test('PutMetricData over CBOR, JSON 1.0 and Query all land; GetMetricStatistics sums them per period', async () => {
  const t = minute(-5);
  const c = await viaCbor('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Hits', Value: 1, Timestamp: new Date(t + 1000), Unit: 'Count' }] });
  assert.equal(c.r.status, 200, JSON.stringify(c.body));
  assert.equal(c.r.headers['smithy-protocol'], 'rpc-v2-cbor');
  const j = await viaJson('PutMetricData', {
    Namespace: 'App',
    MetricData: [{ MetricName: 'Hits', Values: [2, 4], Counts: [1, 2], Timestamp: seconds(t + 2000), Unit: 'Count' }],
  });
  assert.equal(j.status, 200, j.text);
  const q = await viaQuery('PutMetricData', {
    Namespace: 'App',
    'MetricData.member.1.MetricName': 'Hits',
    'MetricData.member.1.StatisticValues.SampleCount': '2',
    'MetricData.member.1.StatisticValues.Sum': '10',
    'MetricData.member.1.StatisticValues.Minimum': '3',
    'MetricData.member.1.StatisticValues.Maximum': '7',
    'MetricData.member.1.Timestamp': new Date(t + 61_000).toISOString(),
    'MetricData.member.1.Unit': 'Count',
  });
  assert.equal(q.status, 200, q.text);
  const stats = await viaJson('GetMetricStatistics', {
    Namespace: 'App',
    MetricName: 'Hits',
    StartTime: seconds(t),
    EndTime: seconds(t + 120_000),
    Period: 60,
    Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'],
    ExtendedStatistics: ['p50'],
  });
  assert.equal(stats.status, 200, stats.text);
  const dps = stats.json().Datapoints;
  assert.deepEqual(dps, [
    { Timestamp: seconds(t), Sum: 11, SampleCount: 4, Average: 2.75, Minimum: 1, Maximum: 4, ExtendedStatistics: { p50: 2 }, Unit: 'Count' },
    { Timestamp: seconds(t + 60_000), Sum: 10, SampleCount: 2, Average: 5, Minimum: 3, Maximum: 7, ExtendedStatistics: {}, Unit: 'Count' },
  ]);
  // the Query answer: XML, member lists
  const xml = (
    await viaQuery('GetMetricStatistics', {
      Namespace: 'App',
      MetricName: 'Hits',
      StartTime: new Date(t).toISOString(),
      EndTime: new Date(t + 60_000).toISOString(),
      Period: '60',
      'Statistics.member.1': 'Sum',
    })
  ).xml();
  assert.equal(xml.GetMetricStatisticsResponse.GetMetricStatisticsResult.Datapoints.member.Sum, '11');
});

test('PutMetricData limits: AWS/ namespaces, old timestamps, Value with StatisticValues, too many dimensions', async () => {
  const aws = await viaJson('PutMetricData', { Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] });
  assert.equal(aws.status, 400);
  assert.equal(aws.json().__type, 'InvalidParameterValueException');
  assert.equal(aws.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  assert.equal(aws.json().message, 'The value AWS/EC2 for parameter Namespace is invalid.');
  const old = await viaQuery('PutMetricData', {
    Namespace: 'App',
    'MetricData.member.1.MetricName': 'x',
    'MetricData.member.1.Value': '1',
    'MetricData.member.1.Timestamp': new Date(h.now().getTime() - 15 * 86400_000).toISOString(),
  });
  assert.equal(old.status, 400);
  assert.equal(old.xml().ErrorResponse.Error.Code, 'InvalidParameterValue');
  assert.match(old.xml().ErrorResponse.Error.Message, /MetricData\.member\.1\.Timestamp must specify a time no more than two weeks in the past/);
  const both = await viaCbor('PutMetricData', {
    Namespace: 'App',
    MetricData: [{ MetricName: 'x', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }],
  });
  assert.equal(both.r.status, 400);
  assert.equal(both.body.__type, 'InvalidParameterCombinationException');
  assert.equal(both.r.headers['x-amzn-query-error'], 'InvalidParameterCombination;Sender');
  const dims = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
  const many = await viaJson('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Dimensions: dims }] });
  assert.equal(many.status, 400);
  // the model's own limit (30), reported as a constraint violation
  assert.equal(many.headers['x-amzn-query-error'], 'ValidationError;Sender');
  const listed = await viaJson('ListMetrics', { Namespace: 'App', MetricName: 'x' });
  assert.deepEqual(listed.json().Metrics, [], 'nothing of a refused call is stored');
});

test('bad CBOR is a 400 SerializationException in CBOR form, never a 5xx', async () => {
  const r = await h.send({
    service: 'monitoring',
    path: `/service/${PREFIX}/operation/ListMetrics`,
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
    body: Buffer.from([0xbf, 0x61]),
  });
  assert.equal(r.status, 400);
  assert.equal(r.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal((cbor.deserialize(r.raw) as { __type: string }).__type, 'SerializationException');
  const unknown = await h.send({
    service: 'monitoring',
    path: `/service/${PREFIX}/operation/Nope`,
    headers: { 'smithy-protocol': 'rpc-v2-cbor' },
    body: serializeCbor({}),
  });
  assert.equal(unknown.status, 400);
  assert.equal((cbor.deserialize(unknown.raw) as { __type: string }).__type, 'UnknownOperationException');
});

test('ListMetrics filters by namespace, name and dimensions; keys dimensions in any order as one metric', async () => {
  await viaJson('PutMetricData', {
    Namespace: 'Shop',
    MetricData: [
      {
        MetricName: 'Orders',
        Value: 1,
        Dimensions: [
          { Name: 'Region', Value: 'eu' },
          { Name: 'Tier', Value: 'gold' },
        ],
      },
      {
        MetricName: 'Orders',
        Value: 1,
        Dimensions: [
          { Name: 'Tier', Value: 'gold' },
          { Name: 'Region', Value: 'eu' },
        ],
      },
      { MetricName: 'Orders', Value: 1, Dimensions: [{ Name: 'Region', Value: 'us' }] },
      { MetricName: 'Refunds', Value: 1 },
    ],
  });
  const all = (await viaJson('ListMetrics', { Namespace: 'Shop' })).json().Metrics;
  assert.equal(all.length, 3);
  const eu = (await viaJson('ListMetrics', { Namespace: 'Shop', Dimensions: [{ Name: 'Region', Value: 'eu' }] })).json().Metrics;
  assert.deepEqual(eu, [
    {
      Namespace: 'Shop',
      MetricName: 'Orders',
      Dimensions: [
        { Name: 'Region', Value: 'eu' },
        { Name: 'Tier', Value: 'gold' },
      ],
    },
  ]);
  const withRegion = (await viaCbor('ListMetrics', { Namespace: 'Shop', Dimensions: [{ Name: 'Region' }] })).body.Metrics;
  assert.equal(withRegion.length, 2);
  const recent = (await viaJson('ListMetrics', { Namespace: 'Shop', RecentlyActive: 'PT3H' })).json().Metrics;
  assert.equal(recent.length, 3);
  const bad = await viaJson('ListMetrics', { NextToken: 'garbage' });
  assert.equal(bad.status, 400);
});

test('GetMetricData: MetricStat, SUM(METRICS()), m1 + m2, m1 * 100, ReturnData false, ScanBy and paging', async () => {
  const t = minute(-10);
  await viaJson('PutMetricData', {
    Namespace: 'Math',
    MetricData: [
      { MetricName: 'A', Value: 1, Timestamp: seconds(t) },
      { MetricName: 'A', Value: 2, Timestamp: seconds(t + 60_000) },
      { MetricName: 'B', Value: 10, Timestamp: seconds(t) },
      { MetricName: 'B', Value: 20, Timestamp: seconds(t + 60_000) },
    ],
  });
  const stat = (id: string, name: string, ReturnData = true) => ({
    Id: id,
    ReturnData,
    MetricStat: { Metric: { Namespace: 'Math', MetricName: name }, Period: 60, Stat: 'Sum' },
  });
  const r = await viaCbor('GetMetricData', {
    MetricDataQueries: [
      stat('m1', 'A'),
      stat('m2', 'B', false),
      { Id: 'total', Expression: 'SUM(METRICS())', Label: 'Total' },
      { Id: 'plus', Expression: 'm1 + m2' },
      { Id: 'pct', Expression: 'm1 * 100' },
    ],
    StartTime: new Date(t),
    EndTime: new Date(t + 120_000),
    ScanBy: 'TimestampAscending',
  });
  assert.equal(r.r.status, 200, JSON.stringify(r.body));
  const byId = Object.fromEntries(
    (r.body.MetricDataResults as { Id: string; Label: string; Values: number[]; Timestamps: { value: number }[]; StatusCode: string }[]).map((x) => [x.Id, x]),
  );
  assert.deepEqual(Object.keys(byId), ['m1', 'total', 'plus', 'pct'], 'm2 has ReturnData false');
  assert.deepEqual(byId.m1?.Values, [1, 2]);
  assert.equal(byId.m1?.Label, 'A');
  assert.deepEqual(
    byId.m1?.Timestamps.map((x) => x.value * 1000),
    [t, t + 60_000],
  );
  assert.deepEqual(byId.total?.Values, [11, 22]);
  assert.equal(byId.total?.Label, 'Total');
  assert.deepEqual(byId.plus?.Values, [11, 22]);
  assert.deepEqual(byId.pct?.Values, [100, 200]);
  assert.equal(byId.pct?.StatusCode, 'Complete');
  // descending by default, and paged by MaxDatapoints
  const first = (
    await viaJson('GetMetricData', { MetricDataQueries: [stat('m1', 'A')], StartTime: seconds(t), EndTime: seconds(t + 120_000), MaxDatapoints: 1 })
  ).json();
  assert.deepEqual(first.MetricDataResults[0].Values, [2]);
  assert.equal(first.MetricDataResults[0].StatusCode, 'PartialData');
  assert.ok(first.NextToken);
  const second = (
    await viaJson('GetMetricData', {
      MetricDataQueries: [stat('m1', 'A')],
      StartTime: seconds(t),
      EndTime: seconds(t + 120_000),
      MaxDatapoints: 1,
      NextToken: first.NextToken,
    })
  ).json();
  assert.deepEqual(second.MetricDataResults[0].Values, [1]);
  assert.equal(second.NextToken, undefined);
  const badExpr = await viaJson('GetMetricData', {
    MetricDataQueries: [{ Id: 'e1', Expression: 'm9 +' }],
    StartTime: seconds(t),
    EndTime: seconds(t + 60_000),
  });
  assert.equal(badExpr.status, 400);
  assert.equal(badExpr.headers['x-amzn-query-error'], 'ValidationError;Sender');
  const badToken = await viaJson('GetMetricData', {
    MetricDataQueries: [stat('m1', 'A')],
    StartTime: seconds(t),
    EndTime: seconds(t + 60_000),
    NextToken: 'x',
  });
  assert.equal(badToken.json().__type, 'InvalidNextToken');
});

test('GetMetricStatistics refuses more than 1,440 datapoints and a bad period', async () => {
  const now = h.now().getTime();
  const many = await viaJson('GetMetricStatistics', {
    Namespace: 'App',
    MetricName: 'Hits',
    StartTime: seconds(now - 2 * 86400_000),
    EndTime: seconds(now),
    Period: 60,
    Statistics: ['Sum'],
  });
  assert.equal(many.status, 400);
  assert.equal(many.headers['x-amzn-query-error'], 'InvalidParameterCombination;Sender');
  assert.match(many.json().message, /which exceeds the limit of 1,440/);
  const period = await viaJson('GetMetricStatistics', {
    Namespace: 'App',
    MetricName: 'Hits',
    StartTime: seconds(now - 3600_000),
    EndTime: seconds(now),
    Period: 61,
    Statistics: ['Sum'],
  });
  assert.equal(period.json().message, 'The parameter Period must be a multiple of 60.');
});

test('alarms: PutMetricAlarm, DescribeAlarms (names, prefix, state, action prefix), history, tags, enable/disable, delete', async () => {
  const topic = 'arn:aws:sns:us-east-1:000000000000:alerts';
  const put = await viaJson('PutMetricAlarm', {
    AlarmName: 'high-cpu',
    Namespace: 'Srv',
    MetricName: 'CPU',
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
    AlarmActions: [topic],
    Tags: [{ Key: 'team', Value: 'ops' }],
  });
  assert.equal(put.status, 200, put.text);
  await viaJson('PutMetricAlarm', {
    AlarmName: 'low-disk',
    Namespace: 'Srv',
    MetricName: 'Disk',
    Statistic: 'Minimum',
    Period: 300,
    EvaluationPeriods: 2,
    Threshold: 5,
    ComparisonOperator: 'LessThanThreshold',
  });
  const d = (await viaJson('DescribeAlarms', { AlarmNames: ['high-cpu'] })).json().MetricAlarms;
  assert.equal(d.length, 1);
  assert.equal(d[0].AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-cpu');
  assert.equal(d[0].StateValue, 'INSUFFICIENT_DATA');
  assert.equal(d[0].StateReason, 'Unchecked: Initial alarm creation');
  assert.equal(d[0].ActionsEnabled, true);
  assert.deepEqual(d[0].AlarmActions, [topic]);
  assert.equal((await viaJson('DescribeAlarms', { AlarmNamePrefix: 'low' })).json().MetricAlarms[0].AlarmName, 'low-disk');
  assert.equal((await viaJson('DescribeAlarms', { ActionPrefix: 'arn:aws:sns' })).json().MetricAlarms.length, 1);
  assert.equal((await viaJson('DescribeAlarms', { StateValue: 'ALARM' })).json().MetricAlarms.length, 0);
  const paged = (await viaJson('DescribeAlarms', { MaxRecords: 1 })).json();
  assert.equal(paged.MetricAlarms[0].AlarmName, 'high-cpu');
  assert.equal((await viaJson('DescribeAlarms', { MaxRecords: 1, NextToken: paged.NextToken })).json().MetricAlarms[0].AlarmName, 'low-disk');
  const forMetric = (await viaCbor('DescribeAlarmsForMetric', { Namespace: 'Srv', MetricName: 'CPU' })).body.MetricAlarms;
  assert.deepEqual(
    forMetric.map((a: { AlarmName: string }) => a.AlarmName),
    ['high-cpu'],
  );
  const tags = (await viaJson('ListTagsForResource', { ResourceARN: d[0].AlarmArn })).json();
  assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'ops' }]);
  await viaJson('TagResource', { ResourceARN: d[0].AlarmArn, Tags: [{ Key: 'env', Value: 'prod' }] });
  await viaJson('UntagResource', { ResourceARN: d[0].AlarmArn, TagKeys: ['team'] });
  assert.deepEqual((await viaJson('ListTagsForResource', { ResourceARN: d[0].AlarmArn })).json().Tags, [{ Key: 'env', Value: 'prod' }]);
  const missingTag = await viaJson('ListTagsForResource', { ResourceARN: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope' });
  assert.equal(missingTag.status, 404);
  assert.equal(missingTag.json().__type, 'ResourceNotFoundException');
  await viaJson('DisableAlarmActions', { AlarmNames: ['low-disk'] });
  assert.equal((await viaJson('DescribeAlarms', { AlarmNames: ['low-disk'] })).json().MetricAlarms[0].ActionsEnabled, false);
  const hist = (await viaJson('DescribeAlarmHistory', { AlarmName: 'high-cpu' })).json().AlarmHistoryItems;
  assert.equal(hist[0].HistoryItemType, 'ConfigurationUpdate');
  assert.equal(hist[0].HistorySummary, 'Alarm "high-cpu" created');
  assert.equal(JSON.parse(hist[0].HistoryData).type, 'Create');
  const notFound = await viaQuery('DeleteAlarms', { 'AlarmNames.member.1': 'low-disk', 'AlarmNames.member.2': 'nope' });
  assert.equal(notFound.status, 404);
  assert.equal(notFound.xml().ErrorResponse.Error.Code, 'ResourceNotFound');
  assert.equal((await viaJson('DescribeAlarms', { AlarmNames: ['low-disk'] })).json().MetricAlarms.length, 1, 'nothing deleted');
  assert.equal((await viaQuery('DeleteAlarms', { 'AlarmNames.member.1': 'low-disk' })).status, 200);
  assert.equal((await viaJson('DescribeAlarms', { AlarmNames: ['low-disk'] })).json().MetricAlarms.length, 0);
  const invalid = await viaJson('PutMetricAlarm', {
    AlarmName: 'x',
    Namespace: 'Srv',
    MetricName: 'CPU',
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 2,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.headers['x-amzn-query-error'], 'ValidationError;Sender');
});

test('alarm evaluation on a fixed clock: ALARM once the metric crosses, an SNS publish with AWS message, OK again, exactly once', async () => {
  const published: ServicePublish[] = [];
  const destinations: Destinations = {
    deliverServiceMessage: async () => ({ ok: false, reason: 'no-such-queue' }),
    queueAllowsService: async () => 'no-such-queue',
    publishFromService: async (_s, p) => {
      published.push(p);
      return { ok: true, messageId: 'm' };
    },
    topicAllowsService: async () => 'allowed',
  };
  const topic = 'arn:aws:sns:us-east-1:000000000000:pager';
  await viaJson('PutMetricAlarm', {
    AlarmName: 'latency',
    AlarmDescription: 'p1',
    Namespace: 'Web',
    MetricName: 'Latency',
    Dimensions: [{ Name: 'Host', Value: 'a' }],
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    Threshold: 100,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topic],
    OKActions: [topic],
  });
  const T = Math.floor(h.now().getTime() / 60_000) * 60_000 + 30_000; // 30 s into a minute
  const deps = { store: h.store, config: h.deps.config, ids: randomIds, destinations, clock: () => new Date(T), log: () => {} };
  const put = (v: number, at: number) =>
    putServiceMetricData(
      h.store,
      { accountId: '000000000000', region: 'us-east-1', namespace: 'Web' },
      [{ metricName: 'Latency', dimensions: [{ Name: 'Host', Value: 'a' }], timestamp: new Date(at), value: v }],
      new Date(T),
    );
  await tickAlarms(deps, new Date(T));
  let a = (await viaJson('DescribeAlarms', { AlarmNames: ['latency'] })).json().MetricAlarms[0];
  assert.equal(a.StateValue, 'OK', 'missing data treated as not breaching');
  assert.match(a.StateReason, /treated as \[NonBreaching\]/);
  assert.equal(published.length, 1);
  await put(150, T - 120_000);
  await put(120, T - 90_000);
  const report = await tickAlarms(deps, new Date(T));
  assert.equal(report.transitions, 1);
  a = (await viaJson('DescribeAlarms', { AlarmNames: ['latency'] })).json().MetricAlarms[0];
  assert.equal(a.StateValue, 'ALARM');
  const minuteAt = (ms: number) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00`;
  };
  const end = T - 30_000;
  assert.equal(
    a.StateReason,
    `Threshold Crossed: 2 out of the last 2 datapoints [120.0 (${minuteAt(end - 60_000)}), 150.0 (${minuteAt(end - 120_000)})] were greater than the threshold (100.0) (minimum 2 datapoints for OK -> ALARM transition).`,
  );
  const data = JSON.parse(a.StateReasonData);
  assert.deepEqual(data.recentDatapoints, [150, 120]);
  assert.equal(data.statistic, 'Maximum');
  assert.equal(data.threshold, 100);
  assert.equal(published.length, 2);
  const sent = published[1];
  assert.ok(sent);
  const msg = JSON.parse(sent.message);
  assert.equal(sent.subject, 'ALARM: "latency" in US East (N. Virginia)');
  assert.equal(sent.servicePrincipal, 'cloudwatch.amazonaws.com');
  assert.equal(sent.sourceArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:latency');
  assert.equal(msg.AlarmName, 'latency');
  assert.equal(msg.AlarmDescription, 'p1');
  assert.equal(msg.AWSAccountId, '000000000000');
  assert.equal(msg.NewStateValue, 'ALARM');
  assert.equal(msg.OldStateValue, 'OK');
  assert.equal(msg.Region, 'US East (N. Virginia)');
  assert.deepEqual(msg.Trigger, {
    MetricName: 'Latency',
    Namespace: 'Web',
    StatisticType: 'Statistic',
    Statistic: 'MAXIMUM',
    Unit: null,
    Dimensions: [{ value: 'a', name: 'Host' }],
    Period: 60,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 100,
    TreatMissingData: 'notBreaching',
    EvaluateLowSampleCountPercentile: '',
  });
  // evaluating again changes nothing and publishes nothing
  assert.equal((await tickAlarms(deps, new Date(T))).transitions, 0);
  assert.equal(published.length, 2);
  // a stale copy (another node's evaluation of the version before) cannot transition again: one publish per transition
  const current = await h.store.metrics.getAlarm('000000000000', 'us-east-1', 'latency');
  assert.ok(current);
  const env = { now: new Date(T), ids: randomIds, config: h.deps.config, destinations };
  assert.equal(await h.store.transaction((tx) => changeState(tx, current, { value: 'OK', reason: 'a' }, env)), true);
  assert.equal(await h.store.transaction((tx) => changeState(tx, current, { value: 'OK', reason: 'b' }, env)), false);
  assert.equal(published.length, 3, 'the OK action ran once');
  assert.equal(
    await h.store.transaction((tx) => changeState(tx, { ...current, stateValue: 'OK', version: current.version + 1 }, { value: 'ALARM', reason: 'back' }, env)),
    true,
  );
  assert.equal(published.length, 4);
  published.splice(2, 2);
  const history = (await viaJson('DescribeAlarmHistory', { AlarmName: 'latency', HistoryItemType: 'StateUpdate' })).json().AlarmHistoryItems;
  assert.equal(history[0].HistorySummary, 'Alarm updated from OK to ALARM');
  assert.equal(JSON.parse(history[0].HistoryData).newState.stateValue, 'ALARM');
  const actions = (await viaJson('DescribeAlarmHistory', { AlarmName: 'latency', HistoryItemType: 'Action' })).json().AlarmHistoryItems;
  assert.equal(actions[0].HistorySummary, `Successfully executed action ${topic}`);
  // two minutes on, the breaching points have aged out: notBreaching → OK
  const later = T + 120_000;
  assert.equal((await tickAlarms({ ...deps, clock: () => new Date(later) }, new Date(later))).transitions, 1);
  assert.equal((await viaJson('DescribeAlarms', { AlarmNames: ['latency'] })).json().MetricAlarms[0].StateValue, 'OK');
  assert.equal(published.length, 3);
});

test('SetAlarmState sets the state with its reason; bad reason data is InvalidFormat; unknown alarm ResourceNotFound', async () => {
  const set = await viaJson('SetAlarmState', { AlarmName: 'high-cpu', StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"a":1}' });
  assert.equal(set.status, 200, set.text);
  const a = (await viaJson('DescribeAlarms', { AlarmNames: ['high-cpu'] })).json().MetricAlarms[0];
  assert.equal(a.StateValue, 'ALARM');
  assert.equal(a.StateReason, 'testing');
  assert.equal(a.StateReasonData, '{"a":1}');
  const bad = await viaJson('SetAlarmState', { AlarmName: 'high-cpu', StateValue: 'OK', StateReason: 'x', StateReasonData: 'not json' });
  assert.equal(bad.json().__type, 'InvalidFormatFault');
  assert.equal(bad.headers['x-amzn-query-error'], 'InvalidFormat;Sender');
  const none = await viaQuery('SetAlarmState', { AlarmName: 'none', StateValue: 'OK', StateReason: 'x' });
  assert.equal(none.xml().ErrorResponse.Error.Code, 'ResourceNotFound');
});

test('audit: alarm calls are management events with lowerCamel parameters; metric calls are data events', async () => {
  const records = await h.records();
  const put = records.find((r) => r.eventName === 'PutMetricAlarm' && r.requestParameters?.alarmName === 'high-cpu');
  assert.ok(put);
  assert.equal(put.eventSource, 'monitoring.amazonaws.com');
  assert.equal(put.readOnly, false);
  assert.equal(put.managementEvent, true);
  assert.equal(put.requestParameters.comparisonOperator, 'GreaterThanThreshold');
  const data = records.find((r) => r.eventName === 'PutMetricData');
  assert.ok(data);
  assert.equal(data.eventCategory, 'Data');
  assert.equal(data.managementEvent, false);
  assert.deepEqual(data.resources, [
    { accountId: '000000000000', type: 'AWS::CloudWatch::Metric', ARN: 'arn:aws:cloudwatch:us-east-1:000000000000:metric/App' },
  ]);
  const getData = records.find((r) => r.eventName === 'GetMetricData' && r.errorCode === undefined);
  assert.deepEqual(getData.resources, [
    { accountId: '000000000000', type: 'AWS::CloudWatch::Metric', ARN: 'arn:aws:cloudwatch:us-east-1:000000000000:metric/Math' },
  ]);
  assert.equal(getData.readOnly, true);
  const describe = records.find((r) => r.eventName === 'DescribeAlarms');
  assert.equal(describe.readOnly, true);
  assert.equal(describe.eventCategory, 'Management');
});

test('a gzipped JSON PutMetricData (as the SDKs compress large bodies) is stored; a datum without a value is MissingParameter', async () => {
  const { gzipSync } = await import('node:zlib');
  const r = await h.send({
    service: 'monitoring',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${PREFIX}.PutMetricData`, 'content-encoding': 'gzip' },
    body: gzipSync(JSON.stringify({ Namespace: 'Zip', MetricData: [{ MetricName: 'z', Value: 7 }] })),
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await viaJson('ListMetrics', { Namespace: 'Zip' })).json().Metrics, [{ Namespace: 'Zip', MetricName: 'z', Dimensions: [] }]);
  const none = await viaJson('PutMetricData', { Namespace: 'Zip', MetricData: [{ MetricName: 'z' }] });
  assert.equal(none.status, 400);
  assert.equal(none.headers['x-amzn-query-error'], 'MissingParameter;Sender');
  assert.equal(none.json().message, 'The parameter MetricData.member.1.Value is required.');
});

test('an alarm on metric math (Metrics[]) is evaluated on the expression it returns', async () => {
  const T = Math.floor(h.now().getTime() / 60_000) * 60_000 + 10_000;
  await putServiceMetricData(
    h.store,
    { accountId: '000000000000', region: 'us-east-1', namespace: 'Q' },
    [{ metricName: 'Errors', dimensions: [], timestamp: new Date(T - 40_000), value: 3 }],
    new Date(T),
  );
  const put = await viaQuery('PutMetricAlarm', {
    AlarmName: 'error-rate',
    EvaluationPeriods: '1',
    Threshold: '5',
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    'Metrics.member.1.Id': 'm1',
    'Metrics.member.1.ReturnData': 'false',
    'Metrics.member.1.MetricStat.Metric.Namespace': 'Q',
    'Metrics.member.1.MetricStat.Metric.MetricName': 'Errors',
    'Metrics.member.1.MetricStat.Period': '60',
    'Metrics.member.1.MetricStat.Stat': 'Sum',
    'Metrics.member.2.Id': 'e1',
    'Metrics.member.2.Expression': 'm1 * 2',
    'Metrics.member.2.Label': 'doubled',
  });
  assert.equal(put.status, 200, put.text);
  const deps = { store: h.store, config: h.deps.config, ids: randomIds, destinations: noDestinations, clock: () => new Date(T), log: () => {} };
  await tickAlarms(deps, new Date(T));
  const a = (await viaJson('DescribeAlarms', { AlarmNames: ['error-rate'] })).json().MetricAlarms[0];
  assert.equal(a.StateValue, 'ALARM', a.StateReason);
  assert.match(
    a.StateReason,
    /^Threshold Crossed: 1 out of the last 1 datapoints \[6\.0 \(.+\)\] was greater than or equal to the threshold \(5\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/,
  );
  assert.equal(a.Metrics.length, 2);
  const self = await viaJson('PutMetricAlarm', {
    AlarmName: 'loop',
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    Metrics: [{ Id: 'e1', Expression: 'e1 + 1' }],
  });
  assert.equal(self.status, 400);
  assert.equal(self.json().__type, 'ValidationException');
  assert.equal(self.json().message, 'Error in expression e1: Unrecognized metric id e1');
  const both = await viaJson('PutMetricAlarm', {
    AlarmName: 'x',
    Namespace: 'Q',
    MetricName: 'Errors',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    Metrics: [{ Id: 'm1', Expression: '1' }],
  });
  assert.equal(both.status, 400);
  assert.equal(both.headers['x-amzn-query-error'], 'ValidationError;Sender');
});

test('authorization: cloudwatch:<Action> on the alarm ARN; PutMetricData with the cloudwatch:namespace condition key', async () => {
  const creds = await h.user('watcher', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:*' },
      { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Mine' } } },
    ],
  });
  const as = (op: string, input: object) =>
    h.send({
      service: 'monitoring',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${PREFIX}.${op}` },
      body: JSON.stringify(input),
      credentials: creds,
    });
  assert.equal((await as('DescribeAlarms', {})).status, 200);
  const denied = await as('PutMetricAlarm', {
    AlarmName: 'nope',
    Namespace: 'A',
    MetricName: 'b',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  assert.equal(denied.status, 400);
  assert.equal(denied.json().__type, 'AccessDeniedException');
  assert.equal(denied.headers['x-amzn-query-error'], 'AccessDenied;Sender');
  assert.match(
    denied.json().message,
    /is not authorized to perform: cloudwatch:PutMetricAlarm on resource: arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope/,
  );
  assert.equal((await as('PutMetricData', { Namespace: 'Mine', MetricData: [{ MetricName: 'm', Value: 1 }] })).status, 200);
  assert.equal((await as('PutMetricData', { Namespace: 'Other', MetricData: [{ MetricName: 'm', Value: 1 }] })).json().__type, 'AccessDeniedException');
  const records = await h.records();
  const rec = records.filter((r) => r.eventName === 'PutMetricAlarm' && r.errorCode === 'AccessDenied');
  assert.equal(rec.length, 1);
});
