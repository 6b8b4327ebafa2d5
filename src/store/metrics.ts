/** MetricStore over Kysely (store/contracts/metrics.ts). */
import type { Kysely } from 'kysely';
import {
  dimensionsKey,
  type AlarmHistoryRow,
  type AlarmStateValue,
  type MetricAlarmRow,
  type MetricDimension,
  type MetricEntry,
  type MetricId,
  type MetricStore,
  type StoredDatum,
} from './contracts/metrics.ts';
import type { DB, Row } from './schema.ts';

const dimsOf = (key: string): MetricDimension[] => (JSON.parse(key) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));

function alarmOf(r: Row<'cw_alarms'>): MetricAlarmRow {
  return {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    arn: r.arn,
    definition: JSON.parse(r.definition) as Record<string, unknown>,
    actionsEnabled: Number(r.actions_enabled) === 1,
    stateValue: r.state_value as AlarmStateValue,
    stateReason: r.state_reason,
    ...(r.state_reason_data !== null ? { stateReasonData: r.state_reason_data } : {}),
    stateUpdatedAt: new Date(Number(r.state_updated_at)),
    stateTransitionedAt: new Date(Number(r.state_transitioned_at)),
    configUpdatedAt: new Date(Number(r.config_updated_at)),
    tags: JSON.parse(r.tags) as { Key: string; Value: string }[],
    version: Number(r.version),
  };
}

export class KyselyMetricStore implements MetricStore {
  constructor(private readonly db: Kysely<DB>) {}

  async putData(accountId: string, region: string, data: (MetricId & { datum: StoredDatum })[], now: Date): Promise<void> {
    if (!data.length) return;
    const rows = data.map(({ namespace, metricName, dimensions, datum }) => ({
      account_id: accountId,
      region,
      namespace,
      metric_name: metricName,
      dims_key: dimensionsKey(dimensions),
      ts: datum.timestamp.getTime(),
      unit: datum.unit,
      sample_count: datum.sampleCount,
      sum: datum.sum,
      min: datum.min,
      max: datum.max,
      vals: datum.values ? JSON.stringify(datum.values) : null,
    }));
    // one statement per 100 rows keeps every backend under its bind-parameter limit
    for (let i = 0; i < rows.length; i += 100)
      await this.db
        .insertInto('cw_data')
        .values(rows.slice(i, i + 100))
        .execute();
    const metrics = new Map<string, { namespace: string; metric_name: string; dims_key: string }>();
    for (const r of rows)
      metrics.set(JSON.stringify([r.namespace, r.metric_name, r.dims_key]), { namespace: r.namespace, metric_name: r.metric_name, dims_key: r.dims_key });
    const entries = [...metrics.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.metric_name, b.metric_name) || cmp(a.dims_key, b.dims_key));
    for (let i = 0; i < entries.length; i += 100) {
      await this.db
        .insertInto('cw_metrics')
        .values(entries.slice(i, i + 100).map((m) => ({ account_id: accountId, region, ...m, last_put_at: now.getTime() })))
        .onConflict((oc) => oc.columns(['account_id', 'region', 'namespace', 'metric_name', 'dims_key']).doUpdateSet({ last_put_at: now.getTime() }))
        .execute();
    }
  }

  async data(accountId: string, region: string, metric: MetricId, start: Date, end: Date): Promise<StoredDatum[]> {
    const rows = await this.db
      .selectFrom('cw_data')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('namespace', '=', metric.namespace)
      .where('metric_name', '=', metric.metricName)
      .where('dims_key', '=', dimensionsKey(metric.dimensions))
      .where('ts', '>=', start.getTime())
      .where('ts', '<', end.getTime())
      .orderBy('ts')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      timestamp: new Date(Number(r.ts)),
      unit: r.unit,
      sampleCount: Number(r.sample_count),
      sum: Number(r.sum),
      min: Number(r.min),
      max: Number(r.max),
      ...(r.vals !== null ? { values: JSON.parse(r.vals) as [number, number][] } : {}),
    }));
  }

  async listMetrics(accountId: string, region: string, filter: { namespace?: string; metricName?: string; activeSince?: Date }): Promise<MetricEntry[]> {
    let q = this.db.selectFrom('cw_metrics').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (filter.namespace !== undefined) q = q.where('namespace', '=', filter.namespace);
    if (filter.metricName !== undefined) q = q.where('metric_name', '=', filter.metricName);
    if (filter.activeSince) q = q.where('last_put_at', '>=', filter.activeSince.getTime());
    const rows = await q.execute();
    // ordered here, not in SQL: PostgreSQL's collation would order text differently from SQLite's bytes
    rows.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.metric_name, b.metric_name) || cmp(a.dims_key, b.dims_key));
    return rows.map((r) => ({ namespace: r.namespace, metricName: r.metric_name, dimensions: dimsOf(r.dims_key), lastPutAt: new Date(Number(r.last_put_at)) }));
  }

  async getAlarm(accountId: string, region: string, name: string): Promise<MetricAlarmRow | undefined> {
    const r = await this.db
      .selectFrom('cw_alarms')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? alarmOf(r) : undefined;
  }

  async listAlarms(accountId: string, region: string): Promise<MetricAlarmRow[]> {
    const rows = await this.db.selectFrom('cw_alarms').selectAll().where('account_id', '=', accountId).where('region', '=', region).execute();
    return rows.map(alarmOf).sort((a, b) => cmp(a.name, b.name));
  }

  async allAlarms(): Promise<MetricAlarmRow[]> {
    return (await this.db.selectFrom('cw_alarms').selectAll().execute()).map(alarmOf);
  }

  async putAlarm(a: MetricAlarmRow): Promise<void> {
    const row = {
      account_id: a.accountId,
      region: a.region,
      name: a.name,
      arn: a.arn,
      definition: JSON.stringify(a.definition),
      actions_enabled: a.actionsEnabled ? 1 : 0,
      state_value: a.stateValue,
      state_reason: a.stateReason,
      state_reason_data: a.stateReasonData ?? null,
      state_updated_at: a.stateUpdatedAt.getTime(),
      state_transitioned_at: a.stateTransitionedAt.getTime(),
      config_updated_at: a.configUpdatedAt.getTime(),
      tags: JSON.stringify(a.tags),
      version: a.version,
    };
    const { account_id: _a, region: _r, name: _n, ...rest } = row;
    await this.db
      .insertInto('cw_alarms')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doUpdateSet(rest))
      .execute();
  }

  async deleteAlarm(accountId: string, region: string, name: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('cw_alarms')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async setState(
    accountId: string,
    region: string,
    name: string,
    expectedVersion: number,
    state: { value: AlarmStateValue; reason: string; reasonData?: string; at: Date; transitioned: boolean },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('cw_alarms')
      .set({
        state_value: state.value,
        state_reason: state.reason,
        state_reason_data: state.reasonData ?? null,
        state_updated_at: state.at.getTime(),
        ...(state.transitioned ? { state_transitioned_at: state.at.getTime() } : {}),
        version: expectedVersion + 1,
      })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async setActionsEnabled(accountId: string, region: string, name: string, enabled: boolean): Promise<void> {
    await this.db
      .updateTable('cw_alarms')
      .set({ actions_enabled: enabled ? 1 : 0 })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .execute();
  }

  async setTags(accountId: string, region: string, name: string, tags: { Key: string; Value: string }[]): Promise<void> {
    await this.db
      .updateTable('cw_alarms')
      .set({ tags: JSON.stringify(tags) })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .execute();
  }

  async addHistory(item: AlarmHistoryRow): Promise<void> {
    await this.db
      .insertInto('cw_alarm_history')
      .values({
        account_id: item.accountId,
        region: item.region,
        alarm_name: item.alarmName,
        alarm_type: item.alarmType,
        ts: item.timestamp.getTime(),
        item_type: item.itemType,
        summary: item.summary,
        data: item.data,
      })
      .execute();
  }

  async history(
    accountId: string,
    region: string,
    filter: { alarmName?: string; types?: string[]; start?: Date; end?: Date; oldestFirst?: boolean },
  ): Promise<AlarmHistoryRow[]> {
    let q = this.db.selectFrom('cw_alarm_history').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (filter.alarmName !== undefined) q = q.where('alarm_name', '=', filter.alarmName);
    if (filter.types?.length) q = q.where('item_type', 'in', filter.types);
    if (filter.start) q = q.where('ts', '>=', filter.start.getTime());
    if (filter.end) q = q.where('ts', '<=', filter.end.getTime());
    const dir = filter.oldestFirst ? 'asc' : 'desc';
    const rows = await q.orderBy('ts', dir).orderBy('id', dir).execute();
    return rows.map((r) => ({
      accountId: r.account_id,
      region: r.region,
      alarmName: r.alarm_name,
      alarmType: r.alarm_type as AlarmHistoryRow['alarmType'],
      timestamp: new Date(Number(r.ts)),
      itemType: r.item_type as AlarmHistoryRow['itemType'],
      summary: r.summary,
      data: r.data,
    }));
  }

  async purgeData(before: Date, limit: number): Promise<number> {
    const ids = await this.db.selectFrom('cw_data').select('id').where('ts', '<', before.getTime()).limit(limit).execute();
    if (!ids.length) return 0;
    await this.db
      .deleteFrom('cw_data')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
    return ids.length;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
