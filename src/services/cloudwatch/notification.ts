/**
 * The SNS message of an alarm action, as CloudWatch writes it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html,
 * "Amazon SNS notification format"): a JSON object with the alarm, the transition and its Trigger;
 * subject `ALARM: "<name>" in <Region name>`. Times as CloudWatch writes them in notifications and
 * StateReasonData: `2026-12-02T04:31:00.000+0000`.
 */
import type { MetricAlarmRow } from '../../store/types.ts';
import type { NewState } from './alarm-state.ts';
import { regionName } from './names.ts';

export const isoMillis = (d: Date) => d.toISOString().replace('Z', '+0000');

export const alarmSubject = (a: MetricAlarmRow, state: string) => `${state}: "${a.name}" in ${regionName(a.region)}`;

export function alarmMessage(a: MetricAlarmRow, next: NewState, now: Date): string {
  const d = a.definition;
  const list = (k: string) => (Array.isArray(d[k]) ? d[k] : []);
  const dims = (Array.isArray(d.Dimensions) ? (d.Dimensions as { Name: string; Value: string }[]) : []).map((x) => ({ value: x.Value, name: x.Name }));
  const trigger: Record<string, unknown> = d.Metrics
    ? {
        Period: d.Period ?? 0,
        EvaluationPeriods: d.EvaluationPeriods,
        ...(d.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: d.DatapointsToAlarm } : {}),
        ComparisonOperator: d.ComparisonOperator,
        Threshold: d.Threshold,
        TreatMissingData: d.TreatMissingData ?? '',
        EvaluateLowSampleCountPercentile: d.EvaluateLowSampleCountPercentile ?? '',
        Metrics: d.Metrics,
      }
    : {
        MetricName: d.MetricName,
        Namespace: d.Namespace,
        StatisticType: d.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
        ...(d.ExtendedStatistic ? { ExtendedStatistic: d.ExtendedStatistic } : { Statistic: String(d.Statistic ?? '').toUpperCase() }),
        Unit: d.Unit ?? null,
        Dimensions: dims,
        Period: d.Period,
        EvaluationPeriods: d.EvaluationPeriods,
        ...(d.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: d.DatapointsToAlarm } : {}),
        ComparisonOperator: d.ComparisonOperator,
        Threshold: d.Threshold,
        TreatMissingData: d.TreatMissingData ?? '',
        EvaluateLowSampleCountPercentile: d.EvaluateLowSampleCountPercentile ?? '',
      };
  return JSON.stringify({
    AlarmName: a.name,
    AlarmDescription: d.AlarmDescription ?? null,
    AWSAccountId: a.accountId,
    AlarmConfigurationUpdatedTimestamp: isoMillis(a.configUpdatedAt),
    NewStateValue: next.value,
    NewStateReason: next.reason,
    StateChangeTime: isoMillis(now),
    Region: regionName(a.region),
    AlarmArn: a.arn,
    OldStateValue: a.stateValue,
    OKActions: list('OKActions'),
    AlarmActions: list('AlarmActions'),
    InsufficientDataActions: list('InsufficientDataActions'),
    Trigger: trigger,
  });
}
