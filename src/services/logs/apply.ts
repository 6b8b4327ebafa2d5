/**
 * Metric filters applied to ingested events (docs/logs.md#metric-filters): each event a group's
 * filter matches gives one datapoint per transformation, its value the transformation's metricValue
 * (a number, `$.field` or `$field` of the event), its dimensions the named fields; an event it does
 * not match gives `defaultValue` where one is set, without dimensions
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html).
 * A datapoint whose value or a dimension cannot be read from the event is not emitted, as AWS
 * drops it. Runs in the ingesting transaction, through CloudWatch's putServiceMetricData.
 */
import type { Store, MetricFilterRecord, LogScope } from '../../store/types.ts';
import { putServiceMetricData, type ServiceDatum } from '../cloudwatch/ingest.ts';
import { matchFilterPattern, parseFilterPattern, type FilterPattern } from './filter-pattern/index.ts';

/** Filters per log group (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html). */
export const MAX_METRIC_FILTERS = 100;

/** The datapoints `filter` makes of `events`, grouped by namespace. */
export function metricData(filter: MetricFilterRecord, pattern: FilterPattern, events: { timestamp: number; message: string }[]): Map<string, ServiceDatum[]> {
  const out = new Map<string, ServiceDatum[]>();
  const add = (namespace: string, d: ServiceDatum) => out.set(namespace, [...(out.get(namespace) ?? []), d]);
  for (const e of events) {
    const m = matchFilterPattern(pattern, e.message);
    for (const t of filter.transformations) {
      const base = { metricName: t.metricName, timestamp: new Date(e.timestamp), ...(t.unit ? { unit: t.unit } : {}) };
      if (!m) {
        if (t.defaultValue !== undefined) add(t.metricNamespace, { ...base, dimensions: [], value: t.defaultValue });
        continue;
      }
      const value = m.value(t.metricValue);
      if (value === undefined || !Number.isFinite(value)) continue;
      const dimensions: { Name: string; Value: string }[] = [];
      let complete = true;
      for (const [Name, spec] of Object.entries(t.dimensions ?? {})) {
        const v = m.text(spec);
        if (v === undefined || v === '') complete = false;
        else dimensions.push({ Name, Value: v });
      }
      if (complete) add(t.metricNamespace, { ...base, dimensions, value });
    }
  }
  return out;
}

/** Applies every metric filter of the group to the events just stored. */
export async function applyMetricFilters(
  tx: Store,
  scope: LogScope,
  group: string,
  events: { timestamp: number; message: string }[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const filters = await tx.logs.listMetricFilters(scope, { group, limit: MAX_METRIC_FILTERS });
  for (const f of filters) {
    let pattern: FilterPattern;
    try {
      pattern = parseFilterPattern(f.filterPattern);
    } catch {
      continue; // checked when the filter was put; a pattern the engine no longer reads matches nothing
    }
    for (const [namespace, data] of metricData(f, pattern, events)) await putServiceMetricData(tx, { ...scope, namespace }, data, now);
  }
}
