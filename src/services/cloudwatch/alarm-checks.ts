/**
 * PutMetricAlarm's checks beyond the model's, with CloudWatch's ValidationError messages
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html): a
 * single metric (MetricName, Namespace, Statistic or ExtendedStatistic, Period) or Metrics[] with
 * exactly one returned expression, never both; DatapointsToAlarm ≤ EvaluationPeriods; a threshold;
 * TreatMissingData one of four; actions that are ARNs.
 */
import { validationError } from './errors.ts';
import { evaluate, MathError } from './math.ts';
import { checkQueries } from './metric-ops.ts';
import type { Input } from './model.generated.ts';
import { percentileOf } from './statistics.ts';
import { checkDimensions, checkPeriod } from './validate.ts';

const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];
const SEVEN_DAYS = 7 * 24 * 3600;

export function checkAlarm(input: Input<'PutMetricAlarm'>): void {
  const single = input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined || input.ExtendedStatistic !== undefined;
  if (input.Metrics?.length) {
    if (single) throw validationError('Metrics list cannot be specified together with MetricName, Namespace, Statistic or ExtendedStatistic.');
    checkQueries(input.Metrics, 'Metrics');
    // every expression must name only the other queries (an alarm's math is checked when it is put)
    const ids = new Set(input.Metrics.map((m) => m.Id));
    for (const m of input.Metrics) {
      if (m.Expression === undefined) continue;
      try {
        evaluate(m.Expression, { lookup: (id) => (id !== m.Id && ids.has(id) ? { kind: 'series', points: new Map() } : undefined), metrics: () => [] });
      } catch (e) {
        if (e instanceof MathError) throw validationError(`Error in expression ${m.Id}: ${e.message}`);
        throw e;
      }
    }
    const returned = input.Metrics.filter((m) => m.ReturnData ?? true);
    if (returned.length !== 1) throw validationError('Exactly one element of the metrics list should return data.');
  } else {
    if (input.MetricName === undefined) throw validationError('MetricName is required when Metrics is not specified.');
    if (input.Namespace === undefined) throw validationError('Namespace is required when Metrics is not specified.');
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined))
      throw validationError('Exactly one of Statistic or ExtendedStatistic must be specified.');
    if (input.ExtendedStatistic !== undefined && percentileOf(input.ExtendedStatistic) === undefined)
      throw validationError(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid.`);
    if (input.Period === undefined) throw validationError('Period is required when Metrics is not specified.');
    if (input.Period < 10) throw validationError('Period must be 10, 30 or a multiple of 60.');
    checkPeriod(input.Period);
    checkDimensions(input.Dimensions, 'Dimensions');
  }
  if (input.EvaluationPeriods === undefined) throw validationError('EvaluationPeriods is required.');
  if (input.ComparisonOperator === undefined) throw validationError('ComparisonOperator is required.');
  if (input.Threshold === undefined && input.ThresholdMetricId === undefined) throw validationError('Threshold is required.');
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > input.EvaluationPeriods)
    throw validationError('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  const period = input.Period ?? input.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
  if (period * input.EvaluationPeriods > SEVEN_DAYS)
    throw validationError('The evaluation period of the alarm (EvaluationPeriods * Period) cannot exceed 7 days.');
  if (input.TreatMissingData !== undefined && !TREAT_MISSING.includes(input.TreatMissingData))
    throw validationError(`The value ${input.TreatMissingData} for parameter TreatMissingData is invalid.`);
  for (const key of ['AlarmActions', 'OKActions', 'InsufficientDataActions'] as const) {
    for (const arn of input[key] ?? []) if (!/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(arn)) throw validationError(`Invalid arn syntax: ${arn}`);
  }
}
