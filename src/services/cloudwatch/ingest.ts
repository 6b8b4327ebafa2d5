/**
 * Accepting datapoints: PutMetricData's checks and the contract's putServiceMetricData (metric
 * filters of CloudWatch Logs add datapoints on a service's behalf: no API call, no record).
 * Limits as AWS documents them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html): 1,000
 * datums a request, 30 dimensions a datum, 150 values a datum, timestamps up to two weeks old and
 * two hours ahead, namespaces not beginning with `AWS/`.
 */
import { sortDimensions } from '../../store/contracts/metrics.ts';
import type { Store } from '../../store/types.ts';
import { invalidCombination, invalidParameterValue, invalidValue, missingParameter } from './errors.ts';
import type { MetricDatum } from './model.generated.ts';
import { storedDatum } from './statistics.ts';
import { checkDimensions, checkValue } from './validate.ts';

const MAX_DATUMS = 1000;
const MAX_VALUES = 150;
const TWO_WEEKS = 14 * 24 * 3600_000;
const TWO_HOURS = 2 * 3600_000;

export interface ServiceDatum {
  metricName: string;
  dimensions: { Name: string; Value: string }[];
  timestamp: Date;
  value: number;
  unit?: string;
}

/** Adds datapoints on a service's behalf (metric filters), inside `tx`; not an API call: no record. */
export async function putServiceMetricData(
  tx: Store,
  target: { accountId: string; region: string; namespace: string },
  data: ServiceDatum[],
  now: Date,
): Promise<void> {
  const rows = data
    .filter((d) => Number.isFinite(d.value))
    .map((d) => ({
      namespace: target.namespace,
      metricName: d.metricName,
      dimensions: sortDimensions(d.dimensions),
      datum: storedDatum({ Value: d.value, ...(d.unit ? { Unit: d.unit } : {}) }, d.timestamp),
    }));
  await tx.metrics.putData(target.accountId, target.region, rows, now);
}

/** PutMetricData: every datum checked, then all stored, or none. */
export async function putMetricData(
  tx: Store,
  target: { accountId: string; region: string; namespace: string },
  data: MetricDatum[],
  now: Date,
): Promise<void> {
  if (target.namespace.startsWith('AWS/')) throw invalidValue('Namespace', target.namespace);
  if (data.length > MAX_DATUMS) throw invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  const rows = data.map((d, i) => {
    const at = `MetricData.member.${i + 1}`;
    if (!d.MetricName) throw missingParameter(`${at}.MetricName`);
    checkDimensions(d.Dimensions, `${at}.Dimensions`);
    for (const [j, dim] of (d.Dimensions ?? []).entries()) {
      if (!dim.Value) throw missingParameter(`${at}.Dimensions.member.${j + 1}.Value`);
    }
    const given = [d.Value !== undefined, d.StatisticValues !== undefined, (d.Values?.length ?? 0) > 0].filter(Boolean).length;
    if (given === 0) throw missingParameter(`${at}.Value`);
    if (given > 1) {
      const names = [d.Value !== undefined ? 'Value' : '', d.StatisticValues ? 'StatisticValues' : '', d.Values?.length ? 'Values' : ''].filter(Boolean);
      throw invalidCombination(`The parameters ${at}.${names[0]} and ${at}.${names[1]} are mutually exclusive and you have specified both.`);
    }
    if (d.Value !== undefined) checkValue(d.Value, `${at}.Value`);
    if (d.Values) {
      if (d.Values.length > MAX_VALUES) throw invalidParameterValue(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
      for (const [j, v] of d.Values.entries()) checkValue(v, `${at}.Values.member.${j + 1}`);
      if (d.Counts && d.Counts.length !== d.Values.length)
        throw invalidParameterValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
      for (const [j, c] of (d.Counts ?? []).entries()) if (!Number.isFinite(c) || c < 0) throw invalidValue(`${at}.Counts.member.${j + 1}`, c);
    }
    if (d.StatisticValues) {
      const s = d.StatisticValues;
      for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) checkValue(s[k], `${at}.StatisticValues.${k}`);
      if (s.SampleCount <= 0) throw invalidValue(`${at}.StatisticValues.SampleCount`, s.SampleCount);
      if (s.Minimum > s.Maximum)
        throw invalidParameterValue(`The parameter ${at}.StatisticValues.Minimum must be less than or equal to ${at}.StatisticValues.Maximum.`);
    }
    if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60)
      throw invalidValue(`${at}.StorageResolution`, d.StorageResolution);
    const timestamp = d.Timestamp ?? now;
    if (timestamp.getTime() < now.getTime() - TWO_WEEKS)
      throw invalidParameterValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past.`);
    if (timestamp.getTime() > now.getTime() + TWO_HOURS)
      throw invalidParameterValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
    return { namespace: target.namespace, metricName: d.MetricName, dimensions: sortDimensions(d.Dimensions ?? []), datum: storedDatum(d, timestamp) };
  });
  await tx.metrics.putData(target.accountId, target.region, rows, now);
}
