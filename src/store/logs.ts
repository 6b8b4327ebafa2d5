/**
 * LogStore over Kysely (contracts/logs.ts, docs/logs.md#storage). Groups and streams have numeric
 * ids that the event rows carry; every read of events is one range of the (stream, ts, seq) or
 * (group, ts, seq) index, so a page costs the same in a group of ten events or ten million.
 */
import type { Kysely, Transaction } from 'kysely';
import * as events_ from './log-events.ts';
import * as filters_ from './log-filters.ts';
import type {
  LogGroupRecord,
  LogPosition,
  LogResourcePolicy,
  LogScope,
  LogStore,
  LogStreamRecord,
  MetricFilterRecord,
  StoredLogEvent,
} from './contracts/logs.ts';
import type { DB, Row } from './schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The upper end of a range of names with `prefix` (no LIKE: `_` and `%` may be in names). */
const PREFIX_END = '\u{10ffff}';

function groupOf(r: Row<'logs_groups'>, filters: number): LogGroupRecord {
  return {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    createdAt: Number(r.created_at),
    ...(r.retention_days !== null ? { retentionInDays: Number(r.retention_days) } : {}),
    ...(r.kms_key_id !== null ? { kmsKeyId: r.kms_key_id } : {}),
    logGroupClass: r.class as LogGroupRecord['logGroupClass'],
    deletionProtection: Number(r.deletion_protection) === 1,
    tags: JSON.parse(r.tags) as Record<string, string>,
    storedBytes: Number(r.stored_bytes),
    metricFilterCount: filters,
  };
}

function streamOf(r: Row<'logs_streams'>): LogStreamRecord {
  return {
    name: r.name,
    createdAt: Number(r.created_at),
    ...(r.first_event !== null ? { firstEventTimestamp: Number(r.first_event) } : {}),
    ...(r.last_event !== null ? { lastEventTimestamp: Number(r.last_event) } : {}),
    ...(r.last_ingestion !== null ? { lastIngestionTime: Number(r.last_ingestion) } : {}),
    uploads: Number(r.uploads),
  };
}

export class KyselyLogStore implements LogStore {
  constructor(private readonly db: Db) {}

  private async groupId(scope: LogScope, name: string): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('logs_groups')
      .select('id')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? Number(r.id) : undefined;
  }

  private async streamId(scope: LogScope, group: string, name: string): Promise<{ groupId: number; streamId: number } | undefined> {
    const r = await this.db
      .selectFrom('logs_streams as s')
      .innerJoin('logs_groups as g', 'g.id', 's.group_id')
      .select(['g.id as gid', 's.id as sid'])
      .where('g.account_id', '=', scope.accountId)
      .where('g.region', '=', scope.region)
      .where('g.name', '=', group)
      .where('s.name', '=', name)
      .executeTakeFirst();
    return r ? { groupId: Number(r.gid), streamId: Number(r.sid) } : undefined;
  }

  private async filterCounts(scope: LogScope, names: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (names.length === 0) return out;
    const rows = await this.db
      .selectFrom('logs_metric_filters')
      .select(['group_name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('group_name', 'in', names)
      .groupBy('group_name')
      .execute();
    for (const r of rows) out.set(r.group_name, Number(r.n));
    return out;
  }

  private async withCounts(scope: LogScope, rows: Row<'logs_groups'>[]): Promise<LogGroupRecord[]> {
    const counts = await this.filterCounts(
      scope,
      rows.map((r) => r.name),
    );
    return rows.map((r) => groupOf(r, counts.get(r.name) ?? 0));
  }

  async createGroup(g: LogGroupRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('logs_groups')
      .values({
        account_id: g.accountId,
        region: g.region,
        name: g.name,
        created_at: g.createdAt,
        retention_days: g.retentionInDays ?? null,
        kms_key_id: g.kmsKeyId ?? null,
        class: g.logGroupClass,
        deletion_protection: g.deletionProtection ? 1 : 0,
        tags: JSON.stringify(g.tags),
        stored_bytes: g.storedBytes,
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getGroup(scope: LogScope, name: string): Promise<LogGroupRecord | undefined> {
    const r = await this.db
      .selectFrom('logs_groups')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? (await this.withCounts(scope, [r]))[0] : undefined;
  }

  async listGroups(
    scope: LogScope,
    opts: { prefix?: string; pattern?: string; logGroupClass?: string; after?: string; limit: number },
  ): Promise<LogGroupRecord[]> {
    let q = this.db.selectFrom('logs_groups').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
    if (opts.prefix) q = q.where('name', '>=', opts.prefix).where('name', '<', `${opts.prefix}${PREFIX_END}`);
    if (opts.logGroupClass) q = q.where('class', '=', opts.logGroupClass);
    const out: Row<'logs_groups'>[] = [];
    const needle = opts.pattern?.toLowerCase();
    // a substring pattern cannot use the index: walk names in pages until the page is full
    let after = opts.after;
    for (;;) {
      let page = q;
      if (after !== undefined) page = page.where('name', '>', after);
      const rows = await page
        .orderBy('name')
        .limit(needle ? 500 : opts.limit)
        .execute();
      for (const r of rows) {
        if (opts.prefix && !r.name.startsWith(opts.prefix)) continue;
        if (needle && !r.name.toLowerCase().includes(needle)) continue;
        out.push(r);
        if (out.length === opts.limit) break;
      }
      if (!needle || out.length === opts.limit || rows.length < 500) break;
      after = rows[rows.length - 1]?.name;
    }
    return this.withCounts(scope, out);
  }

  async updateGroup(scope: LogScope, name: string, patch: { retentionInDays?: number | null; tags?: Record<string, string> }): Promise<boolean> {
    const set: { retention_days?: number | null; tags?: string } = {};
    if (patch.retentionInDays !== undefined) set.retention_days = patch.retentionInDays;
    if (patch.tags !== undefined) set.tags = JSON.stringify(patch.tags);
    if (Object.keys(set).length === 0) return (await this.groupId(scope, name)) !== undefined;
    const r = await this.db
      .updateTable('logs_groups')
      .set(set)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteGroup(scope: LogScope, name: string): Promise<boolean> {
    const id = await this.groupId(scope, name);
    if (id === undefined) return false;
    await this.db.deleteFrom('logs_events').where('group_id', '=', id).execute();
    await this.db.deleteFrom('logs_streams').where('group_id', '=', id).execute();
    await this.db
      .deleteFrom('logs_metric_filters')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('group_name', '=', name)
      .execute();
    await this.db.deleteFrom('logs_groups').where('id', '=', id).execute();
    return true;
  }

  async groupsWithRetention(): Promise<LogGroupRecord[]> {
    const rows = await this.db.selectFrom('logs_groups').selectAll().where('retention_days', 'is not', null).orderBy('id').execute();
    return rows.map((r) => groupOf(r, 0));
  }

  async createStream(scope: LogScope, group: string, s: LogStreamRecord): Promise<boolean> {
    const gid = await this.groupId(scope, group);
    if (gid === undefined) return false;
    const r = await this.db
      .insertInto('logs_streams')
      .values({
        group_id: gid,
        name: s.name,
        created_at: s.createdAt,
        first_event: s.firstEventTimestamp ?? null,
        last_event: s.lastEventTimestamp ?? null,
        last_sort: s.lastEventTimestamp ?? 0,
        last_ingestion: s.lastIngestionTime ?? null,
        uploads: s.uploads,
      })
      .onConflict((oc) => oc.columns(['group_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getStream(scope: LogScope, group: string, name: string): Promise<LogStreamRecord | undefined> {
    const ids = await this.streamId(scope, group, name);
    if (!ids) return undefined;
    const r = await this.db.selectFrom('logs_streams').selectAll().where('id', '=', ids.streamId).executeTakeFirst();
    return r && streamOf(r);
  }

  async listStreams(
    scope: LogScope,
    group: string,
    opts: { prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; after?: { name: string; time?: number }; limit: number },
  ): Promise<LogStreamRecord[]> {
    const gid = await this.groupId(scope, group);
    if (gid === undefined) return [];
    const dir = opts.descending ? 'desc' : 'asc';
    const cmp = opts.descending ? '<' : '>';
    let q = this.db.selectFrom('logs_streams').selectAll().where('group_id', '=', gid);
    if (opts.prefix) q = q.where('name', '>=', opts.prefix).where('name', '<', `${opts.prefix}${PREFIX_END}`);
    if (opts.orderBy === 'LogStreamName') {
      if (opts.after) q = q.where('name', cmp, opts.after.name);
      q = q.orderBy('name', dir);
    } else {
      const after = opts.after;
      if (after) q = q.where((eb) => eb(eb.refTuple('last_sort', 'name'), cmp, eb.tuple(after.time ?? 0, after.name)));
      q = q.orderBy('last_sort', dir).orderBy('name', dir);
    }
    const rows = await q.limit(opts.limit).execute();
    return rows.map(streamOf);
  }

  async deleteStream(scope: LogScope, group: string, name: string): Promise<boolean> {
    const ids = await this.streamId(scope, group, name);
    if (!ids) return false;
    const sum = await this.db
      .selectFrom('logs_events')
      .select((eb) => eb.fn.sum<number>('bytes').as('b'))
      .where('stream_id', '=', ids.streamId)
      .executeTakeFirst();
    await this.db.deleteFrom('logs_events').where('stream_id', '=', ids.streamId).execute();
    await this.db.deleteFrom('logs_streams').where('id', '=', ids.streamId).execute();
    const bytes = Number(sum?.b ?? 0);
    if (bytes > 0)
      await this.db
        .updateTable('logs_groups')
        .set((eb) => ({ stored_bytes: eb('stored_bytes', '-', bytes) }))
        .where('id', '=', ids.groupId)
        .execute();
    return true;
  }

  async appendEvents(scope: LogScope, group: string, stream: string, events: { timestamp: number; message: string }[], ingestionTime: number): Promise<number> {
    const ids = await this.streamId(scope, group, stream);
    if (!ids) throw new Error(`appendEvents: no stream ${group}/${stream}`);
    return events_.appendEvents(this.db, ids, events, ingestionTime);
  }

  async readStream(
    scope: LogScope,
    group: string,
    stream: string,
    opts: { startTime?: number; endTime?: number; from?: LogPosition; direction: 'forward' | 'backward'; limit: number },
  ): Promise<StoredLogEvent[]> {
    const ids = await this.streamId(scope, group, stream);
    return ids ? events_.readStream(this.db, ids, stream, opts) : [];
  }

  async readGroup(
    scope: LogScope,
    group: string,
    opts: { streams?: string[]; streamPrefix?: string; startTime?: number; endTime?: number; from?: LogPosition; limit: number },
  ): Promise<StoredLogEvent[]> {
    const gid = await this.groupId(scope, group);
    return gid === undefined ? [] : events_.readGroup(this.db, gid, opts);
  }

  async purgeBefore(scope: LogScope, group: string, before: number, limit: number): Promise<number> {
    const gid = await this.groupId(scope, group);
    return gid === undefined ? 0 : events_.purgeBefore(this.db, gid, before, limit);
  }

  putMetricFilter(scope: LogScope, f: MetricFilterRecord): Promise<void> {
    return filters_.putMetricFilter(this.db, scope, f);
  }

  listMetricFilters(
    scope: LogScope,
    opts: { group?: string; prefix?: string; metricName?: string; metricNamespace?: string; after?: { group: string; name: string }; limit: number },
  ): Promise<MetricFilterRecord[]> {
    return filters_.listMetricFilters(this.db, scope, opts);
  }

  deleteMetricFilter(scope: LogScope, group: string, name: string): Promise<boolean> {
    return filters_.deleteMetricFilter(this.db, scope, group, name);
  }

  putResourcePolicy(scope: LogScope, p: LogResourcePolicy): Promise<void> {
    return filters_.putResourcePolicy(this.db, scope, p);
  }

  listResourcePolicies(scope: LogScope): Promise<LogResourcePolicy[]> {
    return filters_.listResourcePolicies(this.db, scope);
  }

  deleteResourcePolicy(scope: LogScope, name: string): Promise<boolean> {
    return filters_.deleteResourcePolicy(this.db, scope, name);
  }
}
