/**
 * CloudWatch's own checks of metric parameters, with AWS's messages
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html).
 */
import type { Dimension } from './model.generated.ts';
import { invalidParameterValue, invalidValue } from './errors.ts';

export const MAX_DIMENSIONS = 30;

/** 1, 5, 10, 30 (high resolution) or a multiple of 60. */
export function checkPeriod(period: number, name = 'Period'): void {
  if (![1, 5, 10, 30].includes(period) && (period <= 0 || period % 60 !== 0)) throw invalidParameterValue(`The parameter ${name} must be a multiple of 60.`);
}

export function checkDimensions(dimensions: Dimension[] | undefined, name: string): void {
  if (!dimensions) return;
  if (dimensions.length > MAX_DIMENSIONS) throw invalidParameterValue(`The collection ${name} must not have a size greater than ${MAX_DIMENSIONS}.`);
  const seen = new Set<string>();
  for (const [i, d] of dimensions.entries()) {
    if (seen.has(d.Name)) throw invalidParameterValue(`No metric may have duplicate dimension names: ${name}.member.${i + 1}.Name ${d.Name} is repeated.`);
    seen.add(d.Name);
  }
}

/** Values CloudWatch accepts: finite, within ±2^360 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html). */
export function checkValue(v: number, name: string): void {
  if (!Number.isFinite(v) || Math.abs(v) > 2 ** 360) throw invalidValue(name, v);
}
