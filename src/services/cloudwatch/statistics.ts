/**
 * Statistics over stored data (pure): datums bucketed into periods, and per period the five
 * statistics and percentiles, as CloudWatch defines them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html).
 * Percentiles are computed from the raw values (Value, Values+Counts); a period holding a
 * StatisticValues datum has none, as on AWS ("percentiles are not available for metrics published
 * with statistic sets").
 */
import type { StoredDatum } from '../../store/types.ts';

export interface PeriodStats {
  /** the period's start, epoch ms */
  start: number;
  unit: string;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** [value, count] of every raw value, or undefined when a statistic set is in the period */
  values?: [number, number][];
}

/** The period's start (epoch ms) that `ms` falls in: periods are aligned to multiples of their length since the epoch. */
export const periodStart = (ms: number, periodSeconds: number) => Math.floor(ms / (periodSeconds * 1000)) * periodSeconds * 1000;

/** Buckets datums into periods (by unit too, when `byUnit`), oldest first. */
export function aggregate(data: StoredDatum[], periodSeconds: number, byUnit: boolean): PeriodStats[] {
  const buckets = new Map<string, PeriodStats>();
  for (const d of data) {
    const start = periodStart(d.timestamp.getTime(), periodSeconds);
    const key = byUnit ? `${start} ${d.unit}` : String(start);
    const b = buckets.get(key);
    if (!b) {
      buckets.set(key, {
        start,
        unit: d.unit,
        sampleCount: d.sampleCount,
        sum: d.sum,
        min: d.min,
        max: d.max,
        ...(d.values ? { values: [...d.values] } : {}),
      });
      continue;
    }
    b.sampleCount += d.sampleCount;
    b.sum += d.sum;
    b.min = Math.min(b.min, d.min);
    b.max = Math.max(b.max, d.max);
    b.values = b.values && d.values ? b.values.concat(d.values) : undefined;
  }
  return [...buckets.values()].sort((a, b) => a.start - b.start || (a.unit < b.unit ? -1 : 1));
}

/** `p99`, `p99.9`: the percentile's rank (0–100), or undefined when not a percentile statistic. */
export function percentileOf(stat: string): number | undefined {
  const m = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/.exec(stat);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

/** Nearest-rank percentile of weighted values. */
function percentile(values: [number, number][], p: number): number | undefined {
  const sorted = [...values].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (!total) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [v, c] of sorted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return sorted[sorted.length - 1]?.[0];
}

/** One statistic of a period (the five standard ones, or a percentile); undefined when not available. */
export function statistic(s: PeriodStats, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return s.sampleCount;
    case 'Sum':
      return s.sum;
    case 'Average':
      return s.sampleCount ? s.sum / s.sampleCount : undefined;
    case 'Minimum':
      return s.min;
    case 'Maximum':
      return s.max;
  }
  const p = percentileOf(stat);
  return p === undefined || !s.values ? undefined : percentile(s.values, p);
}

/** The standard statistics and the MetricStat `Stat` names (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html). */
export const STANDARD_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

export function isStatName(stat: string): boolean {
  return STANDARD_STATISTICS.includes(stat) || percentileOf(stat) !== undefined;
}

/** The datum as stored: its statistics and raw values. */
export function storedDatum(
  d: {
    Value?: number;
    Values?: number[];
    Counts?: number[];
    StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
    Unit?: string;
  },
  timestamp: Date,
): StoredDatum {
  const unit = d.Unit ?? 'None';
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    return { timestamp, unit, sampleCount: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum };
  }
  const pairs: [number, number][] = d.Values?.length ? d.Values.map((v, i) => [v, d.Counts?.[i] ?? 1]) : [[d.Value ?? 0, 1]];
  let sampleCount = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [v, c] of pairs) {
    sampleCount += c;
    sum += v * c;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { timestamp, unit, sampleCount, sum, min, max, values: pairs };
}
