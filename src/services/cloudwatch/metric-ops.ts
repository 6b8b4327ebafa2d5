/**
 * Metric operations (docs/cloudwatch.md#metrics): PutMetricData, ListMetrics, GetMetricStatistics,
 * GetMetricData (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Operations.html).
 * CloudTrail logs these four as data events (docs/cloudwatch.md#audit): recorded, never in Event history.
 */
import { sortDimensions } from '../../store/contracts/metrics.ts';
import type { AuditResource, OperationContext, OperationDefs } from '../types.ts';
import { invalidCombination, invalidNextToken, invalidParameterValue, invalidValue, missingParameter, validationError } from './errors.ts';
import { putMetricData } from './ingest.ts';
import type { Datapoint, MetricDataResult, Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { QueryError, runQueries } from './query.ts';
import { aggregate, isStatName, percentileOf, statistic, STANDARD_STATISTICS } from './statistics.ts';
import { checkDimensions, checkPeriod } from './validate.ts';

const LIST_PAGE = 500;
const MAX_DATAPOINTS = 1440;
const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const THREE_HOURS = 3 * 3600_000;
const TWO_WEEKS = 14 * 24 * 3600_000;

/** CloudTrail's resource for metric data events: the namespace (startrail's form; AWS names no metric ARN). */
const metricResource = (ctx: OperationContext, namespace: string | undefined): AuditResource[] =>
  namespace
    ? [{ accountId: ctx.accountId, type: 'AWS::CloudWatch::Metric', ARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:metric/${namespace}` }]
    : [];

function checkTimes(start: Date, end: Date): void {
  if (start.getTime() >= end.getTime()) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}

export const metricOps = {
  PutMetricData: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: (input) => ({ resource: '*', keys: { 'cloudwatch:namespace': input.Namespace } }),
    async handler(input, ctx): Promise<Output<'PutMetricData'>> {
      const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
      if (!data.length) throw missingParameter('MetricData');
      await putMetricData(ctx.store, { accountId: ctx.accountId, region: ctx.region, namespace: input.Namespace }, data, ctx.now);
      return {};
    },
    resources: (input, _o, ctx) => metricResource(ctx, input.Namespace),
  },

  ListMetrics: {
    readOnly: true,
    eventCategory: 'Data',
    async handler(input, ctx): Promise<Output<'ListMetrics'>> {
      checkDimensions(
        input.Dimensions?.map((d) => ({ Name: d.Name, Value: d.Value ?? '' })),
        'Dimensions',
      );
      const query = { n: input.Namespace, m: input.MetricName, d: input.Dimensions, r: input.RecentlyActive };
      const pos = decodeToken(input.NextToken, query);
      if (pos === 'invalid' || typeof pos === 'string') throw invalidValue('NextToken', input.NextToken);
      const all = await ctx.store.metrics.listMetrics(ctx.accountId, ctx.region, {
        ...(input.Namespace !== undefined ? { namespace: input.Namespace } : {}),
        ...(input.MetricName !== undefined ? { metricName: input.MetricName } : {}),
        // metrics without new data for two weeks are not listed (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html)
        activeSince: new Date(ctx.now.getTime() - (input.RecentlyActive ? THREE_HOURS : TWO_WEEKS)),
      });
      // a filter matches a metric that has the dimension (with the value, when given), whatever its other dimensions
      const matching = all.filter((m) =>
        (input.Dimensions ?? []).every((f) => m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))),
      );
      const start = pos ?? 0;
      const shown = matching.slice(start, start + LIST_PAGE);
      return {
        Metrics: shown.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions })),
        ...(start + LIST_PAGE < matching.length ? { NextToken: encodeToken(query, start + LIST_PAGE) } : {}),
      };
    },
    resources: (input, _o, ctx) => metricResource(ctx, input.Namespace),
  },

  GetMetricStatistics: {
    readOnly: true,
    eventCategory: 'Data',
    async handler(input, ctx): Promise<Output<'GetMetricStatistics'>> {
      checkPeriod(input.Period);
      checkDimensions(input.Dimensions, 'Dimensions');
      checkTimes(input.StartTime, input.EndTime);
      const stats = input.Statistics ?? [];
      const extended = input.ExtendedStatistics ?? [];
      if (!stats.length && !extended.length) throw missingParameter('Statistics or ExtendedStatistics');
      for (const e of extended) if (percentileOf(e) === undefined) throw invalidValue('ExtendedStatistics', e);
      const periodMs = input.Period * 1000;
      const first = Math.floor(input.StartTime.getTime() / periodMs) * periodMs;
      const requested = Math.ceil((input.EndTime.getTime() - first) / periodMs);
      if (requested > MAX_DATAPOINTS)
        throw invalidCombination(
          `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
        );
      const data = await ctx.store.metrics.data(
        ctx.accountId,
        ctx.region,
        { namespace: input.Namespace, metricName: input.MetricName, dimensions: sortDimensions(input.Dimensions ?? []) },
        new Date(first),
        input.EndTime,
      );
      const kept = input.Unit ? data.filter((d) => d.unit === input.Unit) : data;
      const Datapoints: Datapoint[] = aggregate(kept, input.Period, !input.Unit).map((p) => {
        const dp: Datapoint = { Timestamp: new Date(p.start) };
        for (const s of stats) (dp as Record<string, unknown>)[s] = statistic(p, s);
        if (extended.length) {
          const ext: Record<string, number> = {};
          for (const e of extended) {
            const v = statistic(p, e);
            if (v !== undefined) ext[e] = v;
          }
          dp.ExtendedStatistics = ext;
        }
        dp.Unit = p.unit as Datapoint['Unit'];
        return dp;
      });
      return { Label: input.MetricName, Datapoints };
    },
    resources: (input, _o, ctx) => metricResource(ctx, input.Namespace),
  },

  GetMetricData: {
    readOnly: true,
    eventCategory: 'Data',
    async handler(input, ctx): Promise<Output<'GetMetricData'>> {
      const queries = input.MetricDataQueries;
      if (queries.length > MAX_QUERIES) throw validationError(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
      checkTimes(input.StartTime, input.EndTime);
      checkQueries(queries, 'MetricDataQueries');
      const query = { q: queries, s: input.StartTime.getTime(), e: input.EndTime.getTime(), b: input.ScanBy };
      const pos = decodeToken(input.NextToken, query);
      if (pos === 'invalid' || typeof pos === 'string') throw invalidNextToken();
      let results: Awaited<ReturnType<typeof runQueries>>;
      try {
        results = await runQueries({ store: ctx.store, accountId: ctx.accountId, region: ctx.region }, queries, input.StartTime, input.EndTime);
      } catch (e) {
        if (e instanceof QueryError) throw validationError(e.message);
        throw e;
      }
      const ascending = input.ScanBy === 'TimestampAscending';
      // the points of every returned result, in order, paged MaxDatapoints at a time
      let skip = pos ?? 0;
      let room = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
      let more = false;
      const out: MetricDataResult[] = [];
      for (const r of results.filter((x) => x.returnData)) {
        const points = [...r.points].sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]));
        const from = Math.min(skip, points.length);
        skip -= from;
        const taken = points.slice(from, from + room);
        room -= taken.length;
        const partial = from + taken.length < points.length;
        if (partial) more = true;
        out.push({
          Id: r.id,
          Label: r.label,
          Timestamps: taken.map(([t]) => new Date(t)),
          Values: taken.map(([, v]) => v),
          StatusCode: partial ? 'PartialData' : 'Complete',
          Messages: [],
        });
      }
      const served = (pos ?? 0) + (input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS) - room;
      return { MetricDataResults: out, Messages: [], ...(more ? { NextToken: encodeToken(query, served) } : {}) };
    },
    resources(input, _o, ctx) {
      const namespaces = [
        ...new Set(input.MetricDataQueries.flatMap((q) => (q.MetricStat?.Metric.Namespace !== undefined ? [q.MetricStat.Metric.Namespace] : []))),
      ];
      return namespaces.length ? namespaces.flatMap((n) => metricResource(ctx, n)) : metricResource(ctx, undefined);
    },
  },
} satisfies OperationDefs<Ops, 'PutMetricData' | 'ListMetrics' | 'GetMetricStatistics' | 'GetMetricData'>;

/** The checks GetMetricData and PutMetricAlarm's Metrics share: ids, one of MetricStat / Expression, periods, stats. */
export function checkQueries(
  queries: { Id: string; MetricStat?: { Period: number; Stat: string; Metric: { Dimensions?: { Name: string; Value: string }[] } }; Expression?: string }[],
  name: string,
): void {
  const ids = new Set<string>();
  for (const [i, q] of queries.entries()) {
    const at = `${name}.member.${i + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw validationError(`The value ${q.Id} for parameter ${at}.Id is invalid.`);
    if (ids.has(q.Id)) throw validationError(`The value ${q.Id} for parameter ${at}.Id is duplicated.`);
    ids.add(q.Id);
    if (!q.MetricStat === (q.Expression === undefined))
      throw validationError(`Exactly one element of the metrics list should have either a MetricStat or an Expression: ${at}.`);
    if (q.MetricStat) {
      checkPeriod(q.MetricStat.Period, `${at}.MetricStat.Period`);
      if (!isStatName(q.MetricStat.Stat)) throw validationError(`The value ${q.MetricStat.Stat} for parameter ${at}.MetricStat.Stat is invalid.`);
      checkDimensions(q.MetricStat.Metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
    }
  }
}

export { STANDARD_STATISTICS };
