/**
 * MetricStore conformance (store/contracts/metrics.ts): data by (account, Region, namespace, name,
 * dimensions in any order) and time range; the metric list with its last-put time; alarms with a
 * compare-and-set state; history filtered and ordered; data retention.
 */
import assert from 'node:assert/strict';
import type { MetricAlarmRow } from '../types.ts';
import { storeTest, T0, type Suite } from './harness.ts';

const A = '000000000000';
const R = 'us-east-1';
const dims = (...pairs: [string, string][]) => pairs.map(([Name, Value]) => ({ Name, Value }));
const datum = (ms: number, v: number) => ({
  timestamp: new Date(T0.getTime() + ms),
  unit: 'Count',
  sampleCount: 1,
  sum: v,
  min: v,
  max: v,
  values: [[v, 1]] as [number, number][],
});
const alarm = (name: string): MetricAlarmRow => ({
  accountId: A,
  region: R,
  name,
  arn: `arn:aws:cloudwatch:${R}:${A}:alarm:${name}`,
  definition: { Namespace: 'App', MetricName: 'm', Threshold: 1 },
  actionsEnabled: true,
  stateValue: 'INSUFFICIENT_DATA',
  stateReason: 'Unchecked: Initial alarm creation',
  stateUpdatedAt: T0,
  stateTransitionedAt: T0,
  configUpdatedAt: T0,
  tags: [{ Key: 'k', Value: 'v' }],
  version: 0,
});

export function runMetricConformance(suite: Suite): void {
  storeTest(suite, 'data is kept per metric, dimensions in any order, read by time range oldest first', async (s) => {
    await s.metrics.putData(
      A,
      R,
      [
        { namespace: 'App', metricName: 'm', dimensions: dims(['a', '1'], ['b', '2']), datum: datum(60_000, 2) },
        { namespace: 'App', metricName: 'm', dimensions: dims(['a', '1'], ['b', '2']), datum: datum(0, 1) },
        { namespace: 'App', metricName: 'm', dimensions: dims(['a', '9']), datum: datum(0, 5) },
      ],
      T0,
    );
    await s.metrics.putData('111111111111', R, [{ namespace: 'App', metricName: 'm', dimensions: dims(['a', '1'], ['b', '2']), datum: datum(0, 7) }], T0);
    const got = await s.metrics.data(
      A,
      R,
      { namespace: 'App', metricName: 'm', dimensions: dims(['a', '1'], ['b', '2']) },
      T0,
      new Date(T0.getTime() + 120_000),
    );
    assert.deepEqual(
      got.map((d) => [d.timestamp.getTime() - T0.getTime(), d.sum, d.values]),
      [
        [0, 1, [[1, 1]]],
        [60_000, 2, [[2, 1]]],
      ],
    );
    const window = await s.metrics.data(
      A,
      R,
      { namespace: 'App', metricName: 'm', dimensions: dims(['a', '1'], ['b', '2']) },
      T0,
      new Date(T0.getTime() + 60_000),
    );
    assert.equal(window.length, 1, 'end is exclusive');
    const listed = await s.metrics.listMetrics(A, R, { namespace: 'App' });
    assert.deepEqual(
      listed.map((m) => [m.metricName, m.dimensions]),
      [
        ['m', dims(['a', '1'], ['b', '2'])],
        ['m', dims(['a', '9'])],
      ],
    );
    assert.equal((await s.metrics.listMetrics(A, R, { activeSince: new Date(T0.getTime() + 1) })).length, 0);
    assert.equal((await s.metrics.listMetrics(A, 'eu-west-1', {})).length, 0, 'keyed by Region');
    assert.equal(await s.metrics.purgeData(new Date(T0.getTime() + 1), 100), 3);
    assert.equal((await s.metrics.data(A, R, { namespace: 'App', metricName: 'm', dimensions: dims(['a', '9']) }, T0, new Date(T0.getTime() + 1))).length, 0);
  });

  storeTest(suite, 'alarms: put replaces, the state is a compare-and-set on the version, tags and actions are kept', async (s) => {
    await s.metrics.putAlarm(alarm('b'));
    await s.metrics.putAlarm(alarm('a'));
    assert.deepEqual(
      (await s.metrics.listAlarms(A, R)).map((a) => a.name),
      ['a', 'b'],
    );
    assert.deepEqual(await s.metrics.getAlarm(A, R, 'a'), alarm('a'));
    const next = { value: 'ALARM' as const, reason: 'r', reasonData: '{}', at: new Date(T0.getTime() + 5), transitioned: true };
    assert.equal(await s.metrics.setState(A, R, 'a', 0, next), true);
    assert.equal(await s.metrics.setState(A, R, 'a', 0, { ...next, value: 'OK' }), false, 'a stale version loses');
    const a = await s.metrics.getAlarm(A, R, 'a');
    assert.equal(a?.stateValue, 'ALARM');
    assert.equal(a?.version, 1);
    assert.equal(a?.stateReasonData, '{}');
    assert.equal(a?.stateTransitionedAt.getTime(), T0.getTime() + 5);
    await s.metrics.setActionsEnabled(A, R, 'a', false);
    await s.metrics.setTags(A, R, 'a', []);
    const b = await s.metrics.getAlarm(A, R, 'a');
    assert.equal(b?.actionsEnabled, false);
    assert.deepEqual(b?.tags, []);
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.metrics.setState(A, R, 'b', 0, next);
        throw new Error('rollback');
      }),
    );
    assert.equal((await s.metrics.getAlarm(A, R, 'b'))?.stateValue, 'INSUFFICIENT_DATA', 'rolled back with its transaction');
    assert.equal(await s.metrics.deleteAlarm(A, R, 'a'), true);
    assert.equal(await s.metrics.deleteAlarm(A, R, 'a'), false);
    assert.equal((await s.metrics.allAlarms()).length, 1);
  });

  storeTest(suite, 'history is filtered by alarm, type and dates, newest first or oldest first', async (s) => {
    const item = (name: string, ms: number, itemType: 'ConfigurationUpdate' | 'StateUpdate') => ({
      accountId: A,
      region: R,
      alarmName: name,
      alarmType: 'MetricAlarm' as const,
      timestamp: new Date(T0.getTime() + ms),
      itemType,
      summary: `${name} ${ms}`,
      data: '{}',
    });
    await s.metrics.addHistory(item('a', 0, 'ConfigurationUpdate'));
    await s.metrics.addHistory(item('a', 10, 'StateUpdate'));
    await s.metrics.addHistory(item('b', 5, 'StateUpdate'));
    assert.deepEqual(
      (await s.metrics.history(A, R, {})).map((h) => h.summary),
      ['a 10', 'b 5', 'a 0'],
    );
    assert.deepEqual(
      (await s.metrics.history(A, R, { alarmName: 'a', oldestFirst: true })).map((h) => h.summary),
      ['a 0', 'a 10'],
    );
    assert.deepEqual(
      (await s.metrics.history(A, R, { types: ['StateUpdate'] })).map((h) => h.summary),
      ['a 10', 'b 5'],
    );
    assert.deepEqual(
      (await s.metrics.history(A, R, { start: new Date(T0.getTime() + 1), end: new Date(T0.getTime() + 5) })).map((h) => h.summary),
      ['b 5'],
    );
  });
}
