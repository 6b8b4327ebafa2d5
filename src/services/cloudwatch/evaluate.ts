/**
 * Alarm evaluation (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation):
 * the alarm looks at its last EvaluationPeriods complete periods (ending at the last period
 * boundary before `now`); a period whose value crosses the threshold is breaching; DatapointsToAlarm
 * (M, default EvaluationPeriods) breaching ones put it in ALARM, fewer in OK. Periods without data
 * follow TreatMissingData
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data):
 * `missing` (default) leaves them out and all missing is INSUFFICIENT_DATA; `ignore` leaves them out
 * and all missing keeps the current state; `breaching` / `notBreaching` count them as such.
 * StateReason and StateReasonData are written as CloudWatch writes them.
 */
import type { MetricAlarmRow, Store } from '../../store/types.ts';
import type { NewState } from './alarm-state.ts';
import type { MetricDataQuery } from './model.generated.ts';
import { isoMillis } from './notification.ts';
import { runQueries, statSeries } from './query.ts';
import type { Series } from './math.ts';

const OPERATOR_TEXT: Record<string, [string, (v: number, t: number) => boolean]> = {
  GreaterThanThreshold: ['greater than', (v, t) => v > t],
  GreaterThanOrEqualToThreshold: ['greater than or equal to', (v, t) => v >= t],
  LessThanThreshold: ['less than', (v, t) => v < t],
  LessThanOrEqualToThreshold: ['less than or equal to', (v, t) => v <= t],
};

/** Java's Double.toString for the values CloudWatch prints: 5 → "5.0". */
const javaNumber = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e7 ? v.toFixed(1) : String(v));
/** dd/MM/yy HH:mm:ss, UTC. */
function shortDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function alarmPeriod(d: Record<string, unknown>): number {
  if (typeof d.Period === 'number') return d.Period;
  const metrics = (d.Metrics as MetricDataQuery[] | undefined) ?? [];
  const returned = metrics.find((m) => m.ReturnData ?? true);
  return returned?.Period ?? returned?.MetricStat?.Period ?? metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
}

async function alarmSeries(store: Store, a: MetricAlarmRow, start: Date, end: Date, period: number): Promise<Series> {
  const d = a.definition;
  const scope = { store, accountId: a.accountId, region: a.region };
  if (Array.isArray(d.Metrics)) {
    const results = await runQueries(scope, d.Metrics as MetricDataQuery[], start, end);
    return results.find((r) => r.returnData)?.points ?? new Map();
  }
  return statSeries(
    scope,
    {
      Metric: { Namespace: d.Namespace as string, MetricName: d.MetricName as string, Dimensions: (d.Dimensions as { Name: string; Value: string }[]) ?? [] },
      Period: period,
      Stat: (d.Statistic ?? d.ExtendedStatistic) as string,
      ...(d.Unit ? { Unit: d.Unit as never } : {}),
    },
    start,
    end,
  );
}

/** The state the alarm should be in at `now`; undefined when it stays as it is. */
export async function evaluateAlarm(store: Store, a: MetricAlarmRow, now: Date): Promise<NewState | undefined> {
  const d = a.definition;
  const period = alarmPeriod(d);
  const n = Number(d.EvaluationPeriods ?? 1);
  const m = Number(d.DatapointsToAlarm ?? n);
  const threshold = Number(d.Threshold ?? 0);
  const [opText, crosses] = OPERATOR_TEXT[String(d.ComparisonOperator)] ?? OPERATOR_TEXT.GreaterThanThreshold!;
  const treat = String(d.TreatMissingData ?? 'missing');
  const periodMs = period * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  const start = end - n * periodMs;
  const series = await alarmSeries(store, a, new Date(start), new Date(end), period);
  // newest first, as the reason lists them
  const periods = Array.from({ length: n }, (_, i) => end - (i + 1) * periodMs);
  const present = periods.filter((t) => series.has(t)).map((t) => ({ t, v: series.get(t) as number }));
  const missing = n - present.length;

  let next: NewState;
  if (!present.length && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return undefined;
    next = { value: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.` };
  } else {
    const breaching = present.filter((p) => crosses(p.v, threshold)).length + (treat === 'breaching' ? missing : 0);
    const value = breaching >= m ? 'ALARM' : 'OK';
    const list = present.map((p) => `${javaNumber(p.v)} (${shortDate(p.t)})`).join(', ');
    const counted = value === 'ALARM' ? breaching : present.length - present.filter((p) => crosses(p.v, threshold)).length;
    const verb = value === 'ALARM' ? opText : `not ${opText}`;
    // "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (05/09/18 07:09:00)] was greater than the threshold (0.0)
    // (minimum 1 datapoint for OK -> ALARM transition)." — whatever the old state, as CloudWatch writes it
    const minimum = value === 'ALARM' ? m : n - m + 1;
    const reason = `Threshold Crossed: ${counted} out of the last ${n} datapoints [${list}] ${counted === 1 ? 'was' : 'were'} ${verb} the threshold (${javaNumber(threshold)}) (minimum ${minimum} datapoint${minimum === 1 ? '' : 's'} for ${value === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`;
    const oldestFirst = [...present].reverse();
    next = {
      value,
      reason:
        missing && treat !== 'missing' && treat !== 'ignore' && !present.length
          ? `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${n} missing datapoint${n === 1 ? ' was' : 's were'} treated as [${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}].`
          : reason,
      reasonData: JSON.stringify({
        version: '1.0',
        queryDate: isoMillis(now),
        ...(oldestFirst.length ? { startDate: isoMillis(new Date(oldestFirst[0]!.t)) } : {}),
        ...(d.Unit ? { unit: d.Unit } : {}),
        ...(d.Metrics ? {} : { statistic: d.Statistic ?? d.ExtendedStatistic }),
        period,
        recentDatapoints: oldestFirst.map((p) => p.v),
        threshold,
        evaluatedDatapoints: present.map((p) => ({ timestamp: isoMillis(new Date(p.t)), value: p.v })),
      }),
    };
  }
  return next.value === a.stateValue ? undefined : next;
}
