/**
 * Metric data queries (MetricDataQuery: a MetricStat or a math Expression), shared by GetMetricData
 * and alarm evaluation (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html).
 */
import { sortDimensions } from '../../store/contracts/metrics.ts';
import type { Store } from '../../store/types.ts';
import { evaluate, MathError, type MathValue, type Series } from './math.ts';
import type { MetricDataQuery, MetricStat } from './model.generated.ts';
import { aggregate, statistic } from './statistics.ts';

export interface QueryScope {
  store: Store;
  accountId: string;
  region: string;
}

/** One MetricStat's series: period start (epoch ms) → the statistic, for the periods with data in [start, end). */
export async function statSeries(scope: QueryScope, stat: MetricStat, start: Date, end: Date): Promise<Series> {
  const m = stat.Metric;
  const data = await scope.store.metrics.data(
    scope.accountId,
    scope.region,
    { namespace: m.Namespace ?? '', metricName: m.MetricName ?? '', dimensions: sortDimensions(m.Dimensions ?? []) },
    start,
    end,
  );
  const kept = stat.Unit ? data.filter((d) => d.unit === stat.Unit) : data;
  const out: Series = new Map();
  for (const p of aggregate(kept, stat.Period, false)) {
    const v = statistic(p, stat.Stat);
    if (v !== undefined) out.set(p.start, v);
  }
  return out;
}

export interface QueryResult {
  id: string;
  label: string;
  returnData: boolean;
  points: Series;
}

/** `Error in expression <id>: <reason>`, as GetMetricData reports a bad expression. */
export class QueryError extends Error {}

/** Runs the queries (MetricStats first, then expressions in the order given, each seeing the earlier results). */
export async function runQueries(scope: QueryScope, queries: MetricDataQuery[], start: Date, end: Date): Promise<QueryResult[]> {
  const values = new Map<string, MathValue>();
  const statIds: string[] = [];
  const results = new Map<string, QueryResult>();
  for (const q of queries) {
    if (!q.MetricStat) continue;
    const points = await statSeries(scope, q.MetricStat, start, end);
    values.set(q.Id, { kind: 'series', points });
    statIds.push(q.Id);
    results.set(q.Id, { id: q.Id, label: q.Label ?? q.MetricStat.Metric.MetricName ?? q.Id, returnData: q.ReturnData ?? true, points });
  }
  const pending = queries.filter((q) => q.Expression !== undefined && !q.MetricStat);
  // an expression may name one given after it: evaluate until no more resolve
  for (let round = 0; pending.length && round <= queries.length; round++) {
    for (let i = 0; i < pending.length; i++) {
      const q = pending[i]!;
      let v: MathValue;
      try {
        v = evaluate(q.Expression ?? '', {
          lookup: (id) => values.get(id),
          metrics: (filter) => statIds.filter((id) => filter === undefined || id.includes(filter)).map((id) => (values.get(id) as { points: Series }).points),
        });
      } catch (e) {
        if (!(e instanceof MathError)) throw e;
        if (/^Unrecognized metric id/.test(e.message) && round < queries.length) continue;
        throw new QueryError(`Error in expression ${q.Id}: ${e.message}`);
      }
      values.set(q.Id, v);
      results.set(q.Id, { id: q.Id, label: q.Label ?? q.Id, returnData: q.ReturnData ?? true, points: seriesOf(v, results) });
      pending.splice(i--, 1);
    }
  }
  return queries.map((q) => results.get(q.Id)).filter((r): r is QueryResult => r !== undefined);
}

/** A result as one series: an array's series summed is not what AWS does, so an array keeps its first; a scalar has a point at every timestamp the MetricStats have. */
function seriesOf(v: MathValue, results: Map<string, QueryResult>): Series {
  if (v.kind === 'series') return v.points;
  if (v.kind === 'array') return v.series[0] ?? new Map();
  const times = new Set<number>();
  for (const r of results.values()) for (const t of r.points.keys()) times.add(t);
  return new Map([...times].sort((a, b) => a - b).map((t) => [t, v.value]));
}
