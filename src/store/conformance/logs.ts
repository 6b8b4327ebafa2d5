/**
 * LogStore conformance (contracts/logs.ts): groups per account and Region, listing by prefix,
 * pattern and page; streams in both orders; events read forward and backward from a position,
 * by stream and by group; stored bytes; retention purge; metric filters and resource policies.
 */
import assert from 'node:assert/strict';
import type { LogGroupRecord, Store } from '../types.ts';
import { storeTest, T0, type Suite } from './harness.ts';

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const OTHER = { accountId: '123456789012', region: 'eu-west-1' };
const t0 = T0.getTime();
const group = (name: string, extra: Partial<LogGroupRecord> = {}): LogGroupRecord => ({
  ...SCOPE,
  name,
  createdAt: t0,
  logGroupClass: 'STANDARD',
  deletionProtection: false,
  tags: {},
  storedBytes: 0,
  metricFilterCount: 0,
  ...extra,
});
const stream = (name: string) => ({ name, createdAt: t0, uploads: 0 });

async function seed(s: Store): Promise<void> {
  await s.logs.createGroup(group('/app/web'));
  await s.logs.createStream(SCOPE, '/app/web', stream('a'));
  await s.logs.createStream(SCOPE, '/app/web', stream('b'));
  await s.logs.appendEvents(
    SCOPE,
    '/app/web',
    'a',
    [1, 3, 3, 5].map((d, i) => ({ timestamp: t0 + d, message: `a${i}` })),
    t0 + 10,
  );
  await s.logs.appendEvents(
    SCOPE,
    '/app/web',
    'b',
    [2, 3, 4].map((d, i) => ({ timestamp: t0 + d, message: `b${i}é` })),
    t0 + 11,
  );
}

export function runLogConformance(suite: Suite): void {
  storeTest(suite, 'log groups: create once per account and Region, get, list by prefix, pattern and page, update, delete', async (s) => {
    assert.equal(await s.logs.createGroup(group('/app/web', { retentionInDays: 7, kmsKeyId: 'k', tags: { team: 'a' } })), true);
    assert.equal(await s.logs.createGroup(group('/app/web')), false);
    assert.equal(await s.logs.createGroup({ ...group('/app/web'), ...OTHER }), true, 'another Region has its own names');
    for (const n of ['/app/worker', '/app_x', 'Other/APP']) await s.logs.createGroup(group(n));
    assert.deepEqual(await s.logs.getGroup(SCOPE, '/app/web'), group('/app/web', { retentionInDays: 7, kmsKeyId: 'k', tags: { team: 'a' } }));
    const names = async (o: Parameters<Store['logs']['listGroups']>[1]) => (await s.logs.listGroups(SCOPE, o)).map((g) => g.name);
    assert.deepEqual(await names({ limit: 10 }), ['/app/web', '/app/worker', '/app_x', 'Other/APP']);
    assert.deepEqual(await names({ prefix: '/app/', limit: 10 }), ['/app/web', '/app/worker']);
    assert.deepEqual(await names({ pattern: 'app', limit: 10 }), ['/app/web', '/app/worker', '/app_x', 'Other/APP'], 'pattern: case-insensitive substring');
    assert.deepEqual(await names({ pattern: 'WOR', limit: 10 }), ['/app/worker']);
    assert.deepEqual(await names({ after: '/app/web', limit: 2 }), ['/app/worker', '/app_x']);
    assert.equal(await s.logs.updateGroup(SCOPE, '/app/web', { retentionInDays: null, tags: {} }), true);
    const g = await s.logs.getGroup(SCOPE, '/app/web');
    assert.deepEqual([g?.retentionInDays, g?.tags], [undefined, {}]);
    assert.equal(await s.logs.updateGroup(SCOPE, '/nope', { tags: {} }), false);
    assert.equal(await s.logs.deleteGroup(SCOPE, '/app/web'), true);
    assert.equal(await s.logs.deleteGroup(SCOPE, '/app/web'), false);
    assert.equal(await s.logs.getGroup(SCOPE, '/app/web'), undefined);
    assert.ok(await s.logs.getGroup(OTHER, '/app/web'));
  });

  storeTest(suite, 'log streams and events: stream metadata, bytes, forward and backward reads, group reads interleaved', async (s) => {
    await seed(s);
    assert.equal(await s.logs.createStream(SCOPE, '/app/web', stream('a')), false);
    assert.equal(await s.logs.createStream(SCOPE, '/nope', stream('a')), false);
    const a = await s.logs.getStream(SCOPE, '/app/web', 'a');
    assert.deepEqual(a, { name: 'a', createdAt: t0, firstEventTimestamp: t0 + 1, lastEventTimestamp: t0 + 5, lastIngestionTime: t0 + 10, uploads: 1 });
    assert.equal((await s.logs.getGroup(SCOPE, '/app/web'))?.storedBytes, 4 * 2 + 3 * 4, 'UTF-8 bytes');
    const fwd = await s.logs.readStream(SCOPE, '/app/web', 'a', { direction: 'forward', limit: 2 });
    assert.deepEqual(
      fwd.map((e) => e.message),
      ['a0', 'a1'],
    );
    const next = await s.logs.readStream(SCOPE, '/app/web', 'a', { direction: 'forward', from: fwd[1], limit: 10 });
    assert.deepEqual(
      next.map((e) => e.message),
      ['a2', 'a3'],
      'ties on timestamp keep ingestion order',
    );
    const back = await s.logs.readStream(SCOPE, '/app/web', 'a', { direction: 'backward', limit: 3 });
    assert.deepEqual(
      back.map((e) => e.message),
      ['a1', 'a2', 'a3'],
      'backward: the last events, ascending',
    );
    const windowed = await s.logs.readStream(SCOPE, '/app/web', 'a', { direction: 'forward', startTime: t0 + 3, endTime: t0 + 5, limit: 10 });
    assert.deepEqual(
      windowed.map((e) => e.message),
      ['a1', 'a2'],
      '[start, end)',
    );
    const all = await s.logs.readGroup(SCOPE, '/app/web', { limit: 100 });
    assert.deepEqual(
      all.map((e) => `${e.streamName}:${e.timestamp - t0}`),
      ['a:1', 'b:2', 'a:3', 'a:3', 'b:3', 'b:4', 'a:5'],
    );
    const page = await s.logs.readGroup(SCOPE, '/app/web', { from: all[2], limit: 2 });
    assert.deepEqual(
      page.map((e) => e.message),
      ['a2', 'b1é'],
    );
    assert.deepEqual(
      (await s.logs.readGroup(SCOPE, '/app/web', { streams: ['b'], startTime: t0 + 3, limit: 10 })).map((e) => e.message),
      ['b1é', 'b2é'],
    );
    assert.equal((await s.logs.readGroup(SCOPE, '/app/web', { streamPrefix: 'a', limit: 10 })).length, 4);
    assert.equal(await s.logs.deleteStream(SCOPE, '/app/web', 'b'), true);
    assert.equal((await s.logs.getGroup(SCOPE, '/app/web'))?.storedBytes, 8);
    assert.equal((await s.logs.readGroup(SCOPE, '/app/web', { limit: 100 })).length, 4);
  });

  storeTest(suite, 'concurrent uploads to one stream lose no count, time or byte', async (s) => {
    await seed(s);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.transaction((tx) => tx.logs.appendEvents(SCOPE, '/app/web', 'a', [{ timestamp: t0 + 100 + i, message: 'xx' }], t0 + 20 + i)),
      ),
    );
    const a = await s.logs.getStream(SCOPE, '/app/web', 'a');
    assert.deepEqual([a?.uploads, a?.firstEventTimestamp, a?.lastEventTimestamp], [9, t0 + 1, t0 + 107]);
    assert.equal((await s.logs.getGroup(SCOPE, '/app/web'))?.storedBytes, 20 + 16);
    assert.equal((await s.logs.readStream(SCOPE, '/app/web', 'a', { direction: 'forward', limit: 100 })).length, 12);
  });

  storeTest(suite, 'log streams: by name and by last event time, both directions, prefix and page', async (s) => {
    await seed(s);
    await s.logs.createStream(SCOPE, '/app/web', stream('c-empty'));
    const list = async (o: Partial<Parameters<Store['logs']['listStreams']>[2]>) =>
      (await s.logs.listStreams(SCOPE, '/app/web', { orderBy: 'LogStreamName', descending: false, limit: 10, ...o })).map((x) => x.name);
    assert.deepEqual(await list({}), ['a', 'b', 'c-empty']);
    assert.deepEqual(await list({ descending: true }), ['c-empty', 'b', 'a']);
    assert.deepEqual(await list({ prefix: 'c' }), ['c-empty']);
    assert.deepEqual(await list({ after: { name: 'a' }, limit: 1 }), ['b']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime' }), ['c-empty', 'b', 'a']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime', descending: true }), ['a', 'b', 'c-empty']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime', descending: true, after: { name: 'a', time: t0 + 5 } }), ['b', 'c-empty']);
  });

  storeTest(suite, 'retention purge deletes the oldest events in batches and their bytes', async (s) => {
    await seed(s);
    await s.logs.updateGroup(SCOPE, '/app/web', { retentionInDays: 1 });
    assert.deepEqual(
      (await s.logs.groupsWithRetention()).map((g) => g.name),
      ['/app/web'],
    );
    assert.equal(await s.logs.purgeBefore(SCOPE, '/app/web', t0 + 4, 2), 2);
    assert.equal(await s.logs.purgeBefore(SCOPE, '/app/web', t0 + 4, 10), 3);
    assert.equal(await s.logs.purgeBefore(SCOPE, '/app/web', t0 + 4, 10), 0);
    const left = await s.logs.readGroup(SCOPE, '/app/web', { limit: 10 });
    assert.deepEqual(
      left.map((e) => e.message),
      ['b2é', 'a3'],
    );
    assert.equal((await s.logs.getGroup(SCOPE, '/app/web'))?.storedBytes, 4 + 2);
  });

  storeTest(suite, 'metric filters: put replaces, counts on the group, list by group, prefix, metric; resource policies', async (s) => {
    await seed(s);
    await s.logs.createGroup(group('/other'));
    const tf = (metricName: string) => [{ metricName, metricNamespace: 'NS', metricValue: '1' }];
    await s.logs.putMetricFilter(SCOPE, {
      groupName: '/app/web',
      filterName: 'errors',
      filterPattern: 'ERROR',
      transformations: tf('E'),
      createdAt: t0,
      extra: {},
    });
    await s.logs.putMetricFilter(SCOPE, {
      groupName: '/app/web',
      filterName: 'errors',
      filterPattern: 'FATAL',
      transformations: tf('F'),
      createdAt: t0 + 9,
      extra: {},
    });
    await s.logs.putMetricFilter(SCOPE, {
      groupName: '/other',
      filterName: 'all',
      filterPattern: '',
      transformations: tf('A'),
      createdAt: t0,
      extra: { x: 1 },
    });
    const mine = await s.logs.listMetricFilters(SCOPE, { group: '/app/web', limit: 10 });
    assert.deepEqual(mine, [{ groupName: '/app/web', filterName: 'errors', filterPattern: 'FATAL', transformations: tf('F'), createdAt: t0, extra: {} }]);
    assert.equal((await s.logs.getGroup(SCOPE, '/app/web'))?.metricFilterCount, 1);
    assert.deepEqual(
      (await s.logs.listMetricFilters(SCOPE, { limit: 10 })).map((f) => f.filterName),
      ['errors', 'all'],
    );
    assert.deepEqual(
      (await s.logs.listMetricFilters(SCOPE, { metricName: 'A', limit: 10 })).map((f) => f.groupName),
      ['/other'],
    );
    assert.deepEqual(
      (await s.logs.listMetricFilters(SCOPE, { after: { group: '/app/web', name: 'errors' }, limit: 10 })).map((f) => f.filterName),
      ['all'],
    );
    assert.equal(await s.logs.deleteMetricFilter(SCOPE, '/app/web', 'errors'), true);
    assert.equal(await s.logs.deleteMetricFilter(SCOPE, '/app/web', 'errors'), false);
    await s.logs.deleteGroup(SCOPE, '/other');
    assert.deepEqual(await s.logs.listMetricFilters(SCOPE, { limit: 10 }), [], 'a group takes its filters with it');

    await s.logs.putResourcePolicy(SCOPE, { policyName: 'p', policyDocument: '{}', lastUpdatedTime: t0 });
    await s.logs.putResourcePolicy(SCOPE, { policyName: 'p', policyDocument: '{"a":1}', lastUpdatedTime: t0 + 1 });
    assert.deepEqual(await s.logs.listResourcePolicies(SCOPE), [{ policyName: 'p', policyDocument: '{"a":1}', lastUpdatedTime: t0 + 1 }]);
    assert.deepEqual(await s.logs.listResourcePolicies(OTHER), []);
    assert.equal(await s.logs.deleteResourcePolicy(SCOPE, 'p'), true);
    assert.equal(await s.logs.deleteResourcePolicy(SCOPE, 'p'), false);
  });
}
