/**
 * Metric filters (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
 * and the pages of DescribeMetricFilters, DeleteMetricFilter, TestMetricFilter); docs/logs.md#metric-filters.
 * Patterns are read by the filter-pattern engine (filter-pattern/); applying them to ingested
 * events is apply.ts.
 */
import type { MetricFilterRecord } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onGroup } from './access.ts';
import { MAX_METRIC_FILTERS } from './apply.ts';
import { filterNotFound, groupNotFound, invalidParameter, limitExceeded } from './errors.ts';
import { checkValueSpec, FilterPatternError, matchFilterPattern, parseFilterPattern, type FilterPattern } from './filter-pattern/index.ts';
import { findGroup } from './groups.ts';
import type { MetricFilter, MetricFilterMatchRecord, Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, encodeToken } from './tokens.ts';

const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });
/** Dimensions per metric transformation (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html). */
const MAX_DIMENSIONS = 3;

/** The engine's reading of a pattern, its errors as InvalidParameterException. */
function pattern(text: string): FilterPattern {
  try {
    return parseFilterPattern(text);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(e.message);
    throw e;
  }
}

function checkSpec(p: FilterPattern, spec: string): void {
  try {
    checkValueSpec(p, spec);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(e.message);
    throw e;
  }
}

export function metricFilterOut(f: MetricFilterRecord): MetricFilter {
  return {
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: f.transformations.map((t) => ({ ...t, unit: t.unit as NonNullable<MetricFilter['metricTransformations']>[number]['unit'] })),
    creationTime: f.createdAt,
    logGroupName: f.groupName,
    applyOnTransformedLogs: false,
    ...f.extra,
  };
}

/** The field names of a space-delimited pattern (`[ip, user, status=4*]`): TestMetricFilter's extractedValues keys. */
function delimitedFields(text: string): string[] {
  const m = /^\s*\[(.*)\]\s*$/s.exec(text);
  if (!m) return [];
  return (m[1] ?? '')
    .split(',')
    .map((f) => /^\s*([A-Za-z_][\w]*)/.exec(f)?.[1])
    .filter((f): f is string => f !== undefined && f !== '...');
}

const isPage = (v: Record<string, unknown>): v is { group: string; name: string } => typeof v.group === 'string' && typeof v.name === 'string';

export const metricFilterHandlers = {
  PutMetricFilter: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'PutMetricFilter'>> {
      await findGroup(ctx, input.logGroupName);
      const p = pattern(input.filterPattern);
      for (const t of input.metricTransformations) {
        checkSpec(p, t.metricValue);
        const dims = Object.values(t.dimensions ?? {});
        if (dims.length > MAX_DIMENSIONS) throw invalidParameter(`A metric transformation can have at most ${MAX_DIMENSIONS} dimensions.`);
        for (const d of dims) checkSpec(p, d);
      }
      const scope = scopeOf(ctx);
      const existing = await ctx.store.logs.listMetricFilters(scope, { group: input.logGroupName, limit: MAX_METRIC_FILTERS + 1 });
      const same = existing.find((f) => f.filterName === input.filterName);
      if (!same && existing.length >= MAX_METRIC_FILTERS) throw limitExceeded();
      const extra: Record<string, unknown> = {};
      if (input.applyOnTransformedLogs !== undefined) extra.applyOnTransformedLogs = input.applyOnTransformedLogs;
      if (input.fieldSelectionCriteria !== undefined) extra.fieldSelectionCriteria = input.fieldSelectionCriteria;
      if (input.emitSystemFieldDimensions !== undefined) extra.emitSystemFieldDimensions = input.emitSystemFieldDimensions;
      await ctx.store.logs.putMetricFilter(scope, {
        groupName: input.logGroupName,
        filterName: input.filterName,
        filterPattern: input.filterPattern,
        transformations: input.metricTransformations.map((t) => ({
          metricName: t.metricName,
          metricNamespace: t.metricNamespace,
          metricValue: t.metricValue,
          ...(t.defaultValue !== undefined ? { defaultValue: t.defaultValue } : {}),
          ...(t.dimensions !== undefined ? { dimensions: t.dimensions } : {}),
          ...(t.unit !== undefined ? { unit: t.unit } : {}),
        })),
        createdAt: same?.createdAt ?? ctx.now.getTime(),
        extra,
      });
      return {};
    },
  },

  DescribeMetricFilters: {
    readOnly: true,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'DescribeMetricFilters'>> {
      if (input.filterNamePrefix !== undefined && input.logGroupName === undefined)
        throw invalidParameter('If you specify filterNamePrefix, you must also specify logGroupName.');
      if ((input.metricName === undefined) !== (input.metricNamespace === undefined))
        throw invalidParameter('If you specify metricName or metricNamespace, you must specify both.');
      const scope = scopeOf(ctx);
      if (input.logGroupName !== undefined && !(await ctx.store.logs.getGroup(scope, input.logGroupName))) throw groupNotFound();
      const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isPage) : undefined;
      const limit = input.limit ?? 50;
      const rows = await ctx.store.logs.listMetricFilters(scope, {
        ...(input.logGroupName !== undefined ? { group: input.logGroupName } : {}),
        ...(input.filterNamePrefix ? { prefix: input.filterNamePrefix } : {}),
        ...(input.metricName !== undefined ? { metricName: input.metricName } : {}),
        ...(input.metricNamespace !== undefined ? { metricNamespace: input.metricNamespace } : {}),
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        metricFilters: page.map(metricFilterOut),
        ...(rows.length > limit && last ? { nextToken: encodeToken({ group: last.groupName, name: last.filterName }) } : {}),
      };
    },
  },

  DeleteMetricFilter: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'DeleteMetricFilter'>> {
      await findGroup(ctx, input.logGroupName);
      if (!(await ctx.store.logs.deleteMetricFilter(scopeOf(ctx), input.logGroupName, input.filterName))) throw filterNotFound();
      return {};
    },
  },

  TestMetricFilter: {
    readOnly: true,
    async handler(input, _ctx): Promise<Output<'TestMetricFilter'>> {
      const p = pattern(input.filterPattern);
      const fields = delimitedFields(input.filterPattern);
      const matches: MetricFilterMatchRecord[] = [];
      input.logEventMessages.forEach((message, i) => {
        const m = matchFilterPattern(p, message);
        if (!m) return;
        const extractedValues: Record<string, string> = {};
        for (const f of fields) {
          const v = m.text(`$${f}`);
          if (v !== undefined) extractedValues[`$${f}`] = v;
        }
        matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues });
      });
      return { matches };
    },
  },
} satisfies OperationDefs<Ops, 'PutMetricFilter' | 'DescribeMetricFilters' | 'DeleteMetricFilter' | 'TestMetricFilter'>;
