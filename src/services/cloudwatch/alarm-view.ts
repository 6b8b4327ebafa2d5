/** An alarm row as DescribeAlarms answers it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html). */
import type { MetricAlarmRow } from '../../store/types.ts';
import type { MetricAlarm } from './model.generated.ts';

export function metricAlarm(a: MetricAlarmRow): MetricAlarm {
  const d = a.definition as Partial<MetricAlarm>;
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    ...(d.AlarmDescription !== undefined ? { AlarmDescription: d.AlarmDescription } : {}),
    AlarmConfigurationUpdatedTimestamp: a.configUpdatedAt,
    ActionsEnabled: a.actionsEnabled,
    OKActions: d.OKActions ?? [],
    AlarmActions: d.AlarmActions ?? [],
    InsufficientDataActions: d.InsufficientDataActions ?? [],
    StateValue: a.stateValue,
    StateReason: a.stateReason,
    ...(a.stateReasonData !== undefined ? { StateReasonData: a.stateReasonData } : {}),
    StateUpdatedTimestamp: a.stateUpdatedAt,
    ...(d.MetricName !== undefined ? { MetricName: d.MetricName } : {}),
    ...(d.Namespace !== undefined ? { Namespace: d.Namespace } : {}),
    ...(d.Statistic !== undefined ? { Statistic: d.Statistic } : {}),
    ...(d.ExtendedStatistic !== undefined ? { ExtendedStatistic: d.ExtendedStatistic } : {}),
    Dimensions: d.Dimensions ?? [],
    ...(d.Period !== undefined ? { Period: d.Period } : {}),
    ...(d.Unit !== undefined ? { Unit: d.Unit } : {}),
    ...(d.EvaluationPeriods !== undefined ? { EvaluationPeriods: d.EvaluationPeriods } : {}),
    ...(d.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: d.DatapointsToAlarm } : {}),
    ...(d.Threshold !== undefined ? { Threshold: d.Threshold } : {}),
    ...(d.ComparisonOperator !== undefined ? { ComparisonOperator: d.ComparisonOperator } : {}),
    ...(d.TreatMissingData !== undefined ? { TreatMissingData: d.TreatMissingData } : {}),
    ...(d.EvaluateLowSampleCountPercentile !== undefined ? { EvaluateLowSampleCountPercentile: d.EvaluateLowSampleCountPercentile } : {}),
    ...(d.Metrics !== undefined ? { Metrics: d.Metrics } : {}),
    StateTransitionedTimestamp: a.stateTransitionedAt,
  };
}

/** The definition as history items write it (createdAlarm / updatedAlarm): the alarm's members, lowerCamel. */
export function historyAlarm(a: MetricAlarmRow): Record<string, unknown> {
  const lower = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(lower);
    if (v instanceof Date) return v.toISOString().replace('Z', '+0000');
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), lower(x)]));
    return v;
  };
  const { StateValue: _s, StateReason: _r, StateReasonData: _d, StateUpdatedTimestamp: _u, StateTransitionedTimestamp: _t, ...rest } = metricAlarm(a);
  return lower(rest) as Record<string, unknown>;
}
