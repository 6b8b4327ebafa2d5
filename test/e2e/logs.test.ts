/**
 * CloudWatch Logs end to end (docs/logs.md) with the official clients: @aws-sdk/client-cloudwatch-logs
 * and Debian's AWS CLI 2.9. Groups and streams, events put and read back (get and filter, with
 * paging), a metric filter and TestMetricFilter, retention, tags (by ARN and the deprecated by-name
 * calls the CLI still has), errors as the clients report them, events surviving kill -9, and the
 * records where AWS would put them (management events in Event history, the event calls as data events).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  logs?.destroy();
  await server?.dispose();
});

const cli = (args: string[]) => awsCli(server.endpoint, server.root, ['logs', ...args]);

test('SDK: group, stream, put events, get them back with tokens, filter with a pattern and paging', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/e2e/sdk', tags: { team: 'obs' } }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/e2e/sdk', logStreamName: 'web-1' }));
  const t = Date.now() - 60_000;
  const put = await logs.send(
    new PutLogEventsCommand({
      logGroupName: '/e2e/sdk',
      logStreamName: 'web-1',
      logEvents: Array.from({ length: 30 }, (_, i) => ({
        timestamp: t + i,
        message: i % 3 === 0 ? `{"level":"error","n":${i}}` : `{"level":"info","n":${i}}`,
      })),
    }),
  );
  assert.match(put.nextSequenceToken ?? '', /^\d{56}$/);
  const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/e2e/sdk' }));
  assert.equal(groups.logGroups?.[0]?.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/e2e/sdk:*');
  assert.equal(groups.logGroups?.[0]?.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/e2e/sdk');
  assert.ok((groups.logGroups?.[0]?.storedBytes ?? 0) > 0);
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/e2e/sdk', orderBy: 'LastEventTime', descending: true }));
  assert.equal(streams.logStreams?.[0]?.lastEventTimestamp, t + 29);
  const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/e2e/sdk', logStreamName: 'web-1', startFromHead: true, limit: 20 }));
  assert.equal(head.events?.length, 20);
  const rest = await logs.send(new GetLogEventsCommand({ logGroupName: '/e2e/sdk', logStreamName: 'web-1', nextToken: head.nextForwardToken }));
  assert.equal(rest.events?.length, 10);
  assert.equal(rest.events?.[0]?.message, '{"level":"info","n":20}');
  const end = await logs.send(new GetLogEventsCommand({ logGroupName: '/e2e/sdk', logStreamName: 'web-1', nextToken: rest.nextForwardToken }));
  assert.deepEqual(end.events, []);
  assert.equal(end.nextForwardToken, rest.nextForwardToken);
  const errors: number[] = [];
  for await (const page of paginateFilterLogEvents(
    { client: logs, pageSize: 4 },
    { logGroupName: '/e2e/sdk', filterPattern: '{ $.level = "error" }', limit: 4 },
  ))
    for (const e of page.events ?? []) errors.push(JSON.parse(e.message ?? '{}').n);
  assert.deepEqual(errors, [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  const wide = await logs.send(new FilterLogEventsCommand({ logGroupName: '/e2e/sdk', startTime: 0, endTime: 8.9e18, limit: 5 }));
  assert.equal(wide.events?.length, 5, 'times past a bigint are answered on every backend');
  const e = await logs.send(new GetLogEventsCommand({ logGroupName: '/e2e/none', logStreamName: 'x' })).catch((x: unknown) => x);
  assert.equal((e as { name?: string }).name, 'ResourceNotFoundException');
  const bad = await logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })).catch((x: unknown) => x);
  assert.equal((bad as { name?: string }).name, 'InvalidParameterException');
});

test('SDK: a metric filter whose matches become CloudWatch datapoints; TestMetricFilter', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/e2e/metrics' }));
  await logs.send(
    new PutMetricFilterCommand({
      logGroupName: '/e2e/metrics',
      filterName: 'errors',
      filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'ErrorCount', metricNamespace: 'E2E', metricValue: '1', defaultValue: 0 }],
    }),
  );
  const d = cli(['describe-metric-filters', '--log-group-name', '/e2e/metrics']);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(d.json.metricFilters[0].filterName, 'errors');
  assert.deepEqual(d.json.metricFilters[0].metricTransformations, [{ metricName: 'ErrorCount', metricNamespace: 'E2E', metricValue: '1', defaultValue: 0 }]);
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/e2e/metrics', logStreamName: 's' }));
  const t = Date.now() - 120_000;
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: '/e2e/metrics',
      logStreamName: 's',
      logEvents: ['ERROR a', 'fine', 'ERROR b', 'ERROR c'].map((message, i) => ({ timestamp: t + i, message })),
    }),
  );
  const cw = new CloudWatchClient(sdkConfig(server.endpoint, server.root));
  try {
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'E2E',
        MetricName: 'ErrorCount',
        StartTime: new Date(t - 600_000),
        EndTime: new Date(t + 600_000),
        Period: 3600,
        Statistics: ['Sum', 'SampleCount'],
      }),
    );
    assert.deepEqual(
      stats.Datapoints?.map((d) => [d.Sum, d.SampleCount]),
      [[3, 4]],
      'three matches and one defaultValue 0, as datapoints committed with the PutLogEvents',
    );
  } finally {
    cw.destroy();
  }
  const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: 'ERROR', logEventMessages: ['ok', 'ERROR one', 'fine'] }));
  assert.deepEqual(tested.matches, [{ eventNumber: 2, eventMessage: 'ERROR one', extractedValues: {} }]);
});

test('CLI 2.9: create, put, get and filter, retention, tags by ARN and by name, errors', async () => {
  assert.equal(cli(['create-log-group', '--log-group-name', '/e2e/cli']).status, 0);
  assert.equal(cli(['create-log-stream', '--log-group-name', '/e2e/cli', '--log-stream-name', 's']).status, 0);
  const t = Date.now() - 5000;
  const put = cli([
    'put-log-events',
    '--log-group-name',
    '/e2e/cli',
    '--log-stream-name',
    's',
    '--log-events',
    `timestamp=${t},message=hello`,
    `timestamp=${t + 1},message=world`,
  ]);
  assert.equal(put.status, 0, put.stderr);
  const got = cli(['get-log-events', '--log-group-name', '/e2e/cli', '--log-stream-name', 's', '--start-from-head']);
  assert.equal(got.status, 0, got.stderr);
  assert.deepEqual(
    got.json.events.map((e: { message: string }) => e.message),
    ['hello', 'world'],
  );
  const filtered = cli(['filter-log-events', '--log-group-name', '/e2e/cli', '--filter-pattern', 'world']);
  assert.equal(filtered.status, 0, filtered.stderr);
  assert.deepEqual(
    filtered.json.events.map((e: { message: string; logStreamName: string }) => `${e.logStreamName}:${e.message}`),
    ['s:world'],
  );
  assert.equal(cli(['put-retention-policy', '--log-group-name', '/e2e/cli', '--retention-in-days', '14']).status, 0);
  const bad = cli(['put-retention-policy', '--log-group-name', '/e2e/cli', '--retention-in-days', '15']);
  assert.equal(bad.status, 254);
  assert.match(bad.stderr, /InvalidParameterException/);
  const g = cli(['describe-log-groups', '--log-group-name-prefix', '/e2e/cli']);
  assert.equal(g.json.logGroups[0].retentionInDays, 14);
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/e2e/cli';
  assert.equal(cli(['tag-resource', '--resource-arn', arn, '--tags', 'env=test']).status, 0);
  assert.equal(cli(['tag-log-group', '--log-group-name', '/e2e/cli', '--tags', 'team=x']).status, 0);
  assert.deepEqual(cli(['list-tags-for-resource', '--resource-arn', arn]).json.tags, { env: 'test', team: 'x' });
  assert.equal(cli(['untag-log-group', '--log-group-name', '/e2e/cli', '--tags', 'env']).status, 0);
  assert.deepEqual(cli(['list-tags-log-group', '--log-group-name', '/e2e/cli']).json.tags, { team: 'x' });
  const missing = cli(['delete-log-group', '--log-group-name', '/e2e/none']);
  assert.equal(missing.status, 254);
  assert.match(missing.stderr, /ResourceNotFoundException.*The specified log group does not exist\./);
});

test('accepted events survive kill -9; records: management calls in Event history, PutLogEvents not', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/e2e/durable' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/e2e/durable', logStreamName: 's' }));
  await logs.send(
    new PutLogEventsCommand({ logGroupName: '/e2e/durable', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'kept \u0000\u0001 é' }] }),
  );
  await server.kill();
  await server.restart();
  logs.destroy();
  logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, server.root));
  const got = await logs.send(new FilterLogEventsCommand({ logGroupName: '/e2e/durable' }));
  assert.deepEqual(
    got.events?.map((e) => e.message),
    ['kept \u0000\u0001 é'],
    'NUL and U+0001 come back as sent (docs/edge-characters.md)',
  );
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  try {
    const lookup = async (name: string) =>
      (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
    const created = await lookup('CreateLogGroup');
    assert.ok(created.some((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestParameters?.logGroupName === '/e2e/durable'));
    assert.equal(JSON.parse(created[0]?.CloudTrailEvent ?? '{}').eventSource, 'logs.amazonaws.com');
    assert.deepEqual(await lookup('PutLogEvents'), [], 'data events stay out of Event history');
  } finally {
    ct.destroy();
  }
});
