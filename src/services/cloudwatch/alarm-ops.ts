/**
 * Alarm operations (docs/cloudwatch.md#alarms): PutMetricAlarm, DescribeAlarms,
 * DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState, DescribeAlarmHistory, Enable/DisableAlarmActions
 * and the tag operations (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Operations.html).
 * Authorization: `cloudwatch:<Action>` on the alarm's ARN
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { MetricAlarmRow } from '../../store/types.ts';
import type { AuthorizationContext, OperationDefs } from '../types.ts';
import { changeState } from './alarm-state.ts';
import { historyAlarm, metricAlarm } from './alarm-view.ts';
import { checkAlarm } from './alarm-checks.ts';
import {
  alarmNotFound,
  alarmsNotFound,
  invalidFormat,
  limitExceeded,
  invalidNextToken,
  invalidParameterValue,
  resourceNotFound,
  validationError,
} from './errors.ts';
import type { AlarmHistoryItem, Operations as Ops, Output } from './model.generated.ts';
import { alarmArn, parseAlarmArn } from './names.ts';
import { decodeToken, encodeToken } from './paging.ts';

const INITIAL_REASON = 'Unchecked: Initial alarm creation';
const MAX_TAGS = 50;
const MAX_ALARMS = 10_000;

const onAlarms = (names: (string | undefined)[], ctx: AuthorizationContext) => ({
  resource: names.length ? names.map((n) => alarmArn(ctx.region, ctx.accountId, n ?? '')) : alarmArn(ctx.region, ctx.accountId, '*'),
});
const onResource = (arn: string | undefined) => ({ resource: arn || '*' });

/** The page of `items` after the token's position; MaxRecords 1–100 (default 50). */
function pageOf<T>(items: T[], token: string | undefined, max: number | undefined, query: unknown): { items: T[]; next?: string } {
  const pos = decodeToken(token, query);
  if (pos === 'invalid' || typeof pos === 'string') throw invalidNextToken();
  const start = pos ?? 0;
  const size = max ?? 50;
  return { items: items.slice(start, start + size), ...(start + size < items.length ? { next: encodeToken(query, start + size) } : {}) };
}

function tagsAfter(old: { Key: string; Value: string }[], add: { Key: string; Value: string }[]): { Key: string; Value: string }[] {
  const m = new Map(old.map((t) => [t.Key, t.Value]));
  for (const t of add) m.set(t.Key, t.Value);
  if (m.size > MAX_TAGS) throw invalidParameterValue(`The number of tags exceeds the limit of ${MAX_TAGS}.`);
  return [...m].map(([Key, Value]) => ({ Key, Value }));
}

export function alarmOps(destinations: Destinations) {
  return {
    PutMetricAlarm: {
      readOnly: false,
      authorize: (input, ctx) => ({
        resource: alarmArn(ctx.region, ctx.accountId, input.AlarmName ?? ''),
        ...(input.Tags?.length
          ? { keys: { ...Object.fromEntries(input.Tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])), 'aws:TagKeys': input.Tags.map((t) => t.Key) } }
          : {}),
      }),
      async handler(input, ctx): Promise<Output<'PutMetricAlarm'>> {
        checkAlarm(input);
        const { AlarmName: name, Tags: tags, ActionsEnabled, ...definition } = input;
        const old = await ctx.store.metrics.getAlarm(ctx.accountId, ctx.region, name);
        if (!old && (await ctx.store.metrics.listAlarms(ctx.accountId, ctx.region)).length >= MAX_ALARMS)
          throw limitExceeded(`The maximum allowed number of alarms (${MAX_ALARMS}) for this account in this Region has been reached.`);
        // an update keeps the state and the tags (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)
        const row: MetricAlarmRow = {
          accountId: ctx.accountId,
          region: ctx.region,
          name,
          arn: alarmArn(ctx.region, ctx.accountId, name),
          definition: definition as Record<string, unknown>,
          actionsEnabled: ActionsEnabled ?? true,
          stateValue: old?.stateValue ?? 'INSUFFICIENT_DATA',
          stateReason: old?.stateReason ?? INITIAL_REASON,
          ...(old?.stateReasonData !== undefined ? { stateReasonData: old.stateReasonData } : {}),
          stateUpdatedAt: old?.stateUpdatedAt ?? ctx.now,
          stateTransitionedAt: old?.stateTransitionedAt ?? ctx.now,
          configUpdatedAt: ctx.now,
          tags: old?.tags ?? tagsAfter([], tags ?? []),
          version: old?.version ?? 0,
        };
        await ctx.store.metrics.putAlarm(row);
        await ctx.store.metrics.addHistory({
          accountId: ctx.accountId,
          region: ctx.region,
          alarmName: name,
          alarmType: 'MetricAlarm',
          timestamp: ctx.now,
          itemType: 'ConfigurationUpdate',
          summary: `Alarm "${name}" ${old ? 'updated' : 'created'}`,
          data: JSON.stringify(
            old
              ? { version: '1.0', type: 'Update', updatedAlarm: historyAlarm(row), originalAlarm: historyAlarm(old) }
              : { version: '1.0', type: 'Create', createdAlarm: historyAlarm(row) },
          ),
        });
        return {};
      },
    },

    DescribeAlarms: {
      readOnly: true,
      authorize: (input, ctx) => onAlarms(input.AlarmNames ?? [], ctx),
      async handler(input, ctx): Promise<Output<'DescribeAlarms'>> {
        if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) throw validationError('AlarmNames and AlarmNamePrefix cannot both be specified.');
        // the children and parents of a composite alarm: startrail has no composite alarms
        if (input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined) return { MetricAlarms: [], CompositeAlarms: [] };
        const types = input.AlarmTypes ?? ['MetricAlarm'];
        const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : undefined;
        const all = types.includes('MetricAlarm') ? await ctx.store.metrics.listAlarms(ctx.accountId, ctx.region) : [];
        const matching = all.filter((a) => {
          if (names && !names.has(a.name)) return false;
          if (input.AlarmNamePrefix !== undefined && !a.name.startsWith(input.AlarmNamePrefix)) return false;
          if (input.StateValue && a.stateValue !== input.StateValue) return false;
          if (input.ActionPrefix !== undefined) {
            const actions = ['AlarmActions', 'OKActions', 'InsufficientDataActions'].flatMap((k) => (a.definition[k] as string[] | undefined) ?? []);
            if (!actions.some((x) => x.startsWith(input.ActionPrefix ?? ''))) return false;
          }
          return true;
        });
        const { items, next } = pageOf(matching, input.NextToken, input.MaxRecords, { ...input, NextToken: undefined, MaxRecords: undefined });
        return {
          MetricAlarms: items.map(metricAlarm),
          ...(types.includes('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
          ...(next ? { NextToken: next } : {}),
        };
      },
    },

    DescribeAlarmsForMetric: {
      readOnly: true,
      authorize: () => ({ resource: '*' }),
      async handler(input, ctx): Promise<Output<'DescribeAlarmsForMetric'>> {
        const key = (ds: { Name: string; Value: string }[] | undefined) => JSON.stringify([...(ds ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : 1)));
        const all = await ctx.store.metrics.listAlarms(ctx.accountId, ctx.region);
        const matching = all.filter((a) => {
          const d = a.definition as Record<string, unknown>;
          if (d.MetricName !== input.MetricName || d.Namespace !== input.Namespace) return false;
          if (input.Statistic && d.Statistic !== input.Statistic) return false;
          if (input.ExtendedStatistic && d.ExtendedStatistic !== input.ExtendedStatistic) return false;
          if (input.Period !== undefined && d.Period !== input.Period) return false;
          if (input.Unit && d.Unit !== input.Unit) return false;
          if (input.Dimensions && key(input.Dimensions) !== key(d.Dimensions as { Name: string; Value: string }[] | undefined)) return false;
          return true;
        });
        return { MetricAlarms: matching.map(metricAlarm) };
      },
    },

    DeleteAlarms: {
      readOnly: false,
      authorize: (input, ctx) => onAlarms(input.AlarmNames ?? [], ctx),
      async handler(input, ctx): Promise<Output<'DeleteAlarms'>> {
        const found = await Promise.all(input.AlarmNames.map((n) => ctx.store.metrics.getAlarm(ctx.accountId, ctx.region, n)));
        const missing = input.AlarmNames.filter((_, i) => !found[i]);
        // one wrong name and nothing is deleted (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html)
        if (missing.length) throw alarmsNotFound(missing);
        for (const a of found) {
          if (!a) continue;
          await ctx.store.metrics.deleteAlarm(ctx.accountId, ctx.region, a.name);
          await ctx.store.metrics.addHistory({
            accountId: ctx.accountId,
            region: ctx.region,
            alarmName: a.name,
            alarmType: 'MetricAlarm',
            timestamp: ctx.now,
            itemType: 'ConfigurationUpdate',
            summary: `Alarm "${a.name}" deleted`,
            data: JSON.stringify({ version: '1.0', type: 'Delete', deletedAlarm: historyAlarm(a) }),
          });
        }
        return {};
      },
    },

    SetAlarmState: {
      readOnly: false,
      authorize: (input, ctx) => onAlarms([input.AlarmName], ctx),
      async handler(input, ctx): Promise<Output<'SetAlarmState'>> {
        const alarm = await ctx.store.metrics.getAlarm(ctx.accountId, ctx.region, input.AlarmName);
        if (!alarm) throw alarmNotFound(input.AlarmName);
        if (input.StateReasonData !== undefined) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(input.StateReasonData);
          } catch {
            parsed = undefined;
          }
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidFormat('Reason data needs to be a valid JSON object');
        }
        await changeState(
          ctx.store,
          alarm,
          { value: input.StateValue, reason: input.StateReason, ...(input.StateReasonData !== undefined ? { reasonData: input.StateReasonData } : {}) },
          { now: ctx.now, ids: ctx.ids, config: ctx.config, destinations },
        );
        return {};
      },
    },

    DescribeAlarmHistory: {
      readOnly: true,
      authorize: (input, ctx) => onAlarms(input.AlarmName !== undefined ? [input.AlarmName] : [], ctx),
      async handler(input, ctx): Promise<Output<'DescribeAlarmHistory'>> {
        if (input.AlarmTypes && !input.AlarmTypes.includes('MetricAlarm')) return { AlarmHistoryItems: [] };
        const rows = await ctx.store.metrics.history(ctx.accountId, ctx.region, {
          ...(input.AlarmName !== undefined ? { alarmName: input.AlarmName } : {}),
          ...(input.HistoryItemType ? { types: [input.HistoryItemType] } : {}),
          ...(input.StartDate ? { start: input.StartDate } : {}),
          ...(input.EndDate ? { end: input.EndDate } : {}),
          oldestFirst: input.ScanBy === 'TimestampAscending',
        });
        const items: AlarmHistoryItem[] = rows.map((r) => ({
          AlarmName: r.alarmName,
          AlarmType: r.alarmType,
          Timestamp: r.timestamp,
          HistoryItemType: r.itemType,
          HistorySummary: r.summary,
          HistoryData: r.data,
        }));
        const { items: pageItems, next } = pageOf(items, input.NextToken, input.MaxRecords, { ...input, NextToken: undefined, MaxRecords: undefined });
        return { AlarmHistoryItems: pageItems, ...(next ? { NextToken: next } : {}) };
      },
    },

    EnableAlarmActions: {
      readOnly: false,
      authorize: (input, ctx) => onAlarms(input.AlarmNames ?? [], ctx),
      async handler(input, ctx): Promise<Output<'EnableAlarmActions'>> {
        for (const n of input.AlarmNames) await ctx.store.metrics.setActionsEnabled(ctx.accountId, ctx.region, n, true);
        return {};
      },
    },

    DisableAlarmActions: {
      readOnly: false,
      authorize: (input, ctx) => onAlarms(input.AlarmNames ?? [], ctx),
      async handler(input, ctx): Promise<Output<'DisableAlarmActions'>> {
        for (const n of input.AlarmNames) await ctx.store.metrics.setActionsEnabled(ctx.accountId, ctx.region, n, false);
        return {};
      },
    },

    TagResource: {
      readOnly: false,
      authorize: (input) => ({
        ...onResource(input.ResourceARN),
        ...(input.Tags?.length
          ? { keys: { ...Object.fromEntries(input.Tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])), 'aws:TagKeys': input.Tags.map((t) => t.Key) } }
          : {}),
      }),
      async handler(input, ctx): Promise<Output<'TagResource'>> {
        const alarm = await alarmOfArn(ctx.store, input.ResourceARN, ctx);
        await ctx.store.metrics.setTags(alarm.accountId, alarm.region, alarm.name, tagsAfter(alarm.tags, input.Tags));
        return {};
      },
    },

    UntagResource: {
      readOnly: false,
      authorize: (input) => ({ ...onResource(input.ResourceARN), ...(input.TagKeys?.length ? { keys: { 'aws:TagKeys': input.TagKeys } } : {}) }),
      async handler(input, ctx): Promise<Output<'UntagResource'>> {
        const alarm = await alarmOfArn(ctx.store, input.ResourceARN, ctx);
        const drop = new Set(input.TagKeys);
        await ctx.store.metrics.setTags(
          alarm.accountId,
          alarm.region,
          alarm.name,
          alarm.tags.filter((t) => !drop.has(t.Key)),
        );
        return {};
      },
    },

    ListTagsForResource: {
      readOnly: true,
      authorize: (input) => onResource(input.ResourceARN),
      async handler(input, ctx): Promise<Output<'ListTagsForResource'>> {
        const alarm = await alarmOfArn(ctx.store, input.ResourceARN, ctx);
        return { Tags: alarm.tags };
      },
    },
  } satisfies OperationDefs<
    Ops,
    | 'PutMetricAlarm'
    | 'DescribeAlarms'
    | 'DescribeAlarmsForMetric'
    | 'DeleteAlarms'
    | 'SetAlarmState'
    | 'DescribeAlarmHistory'
    | 'EnableAlarmActions'
    | 'DisableAlarmActions'
    | 'TagResource'
    | 'UntagResource'
    | 'ListTagsForResource'
  >;
}

/** The alarm an ARN names, in the caller's account and Region: InvalidParameterValue for a malformed ARN, ResourceNotFoundException for none. */
async function alarmOfArn(store: AuthorizationContext['store'], arn: string, ctx: { accountId: string; region: string }): Promise<MetricAlarmRow> {
  const ref = parseAlarmArn(arn);
  if (!ref) throw invalidParameterValue(`Invalid ARN: ${arn}`);
  const alarm = ref.accountId === ctx.accountId && ref.region === ctx.region ? await store.metrics.getAlarm(ref.accountId, ref.region, ref.name) : undefined;
  if (!alarm) throw resourceNotFound(arn);
  return alarm;
}
