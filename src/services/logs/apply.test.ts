/**
 * Metric filter application (apply.ts): one datapoint per matching event and transformation, its
 * value from the event, dimensions from its fields, defaultValue (without dimensions) for events
 * that do not match, nothing when a value or dimension is missing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricFilterRecord } from '../../store/types.ts';
import { metricData } from './apply.ts';
import { parseFilterPattern } from './filter-pattern/index.ts';

const filter = (filterPattern: string, t: Partial<MetricFilterRecord['transformations'][number]>): MetricFilterRecord => ({
  groupName: '/g',
  filterName: 'f',
  filterPattern,
  transformations: [{ metricName: 'M', metricNamespace: 'NS', metricValue: '1', ...t }],
  createdAt: 0,
  extra: {},
});
const events = [
  { timestamp: 1000, message: '{"status": 500, "ms": 12, "path": "/a"}' },
  { timestamp: 2000, message: '{"status": 200, "ms": 7, "path": "/b"}' },
  { timestamp: 3000, message: '{"status": 500, "path": "/c"}' },
];

test('a matching event gives its value; a non-matching one the defaultValue, without dimensions', () => {
  const f = filter('{ $.status = 500 }', { metricValue: '1', defaultValue: 0, unit: 'Count' });
  const out = metricData(f, parseFilterPattern(f.filterPattern), events).get('NS');
  assert.deepEqual(
    out?.map((d) => [d.timestamp.getTime(), d.value, d.dimensions.length, d.unit]),
    [
      [1000, 1, 0, 'Count'],
      [2000, 0, 0, 'Count'],
      [3000, 1, 0, 'Count'],
    ],
  );
});

test('values and dimensions from the event; a datapoint missing either is not emitted', () => {
  const f = filter('{ $.status = 500 }', { metricValue: '$.ms', dimensions: { Path: '$.path' } });
  const out = metricData(f, parseFilterPattern(f.filterPattern), events).get('NS');
  assert.deepEqual(out, [{ metricName: 'M', timestamp: new Date(1000), dimensions: [{ Name: 'Path', Value: '/a' }], value: 12 }]);
  const none = metricData(filter('ERROR', {}), parseFilterPattern('ERROR'), events);
  assert.equal(none.size, 0, 'no match and no defaultValue: nothing');
});
