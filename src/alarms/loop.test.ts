/**
 * The alarm loop on both backends: two evaluation rounds racing over the same alarm (two nodes on
 * one database) make one transition, one StateUpdate history item and one SNS publish.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Destinations } from '../delivery/destinations.ts';
import { randomIds } from '../ids.ts';
import { putServiceMetricData } from '../services/cloudwatch/ingest.ts';
import { BACKENDS, openTestStore } from '../store/testing.ts';
import { tickAlarms } from './loop.ts';

const A = '000000000000';
const R = 'us-east-1';

for (const backend of BACKENDS) {
  test(`${backend}: racing rounds transition an alarm once and publish once`, async () => {
    const store = await openTestStore(backend, { schemaPrefix: 'alarms' });
    try {
      let publishes = 0;
      const destinations: Destinations = {
        deliverServiceMessage: async () => ({ ok: false, reason: 'no-such-queue' }),
        queueAllowsService: async () => 'no-such-queue',
        publishFromService: async () => {
          publishes++;
          return { ok: true, messageId: `m${publishes}` };
        },
        topicAllowsService: async () => 'allowed',
      };
      const T = new Date('2026-06-01T12:00:30Z');
      await store.metrics.putAlarm({
        accountId: A,
        region: R,
        name: 'hot',
        arn: `arn:aws:cloudwatch:${R}:${A}:alarm:hot`,
        definition: {
          Namespace: 'N',
          MetricName: 'M',
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: ['arn:aws:sns:us-east-1:000000000000:t'],
        },
        actionsEnabled: true,
        stateValue: 'INSUFFICIENT_DATA',
        stateReason: 'Unchecked: Initial alarm creation',
        stateUpdatedAt: T,
        stateTransitionedAt: T,
        configUpdatedAt: T,
        tags: [],
        version: 0,
      });
      await putServiceMetricData(
        store,
        { accountId: A, region: R, namespace: 'N' },
        [{ metricName: 'M', dimensions: [], timestamp: new Date(T.getTime() - 60_000), value: 50 }],
        T,
      );
      const deps = {
        store,
        config: { accountId: A, region: R, maxBodyBytes: 1 << 20, publicUrl: 'http://x' },
        ids: randomIds,
        destinations,
        clock: () => T,
        log: () => {},
      };
      const reports = await Promise.all([tickAlarms(deps, T), tickAlarms(deps, T), tickAlarms(deps, T)]);
      assert.equal(
        reports.reduce((n, r) => n + r.transitions, 0),
        1,
      );
      assert.equal(publishes, 1);
      assert.equal((await store.metrics.getAlarm(A, R, 'hot'))?.stateValue, 'ALARM');
      assert.equal((await store.metrics.history(A, R, { alarmName: 'hot', types: ['StateUpdate'] })).length, 1);
      assert.equal((await store.metrics.history(A, R, { alarmName: 'hot', types: ['Action'] })).length, 1);
    } finally {
      await store.close();
    }
  });
}
